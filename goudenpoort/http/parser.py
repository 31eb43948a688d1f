"""The request parser: strict JSON bodies, and unknown query or body fields are an error.

Python's `json` accepts more than JSON and fails badly on some hostile input, so bodies are
parsed here with the gaps closed: `NaN` and `Infinity` are refused, numbers must be finite
(`1e400` would become infinity) and integers at most 4300 digits (Python's own limit, which
would otherwise raise a bare ValueError), and a document nested so deeply that the decoder
recurses out of stack is refused instead of crashing the request. All of these answer 400.
"""

from __future__ import annotations

import json
import math
from typing import Any

from flask import Request
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request


def _refuse_constant(name: str) -> Any:
    """Refuse the non-standard constants NaN, Infinity and -Infinity."""
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    """Parse a JSON number with a fraction or exponent; refuse what overflows to infinity."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def parse_json_body(data: bytes) -> Any:
    """Decode a JSON body strictly; raise json.JSONDecodeError for anything refused."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise json.JSONDecodeError(f"not UTF-8: {exc.reason}", "<body>", exc.start) from exc
    if text.startswith("\ufeff"):
        raise json.JSONDecodeError("byte-order mark", "<body>", 0)
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError:
        raise
    except (ValueError, RecursionError) as exc:
        # ValueError: huge integer, NaN, infinite number; RecursionError: absurd nesting.
        raise json.JSONDecodeError(type(exc).__name__, "<body>", 0) from exc


class StrictParser(FlaskParser):
    """webargs' Flask parser with strict JSON and `unknown` left to each schema (RAISE)."""

    def __init__(self) -> None:
        # webargs excludes unknown query parameters by default; a typo in a filter must be 422.
        super().__init__(unknown=None)

    def _raw_load_json(self, req: Request) -> Any:
        """Return the parsed JSON body, or `missing` when the request carries no JSON."""
        if not is_json_request(req):
            return core.missing
        data = req.get_data(cache=True)
        if not data:
            return core.missing
        return parse_json_body(data)

"""Input that would crash the stack below us, refused at the door: strict JSON, storable text.

Python's `json` accepts more than JSON and fails badly on some hostile input, so documents are
parsed with the gaps closed: `NaN` and `Infinity` are refused, numbers must be finite (`1e400`
would become infinity) and integers at most 4300 digits (Python's own limit, which otherwise
raises a bare ValueError), and a document nested so deeply that the decoder runs out of stack
is refused instead of crashing the request.

NUL cannot be stored in a PostgreSQL text column and an unpaired surrogate (JSON allows
`"\\ud800"`) cannot be encoded as UTF-8 at all: both would fail deep inside the database
driver, so text containing them is refused up front, on SQLite too, so both behave alike.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "Must not contain NUL characters or unpaired surrogates."


def _refuse_constant(name: str) -> Any:
    """Refuse the non-standard constants NaN, Infinity and -Infinity."""
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    """Parse a JSON number with a fraction or exponent; refuse what overflows to infinity."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def loads_json(text: str) -> Any:
    """Parse a JSON document strictly; raise json.JSONDecodeError for anything refused."""
    if text.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected byte-order mark", text, 0)
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # a huge integer, NaN or Infinity, an infinite number
        raise json.JSONDecodeError(str(exc), text, 0) from None
    except RecursionError:
        raise json.JSONDecodeError("Nested too deeply", text, 0) from None


def is_storable(text: str) -> bool:
    """Tell whether a string can be stored as text in every supported database."""
    return UNSTORABLE.search(text) is None


def unstorable_paths(data: Any) -> list[str]:
    """Return the paths (`a.b[2].c`) of strings, keys included, that cannot be stored."""
    found: list[str] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:  # iterative: the input may be nested deeply
        path, value = stack.pop()
        if isinstance(value, str):
            if not is_storable(value):
                found.append(path or "_schema")
        elif isinstance(value, Mapping):
            for key in value:
                name = str(key)
                if not is_storable(name):
                    found.append(path or "_schema")
                    continue
                stack.append((f"{path}.{name}" if path else name, value[key]))
        elif isinstance(value, list | tuple):
            stack.extend((f"{path}[{index}]", item) for index, item in enumerate(value))
    return sorted(found)

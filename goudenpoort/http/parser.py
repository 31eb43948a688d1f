"""The request parser: strict JSON bodies (see `goudenpoort.safe_input`), unknown fields refused."""

from __future__ import annotations

import json
from typing import Any

from flask import Request
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from goudenpoort.safe_input import loads_json


class StrictParser(FlaskParser):
    """webargs' Flask parser with strict JSON and `unknown` left to each schema (RAISE)."""

    def __init__(self) -> None:
        # webargs excludes unknown query parameters by default; a typo in a filter must be 422.
        super().__init__(unknown=None)

    def _raw_load_json(self, req: Request) -> Any:
        """Return the parsed JSON body, or `missing` when the request carries no JSON.

        A refused body raises json.JSONDecodeError, which webargs answers with 400.
        """
        if not is_json_request(req):
            return core.missing
        data = req.get_data(cache=True)
        if not data:
            return core.missing
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise json.JSONDecodeError(f"Not UTF-8: {exc.reason}", "<body>", exc.start) from None
        return loads_json(text)

"""Conditional requests: ETags from item versions, If-Match on every change (428 / 412)."""

from __future__ import annotations

import re

from flask import request

from goudenpoort.errors import PreconditionFailed, PreconditionRequired
from goudenpoort.http.etags import etag, etag_header

__all__ = ["etag", "etag_header", "if_match_versions"]

TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*')


def if_match_versions() -> set[int] | None:
    """Return the versions If-Match names (None for `*`); 428 without the header.

    A weak or unparseable tag can never match (If-Match compares strongly), so it gives 412.
    """
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        raise PreconditionRequired("Send If-Match with the ETag you last read.")
    if header.strip() == "*":
        return None
    versions: set[int] = set()
    for part in header.split(","):
        match = TAG.fullmatch(part)
        if match and not match.group(1) and match.group(2).isdigit():
            versions.add(int(match.group(2)))
    if not versions:
        raise PreconditionFailed("If-Match names no current version; reload and try again.")
    return versions

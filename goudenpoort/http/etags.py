"""ETag and If-Match: versions of mutable resources, so nobody overwrites an unseen change.

One rule for every write that needs If-Match (profiles, accounts, organisations, routes,
vacancies, employer profiles): without the header, or with `*`, 428; when no tag it names is
the current version, 412. Tags compare strongly (RFC 9110 13.1.1): `W/"3"` never matches.
`*` is refused because it would match any version and so defeat optimistic locking.
"""

from __future__ import annotations

import re
from typing import Any

from flask import request

from goudenpoort.errors import PreconditionFailed, PreconditionRequired

TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*')

# The OpenAPI description of the header, shared by every operation that requires it.
IF_MATCH_PARAMETER: dict[str, Any] = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": 'The ETag you last read, e.g. `"3"` (an employer without a profile: `"0"`). '
                   "Missing or `*`: 428; not the current version: 412.",
    "schema": {"type": "string"},
}
IF_MATCH = [IF_MATCH_PARAMETER]
# POST actions on a profile honour If-Match when it is sent but do not require it.
IF_MATCH_OPTIONAL = [{**IF_MATCH_PARAMETER, "required": False,
                      "description": "Optional: when sent, the ETag you last read (412 when "
                                     "stale; `*` is refused with 428)."}]


def etag(version: int) -> str:
    """Return the (strong) ETag of a resource version."""
    return f'"{version}"'


def etag_header(version: int) -> dict[str, str]:
    """Return the ETag response header of a version."""
    return {"ETag": etag(version)}


def if_match_versions() -> set[int]:
    """Return the versions the If-Match header names: 428 when missing or `*`, 412 when none.

    For services that check the version themselves (after their permission check, or against
    a version only they know, like an employer's profile).
    """
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise PreconditionRequired("Send If-Match with the ETag you last read (not `*`).")
    versions: set[int] = set()
    for part in header.split(","):
        match = TAG.fullmatch(part)
        if match and not match.group(1) and match.group(2).isdigit():
            versions.add(int(match.group(2)))
    if not versions:
        raise PreconditionFailed("If-Match names no current version; reload and try again.")
    return versions


def require_if_match(current_version: int) -> int:
    """Check If-Match against the current version: 428 when missing or `*`, 412 when stale.

    Returns the version the client saw, for the services' compare-and-set.
    """
    if current_version not in if_match_versions():
        raise PreconditionFailed()
    return current_version


def check_if_match(current_version: int) -> None:
    """Honour If-Match when sent (412 when stale); actions that POST need not send it."""
    if request.headers.get("If-Match"):
        require_if_match(current_version)

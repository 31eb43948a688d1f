"""ETag and If-Match: versions of mutable resources, so nobody overwrites an unseen change."""

from __future__ import annotations

from flask import request

from goudenpoort.errors import PreconditionFailed, PreconditionRequired


def etag(version: int) -> str:
    """Return the (strong) ETag of a resource version."""
    return f'"{version}"'


def etag_header(version: int) -> dict[str, str]:
    """Return the ETag response header of a version."""
    return {"ETag": etag(version)}


def require_if_match(current_version: int) -> int:
    """Check If-Match against the current version: 428 when missing, 412 when stale.

    `*` is refused: it would match any version and defeat the point of the check.
    Returns the version the client saw, for the services' compare-and-set.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise PreconditionRequired("Send If-Match with the ETag you last read (not `*`).")
    for tag in header.split(","):
        tag = tag.strip().removeprefix("W/")
        if tag == etag(current_version):
            return current_version
    raise PreconditionFailed()


def check_if_match(current_version: int) -> None:
    """Honour If-Match when sent (412 when stale); actions that POST need not send it."""
    if request.headers.get("If-Match"):
        require_if_match(current_version)

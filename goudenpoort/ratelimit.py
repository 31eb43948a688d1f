"""Rate limits: per token (or per address without one), and on failed authentication."""

from __future__ import annotations

import hashlib
import time

from flask import Flask, current_app, request
from flask_limiter import Limiter
from limits import parse

from goudenpoort.errors import RateLimited

EXTENSION = "goudenpoort.ratelimit"
AUTH_FAILURES = "auth-failure"


def caller_key() -> str:
    """Key requests by a digest of their bearer token, else by client address."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer ") and len(header) < 300:
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:24]
    return "addr:" + (request.remote_addr or "unknown")


def init_app(app: Flask) -> Limiter:
    """Attach a limiter with the configured per-caller limit (memory storage by default)."""
    limiter = Limiter(
        key_func=caller_key,
        app=app,
        default_limits=[app.config["RATELIMIT_PER_CALLER"]],
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        headers_enabled=True,
        enabled=app.config["RATELIMIT_ENABLED"],
    )
    for probe in ("health", "docs"):  # probes and static docs never count against a caller
        if probe in app.blueprints:
            limiter.exempt(app.blueprints[probe])
    app.extensions[EXTENSION] = limiter
    return limiter


def _client() -> str:
    return request.remote_addr or "unknown"


def check_auth_failures() -> None:
    """Refuse (429) a client address that failed authentication too often recently."""
    limiter: Limiter | None = current_app.extensions.get(EXTENSION)
    if limiter is None or not current_app.config["RATELIMIT_ENABLED"]:
        return
    item = parse(current_app.config["RATELIMIT_AUTH_FAILURES"])
    if not limiter.limiter.test(item, AUTH_FAILURES, _client()):
        reset, _remaining = limiter.limiter.get_window_stats(item, AUTH_FAILURES, _client())
        raise RateLimited(
            "Too many failed sign-ins from this address; wait before trying again.",
            retry_after=max(1, int(reset - time.time()) + 1),
        )


def record_auth_failure() -> None:
    """Count one failed authentication against the client's address."""
    limiter: Limiter | None = current_app.extensions.get(EXTENSION)
    if limiter is None or not current_app.config["RATELIMIT_ENABLED"]:
        return
    item = parse(current_app.config["RATELIMIT_AUTH_FAILURES"])
    limiter.limiter.hit(item, AUTH_FAILURES, _client())

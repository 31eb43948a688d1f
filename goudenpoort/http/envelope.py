"""The one error envelope of API.md, for every failure the app can meet."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from goudenpoort.db import finish_request
from goudenpoort.errors import DomainError

log = logging.getLogger(__name__)

# Stable machine-readable codes for the HTTP statuses werkzeug raises on its own.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    428: "precondition_required",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}
MESSAGES = {
    400: "The request is malformed.",
    404: "There is nothing at this address.",
    405: "This method is not allowed here.",
    413: "The request body is too large.",
    415: "Send the body as application/json.",
    422: "The input is not valid.",
    500: "Something went wrong on our side; it has been logged.",
}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Flatten nested marshmallow messages into `field[2].sub` paths."""
    if isinstance(messages, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
                path = f"{prefix}[{key}]"
            elif key == "_schema":
                path = prefix or "_schema"
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            for sub, texts in flatten(value, path).items():
                flat.setdefault(sub, []).extend(texts)
        return flat
    if isinstance(messages, list | tuple):
        if all(isinstance(item, str) for item in messages):
            return {prefix or "_schema": list(messages)}
        flat = {}
        for item in messages:
            for sub, texts in flatten(item, prefix).items():
                flat.setdefault(sub, []).extend(texts)
        return flat
    return {prefix or "_schema": [str(messages)]}


def envelope(
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Build the JSON error response."""
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    response = jsonify({"error": body})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def unavailable() -> Response:
    """Answer 503 with Retry-After: the database cannot be reached."""
    return envelope(
        503,
        "database_unavailable",
        "The database is temporarily unavailable; try again shortly.",
        headers={"Retry-After": str(current_app.config["RETRY_AFTER_SECONDS"])},
    )


def is_connection_error(exc: BaseException) -> bool:
    """Tell whether a database exception means the server is unreachable or overloaded."""
    if isinstance(exc, OperationalError | InterfaceError | DisconnectionError | PoolTimeout):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def handle_http_exception(error: HTTPException) -> Response:
    """Turn werkzeug and webargs errors into the envelope."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    details = None
    messages = data.get("errors") or data.get("messages")
    if messages:
        # webargs nests messages by location ({"json": {...}}); clients want the field path.
        if isinstance(messages, Mapping) and set(messages) <= {
            "json", "query", "form", "files", "headers", "view_args", "path", "querystring",
        }:
            merged: dict[str, list[str]] = {}
            for location, inner in messages.items():
                prefix = "headers" if location == "headers" else ""
                for path, texts in flatten(inner, prefix).items():
                    merged.setdefault(path, []).extend(texts)
            details = merged
        else:
            details = flatten(messages)
    if status == 400 and details and any("Invalid JSON" in t for v in details.values() for t in v):
        return envelope(400, "malformed_json", "The body is not valid JSON.")
    message = data.get("message") or MESSAGES.get(status) or error.description or error.name
    headers = dict(data.get("headers") or {})
    valid_methods = getattr(error, "valid_methods", None)
    if status == 405 and valid_methods:
        headers["Allow"] = ", ".join(sorted(valid_methods))
    if status == 429 and "Retry-After" not in headers:
        retry = getattr(error, "retry_after", None)
        if retry:
            headers["Retry-After"] = str(retry)
    return envelope(status, HTTP_CODES.get(status, "http_error"), message, details, headers)


def handle_domain_error(error: DomainError) -> Response:
    """Turn a domain error raised by a service into the envelope."""
    headers = {}
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        headers["Retry-After"] = str(retry_after)
    elif error.status == 503:
        headers["Retry-After"] = str(current_app.config["RETRY_AFTER_SECONDS"])
    return envelope(error.status, error.code, error.message, error.details, headers)


def handle_database_error(error: SQLAlchemyError) -> Response:
    """Answer 503 when the database is unreachable, 409 on a constraint clash."""
    if is_connection_error(error):
        log.warning("database unavailable: %s", type(error).__name__)
        return unavailable()
    if isinstance(error, IntegrityError):
        return envelope(409, "conflict", "The change conflicts with existing data.")
    return handle_unexpected(error)


def handle_unexpected(error: Exception) -> Response:
    """Log a bug and answer a bare 500 envelope; under TESTING re-raise so the test fails."""
    if current_app.testing:
        raise error
    rule = request.url_rule.rule if request.url_rule else "<unmatched>"
    if isinstance(error, DBAPIError):
        # A database server quotes the offending value in its message ("invalid input syntax
        # for type integer: \"Jansen\""): log where it happened and the SQLSTATE, not the text.
        original = error.orig
        sqlstate = getattr(getattr(original, "diag", None), "sqlstate", None) or getattr(
            original, "sqlite_errorname", None)
        log.error("unhandled %s (%s, SQLSTATE %s) on %s %s\n%s", type(error).__name__,
                  type(original).__name__, sqlstate, request.method, rule,
                  "".join(traceback.format_tb(error.__traceback__)))
    else:
        log.exception("unhandled error on %s %s", request.method, rule)
    return envelope(500, "internal_error", MESSAGES[500])


def check_body() -> Response | None:
    """Refuse oversized and non-JSON bodies before any view runs."""
    if request.method not in WRITE_METHODS or request.routing_exception is not None:
        return None  # 404 and 405 come from routing, before the body matters
    view = current_app.view_functions.get(request.endpoint or "")
    accepts = getattr(view, "accepts_uploads", False) or getattr(
        getattr(view, "view_class", None), "accepts_uploads", False
    )
    limit = current_app.config["MAX_IMPORT_LENGTH" if accepts else "MAX_CONTENT_LENGTH"]
    length = request.content_length
    if length is not None and length > limit:
        return envelope(413, "payload_too_large", f"The body is larger than {limit} bytes.")
    request.max_content_length = limit
    has_body = bool(length) or request.headers.get("Transfer-Encoding") == "chunked"
    if not has_body:
        return None
    mimetype = request.mimetype
    if mimetype == "application/json" or mimetype.endswith("+json"):
        return None
    if accepts and mimetype in {"text/csv", "multipart/form-data"}:
        return None
    return envelope(415, "unsupported_media_type", MESSAGES[415])


def commit_or_fail(response: Response) -> Response:
    """Commit the request's session if the response is a success; report a failed commit."""
    try:
        finish_request(response.status_code < 400)
    except SQLAlchemyError as exc:
        finish_request(False)
        return handle_database_error(exc)
    return response


def register(app: Flask) -> None:
    """Install the envelope handlers and the body checks on the app."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(SQLAlchemyError, handle_database_error)
    app.register_error_handler(Exception, handle_unexpected)
    app.before_request(check_body)
    app.after_request(commit_or_fail)

"""Domain errors with an HTTP status and a stable code, understood by both the CLI and HTTP."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error the API reports in its envelope."""

    status: int = 400
    code: str = "bad_request"
    message: str = "The request could not be handled."

    def __init__(self, message: str | None = None, *, details: Any = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.details = details


class Unauthorized(DomainError):
    """No valid credentials."""

    status, code, message = 401, "unauthorized", "Authentication required."


class Forbidden(DomainError):
    """The caller is known but may not do this."""

    status, code, message = 403, "forbidden", "You may not do this."


class NotFound(DomainError):
    """The thing does not exist, or its existence is private to the caller."""

    status, code, message = 404, "not_found", "Not found."


class Conflict(DomainError):
    """The write clashes with existing data (a duplicate)."""

    status, code, message = 409, "conflict", "Conflicts with existing data."


class PreconditionFailed(DomainError):
    """The If-Match version is stale."""

    status, code, message = 412, "precondition_failed", "The resource has changed; reload it."


class PreconditionRequired(DomainError):
    """A write needs an If-Match header."""

    status, code, message = 428, "precondition_required", "Send If-Match with the current ETag."


class ValidationFailed(DomainError):
    """Well-formed but invalid input; details map field paths to messages."""

    status, code, message = 422, "validation_error", "The input is not valid."


class RateLimited(DomainError):
    """Too many requests; `retry_after` says how many seconds to wait."""

    status, code, message = 429, "rate_limited", "Too many requests; slow down."

    def __init__(self, message: str | None = None, *, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(DomainError):
    """A dependency (the database, the index) is not available right now."""

    status, code, message = 503, "unavailable", "The service is temporarily unavailable."


class DataFileError(DomainError):
    """A reference or import file is missing, corrupt, truncated or of the wrong shape."""

    status, code, message = 422, "bad_data_file", "The data file is not valid."

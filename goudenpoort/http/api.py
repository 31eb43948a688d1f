"""The flask-smorest Api, with the error envelope in the OpenAPI document."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest import Api as SmorestApi

from goudenpoort.http import envelope


class ErrorBodySchema(ma.Schema):
    """The inside of the error envelope."""

    code = ma.fields.String(required=True, metadata={"description": "Stable machine code"})
    message = ma.fields.String(required=True, metadata={"description": "Human sentence"})
    details = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Raw(),
        metadata={"description": "Field path to messages, for validation errors"},
    )


class ErrorSchema(ma.Schema):
    """The error envelope: `{"error": {"code", "message", "details"}}`."""

    error = ma.fields.Nested(ErrorBodySchema, required=True)


class Api(SmorestApi):
    """flask-smorest Api whose errors use the Gouden Poort envelope."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """Install our envelope instead of flask-smorest's default payload."""
        envelope.register(self._app)

    def handle_http_exception(self, error):  # type: ignore[no-untyped-def]
        """Render werkzeug and webargs errors in the envelope."""
        return envelope.handle_http_exception(error)

"""Every failure answers the one JSON envelope with the right status; never HTML or a trace."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import pytest
from flask import Flask
from flask.views import MethodView

from goudenpoort import create_app
from goudenpoort.config import TestConfig
from goudenpoort.http.blueprint import Blueprint
from goudenpoort.http.schemas import Args


class EchoArgs(Args):
    """A small body with one nested list, to check field paths."""

    name = ma.fields.String(required=True)
    items = ma.fields.List(
        ma.fields.Nested(type("Item", (Args,), {"level": ma.fields.Integer(
            required=True, validate=ma.validate.Range(min=1, max=4))})),
        load_default=list,
    )


def make_echo_app(**overrides: Any) -> Flask:
    """Create an app with one extra POST endpoint that echoes its validated body."""
    app = create_app(TestConfig, DATABASE_URL="sqlite://", **overrides)
    blp = Blueprint("echo", __name__)

    @blp.route("/echo")
    class Echo(MethodView):
        @blp.arguments(EchoArgs)
        @blp.response(201)
        def post(self, body: dict[str, Any]) -> dict[str, Any]:
            return body

    app.extensions["goudenpoort.api"].register_blueprint(blp, url_prefix="/api/v1")
    return app


@pytest.fixture(scope="module")
def echo() -> Any:
    return make_echo_app(MAX_CONTENT_LENGTH=1000).test_client()


def assert_envelope(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def test_valid_body_passes(echo: Any) -> None:
    response = echo.post("/api/v1/echo", json={"name": "x", "items": [{"level": 2}]})
    assert response.status_code == 201
    assert response.get_json() == {"name": "x", "items": [{"level": 2}]}


def test_malformed_json_is_400(echo: Any) -> None:
    response = echo.post("/api/v1/echo", data='{"name": ', content_type="application/json")
    assert_envelope(response, 400, "malformed_json")


def test_validation_error_is_422_with_field_paths(echo: Any) -> None:
    response = echo.post("/api/v1/echo", json={"items": [{"level": 1}, {"level": 5}],
                                               "extra": 1})
    error = assert_envelope(response, 422, "validation_error")
    assert set(error["details"]) == {"name", "items[1].level", "extra"}


def test_non_json_body_is_415(echo: Any) -> None:
    response = echo.post("/api/v1/echo", data="name=x", content_type="text/plain")
    assert_envelope(response, 415, "unsupported_media_type")


def test_body_over_limit_is_413(echo: Any) -> None:
    response = echo.post("/api/v1/echo", json={"name": "x" * 2000})
    assert_envelope(response, 413, "payload_too_large")


def test_unknown_route_is_404_and_wrong_method_405(echo: Any) -> None:
    assert_envelope(echo.get("/api/v1/nothing-here"), 404, "not_found")
    assert_envelope(echo.get("/no/such/page.html"), 404, "not_found")
    response = echo.delete("/api/v1/echo")
    assert_envelope(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


def test_unreachable_database_is_503_with_retry_after() -> None:
    # Port 1 on loopback refuses at once: the connect error must become a 503, not a 500.
    app = create_app(TestConfig, DATABASE_URL="postgresql+psycopg://u:p@127.0.0.1:1/db",
                     RETRY_AFTER_SECONDS=7)
    client = app.test_client()
    response = client.get("/api/v1/skills?q=welding")
    assert_envelope(response, 503, "database_unavailable")
    assert response.headers["Retry-After"] == "7"
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.headers["Retry-After"] == "7"


def test_unexpected_error_is_enveloped_500_outside_testing() -> None:
    app = create_app(TestConfig, DATABASE_URL="sqlite://", TESTING=False, JSON_LOGS=False)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    error = assert_envelope(response, 500, "internal_error")
    assert "secret" not in response.get_data(as_text=True)
    assert "Traceback" not in error["message"]


def test_security_headers_and_request_id(client: Any) -> None:
    response = client.get("/healthz", headers={"X-Request-Id": "abc123"})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Request-Id"] == "abc123"
    odd = client.get("/healthz", headers={"X-Request-Id": "<script>"})
    assert odd.headers["X-Request-Id"] != "<script>"


def test_unexpected_error_re_raises_under_testing() -> None:
    app = create_app(TestConfig, DATABASE_URL="sqlite://")

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError, match="a bug"):
        app.test_client().get("/boom")

"""Rate limits answer 429 with Retry-After; CORS stays closed unless configured."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from goudenpoort import create_app
from goudenpoort.auth import current_account, requires
from goudenpoort.config import TestConfig
from goudenpoort.db import get_db
from tests.factories import auth_headers, create_account


def limited_app(database_url: str, connection: Connection, **overrides: Any) -> Flask:
    """An app with rate limits on, sharing the test's transaction, with one protected view."""
    app = create_app(TestConfig, DATABASE_URL=database_url, RATELIMIT_ENABLED=True, **overrides)
    get_db(app).sessionmaker.configure(bind=connection, join_transaction_mode="create_savepoint")

    @app.get("/protected")
    @requires()
    def protected() -> Any:
        return jsonify({"role": current_account().role})

    return app


def test_per_caller_limit_gives_429_envelope(database_url: str, connection: Connection) -> None:
    client = limited_app(database_url, connection,
                         RATELIMIT_PER_CALLER="3 per minute").test_client()
    statuses = [client.get("/api/v1/regions").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/regions")
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) > 0
    assert client.get("/healthz").status_code == 200  # probes are exempt


def test_repeated_auth_failures_are_throttled(
    database_url: str, connection: Connection, session: Session
) -> None:
    app = limited_app(database_url, connection, RATELIMIT_AUTH_FAILURES="2 per minute")
    headers = auth_headers(session, create_account(session, role="adviser"))
    session.commit()
    client = app.test_client()
    assert client.get("/protected", headers=headers).status_code == 200
    bad = {"Authorization": "Bearer gp_wrong"}
    assert [client.get("/protected", headers=bad).status_code for _ in range(2)] == [401, 401]
    blocked = client.get("/protected", headers=bad)
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) >= 1
    # The address is blocked for sign-in attempts, even with a good token, until the window ends.
    assert client.get("/protected", headers=headers).status_code == 429


def test_missing_token_is_401_envelope(database_url: str, connection: Connection) -> None:
    client = limited_app(database_url, connection).test_client()
    response = client.get("/protected")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_cors_closed_by_default_open_by_setting(database_url: str, connection: Connection) -> None:
    origin = {"Origin": "https://portal.example.nl"}
    closed = limited_app(database_url, connection).test_client()
    response = closed.get("/api/v1/regions", headers=origin)
    assert "Access-Control-Allow-Origin" not in response.headers
    opened = limited_app(database_url, connection,
                         CORS_ORIGINS=["https://portal.example.nl"]).test_client()
    allowed = opened.get("/api/v1/regions", headers=origin)
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://portal.example.nl"
    other = opened.get("/api/v1/regions", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers

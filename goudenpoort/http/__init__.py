"""The HTTP layer: one blueprint per resource, registered on one flask-smorest Api."""

from __future__ import annotations

from flask import Flask, Response

from goudenpoort.http.api import Api

API_PREFIX = "/api/v1"


def _security_headers(response: Response) -> Response:
    """Add conservative security headers to every response."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Cache-Control", "no-store")
    return response


def register_http(app: Flask) -> Api:
    """Create the Api and register every blueprint."""
    # Registered before the Api so that it runs after the commit hook (Flask runs them reversed).
    app.after_request(_security_headers)
    if app.config["CORS_ORIGINS"]:
        from flask_cors import CORS

        CORS(app, origins=app.config["CORS_ORIGINS"], expose_headers=["ETag", "X-Request-Id"],
             allow_headers=["Authorization", "Content-Type", "If-Match"])
    api = Api(app)
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "Bearer token"}
    )

    from goudenpoort.http import (
        accounts,
        audit,
        candidates,
        docs,
        employers,
        health,
        matches,
        organisations,
        regions,
        routes,
        taxonomy,
        vacancies,
    )

    app.register_blueprint(health.blp)
    app.register_blueprint(docs.blp)
    for module in (taxonomy, regions, accounts, organisations, candidates, audit, routes,
                   vacancies, employers, matches):
        api.register_blueprint(module.blp, url_prefix=API_PREFIX)
    app.extensions["goudenpoort.api"] = api
    return api

"""Liveness and readiness probes, without authentication."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from goudenpoort.db import get_db, get_session
from goudenpoort.services import readiness

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz() -> Response:
    """Tell that the process is alive."""
    return jsonify({"status": "ok"})


@blp.get("/readyz")
def readyz() -> Response:
    """Tell whether the database is reachable, the taxonomy loaded and the index ready."""
    try:
        get_db().ping()
    except SQLAlchemyError:
        response = jsonify({"status": "unavailable", "database": "unreachable"})
        response.status_code = 503
        response.headers["Retry-After"] = str(current_app.config["RETRY_AFTER_SECONDS"])
        return response
    report = readiness.report(get_session())
    response = jsonify(report)
    response.status_code = 200 if report["status"] == "ready" else 503
    if response.status_code == 503:
        response.headers["Retry-After"] = str(current_app.config["RETRY_AFTER_SECONDS"])
    return response

"""Structured JSON logs with a request id; personal data never goes into a log line."""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid

from flask import Flask, Response, g, request


class JsonFormatter(logging.Formatter):
    """Format a log record as one JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record with its request id, if any."""
        payload = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in ("request_id", "method", "path", "status", "ms"):
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


def init_app(app: Flask) -> None:
    """Configure JSON logging and tag each request with an id echoed as `X-Request-Id`."""
    if app.config["JSON_LOGS"]:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root = logging.getLogger("goudenpoort")
        root.handlers[:] = [handler]
        root.setLevel(logging.INFO)
        root.propagate = False

    access = logging.getLogger("goudenpoort.access")

    @app.before_request
    def _start() -> None:
        incoming = request.headers.get("X-Request-Id", "")
        # Accept a caller's id only if it is short and plain, so it cannot smuggle data into logs.
        plain = incoming.isascii() and incoming.isalnum() and len(incoming) <= 64
        g.request_id = incoming if plain else uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers["X-Request-Id"] = g.get("request_id", "")
        # Only the URL rule (not the path) is logged: paths may hold ids of candidates.
        rule = request.url_rule.rule if request.url_rule else "<unmatched>"
        access.info(
            "request",
            extra={
                "request_id": g.get("request_id"),
                "method": request.method,
                "path": rule,
                "status": response.status_code,
                "ms": round((time.perf_counter() - g.get("started", 0.0)) * 1000, 2),
            },
        )
        return response

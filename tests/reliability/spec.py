"""The app's own OpenAPI document, read once, for tests that cover every operation."""

from __future__ import annotations

import functools
import os
import tempfile
from typing import Any

from goudenpoort import create_app
from goudenpoort.config import TestConfig

OPENAPI_PATH = "/api/v1/openapi.json"
WRITE_METHODS = ("post", "put", "patch", "delete")
METHODS = ("get", *WRITE_METHODS)


@functools.cache
def openapi_document() -> dict[str, Any]:
    """Render the OpenAPI document of a throwaway app (no database is touched)."""
    previous = os.environ.get("GOUDENPOORT_INSTANCE_PATH")
    # The test session has not set the instance folder yet at collection time; keep it out of
    # the repository.
    os.environ["GOUDENPOORT_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="gp-spec-")
    try:
        app = create_app(TestConfig, DATABASE_URL="sqlite://")
        return app.test_client().get(OPENAPI_PATH).get_json()
    finally:
        if previous is None:
            os.environ.pop("GOUDENPOORT_INSTANCE_PATH", None)
        else:
            os.environ["GOUDENPOORT_INSTANCE_PATH"] = previous


def operations(methods: tuple[str, ...] = METHODS) -> list[tuple[str, str]]:
    """Return (METHOD, path) of every documented operation with one of these methods."""
    found = []
    for path, item in openapi_document()["paths"].items():
        for method in item:
            if method in methods:
                found.append((method.upper(), path))
    return sorted(found, key=lambda op: (op[1], op[0]))


def label(operation: tuple[str, str]) -> str:
    """Return a readable pytest id for an operation."""
    return f"{operation[0]} {operation[1]}"

"""Build in-memory indexes before serving, so the first request is not the slow one."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy.orm import Session

from goudenpoort import index_registry
from goudenpoort.db import session_scope
from goudenpoort.services import taxonomy

# The label search indexes, then the matching index (loaded from INDEX_DIR or built).
STEPS: list[Callable[[Session], None]] = [taxonomy.warm_up, index_registry.warm_up]


def warm_up_app(app: Flask) -> None:
    """Run every warm-up step inside an app context, then release the connections."""
    with app.app_context(), session_scope(app) as session:
        for step in STEPS:
            step(session)

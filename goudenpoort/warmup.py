"""Build in-memory indexes before serving, so the first request is not the slow one."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy.orm import Session

from goudenpoort.db import session_scope
from goudenpoort.services import taxonomy

# Later parts (the matching index) append their own warm-up step here.
STEPS: list[Callable[[Session], None]] = [taxonomy.warm_up]


def warm_up_app(app: Flask) -> None:
    """Run every warm-up step inside an app context, then release the connections."""
    with app.app_context(), session_scope(app) as session:
        for step in STEPS:
            step(session)

"""The matching index of each app in this process: created on first use, warmed up before
serving (gunicorn --preload shares it with the workers), reported by /readyz."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy.orm import Session

from goudenpoort.errors import DomainError
from goudenpoort.services import readiness
from goudenpoort.services.match_index import MatchRegistry

EXTENSION = "goudenpoort.match_registry"


def index_dir(app: Flask) -> Path:
    """Return where the app keeps its index artifacts (INDEX_DIR, default instance/index)."""
    return Path(app.config.get("INDEX_DIR") or Path(app.instance_path) / "index")


def registry(app: Flask | None = None) -> MatchRegistry:
    """Return the app's registry, creating it (empty: it loads or builds on first use)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get(EXTENSION)
    if found is None:
        found = app.extensions.setdefault(EXTENSION, MatchRegistry(
            index_dir(app),
            label_recheck_seconds=float(app.config["SEARCH_INDEX_RECHECK_SECONDS"])))
    return found


def warm_up(session: Session) -> None:
    """Load or build the index before serving (a warm-up step of goudenpoort.warmup)."""
    registry().sync(session)


def probe(session: Session) -> dict[str, Any]:
    """Report the index for /readyz: loaded (or built now), its size and age."""
    found = registry()
    try:
        state = found.sync(session)
    except DomainError as exc:
        return {"ready": False, "error": exc.message}
    return {"ready": True, "rebuilding": found.rebuilding, **state.info()}


readiness.PROBES["matching"] = probe

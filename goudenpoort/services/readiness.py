"""What /readyz reports: database, taxonomy and matching index."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Skill, TaxonomyRelease

# Later parts (the matching index) register a callable that describes their state, given the
# request's session; each returns a dict with at least {"ready": bool}.
PROBES: dict[str, Callable[[Session], dict[str, Any]]] = {}


def report(session: Session) -> dict[str, Any]:
    """Return the readiness report; status is `ready` only when every part is."""
    release = session.scalars(select(TaxonomyRelease)).first()
    skills = session.scalar(select(func.count()).select_from(Skill)) or 0
    taxonomy = {
        "ready": release is not None and skills > 0,
        "release": f"{release.name} {release.version}" if release else None,
        "skills": skills,
    }
    parts: dict[str, Any] = {"database": {"ready": True}, "taxonomy": taxonomy}
    for name, probe in PROBES.items():
        parts[name] = probe(session)
    ready = all(part.get("ready") for part in parts.values())
    return {"status": "ready" if ready else "not_ready", **parts}

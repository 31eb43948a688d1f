"""Large synthetic catalogues on the demo's ESCO concepts, for benchmarks (100k routes, 1M
vacancies): items are built already normalised and written with executemany in batches.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from goudenpoort.demo import dataset
from goudenpoort.services.catalogue_rows import digest
from goudenpoort.services.routes import save_routes
from goudenpoort.services.vacancies import save_vacancies
from models import Organisation

GEN = "gen:"  # external-id prefix of generated organisations and items
REGIONS = ["zwolle", "twente", "achterhoek", "veluwe-stedendriehoek", "midden-gelderland",
           "rijk-van-nijmegen", "rivierenland", "foodvalley"]
ROUTE_LEVELS = ["mbo-2", "mbo-3", "mbo-4", "short-course", "in-company"]
ROUTE_MODES = ["bbl", "bol", "part-time", "hybrid"]


def _all_occupations() -> list[dict[str, Any]]:
    return [occ for items in dataset.concepts()["sectors"].values() for occ in items]


def ensure_owners(session: Session, kind: str, count: int) -> list[uuid.UUID]:
    """Return the ids of `count` generated organisations of a kind, creating missing ones."""
    prefix = f"{GEN}{kind}:"
    existing = {org.external_id: org.id for org in session.scalars(
        select(Organisation).where(Organisation.external_id.like(f"{prefix}%")))}
    ids = []
    for n in range(count):
        key = f"{prefix}{n:05d}"
        if key not in existing:
            org = Organisation(kind=kind, external_id=key, region=REGIONS[n % len(REGIONS)],
                               name=f"Synthetisch {kind.replace('_', ' ')} {n:05d}")
            session.add(org)
            session.flush()
            existing[key] = org.id
        ids.append(existing[key])
    return ids


def _route(rng: random.Random, n: int, seed: int, occupations: list[dict[str, Any]]
           ) -> dict[str, Any]:
    occ = occupations[n % len(occupations)]
    taught = occ["essential"][: rng.randint(4, 10)]
    skills = [[uri, rng.randint(2, 3)] for uri in taught]
    half = max(1, len(taught) // 2)
    item: dict[str, Any] = {
        "external_id": f"{GEN}{seed}:{n}", "title": f"{dataset.nl_label(occ)} #{n}",
        "description": "", "level": rng.choice(ROUTE_LEVELS), "mode": rng.choice(ROUTE_MODES),
        "place": "", "region": rng.choice(REGIONS),
        "lat": round(51.8 + rng.random() * 0.9, 4), "lon": round(5.2 + rng.random() * 1.7, 4),
        "duration_weeks": rng.choice([12, 26, 52, 104]), "hours_per_week": rng.choice([16, 32]),
        "start_dates": ["2027-09-06"], "seats": rng.choice([8, 16, 24]), "cost_eur": 0,
        "funding_notes": "", "min_education": None,
        "min_dutch_cefr": rng.choice([None, "A2", "B1"]), "required_skills": [],
        "skills": skills,
        "modules": [{"title": "Deel 1", "hours": 80, "skills": taught[:half]},
                    {"title": "Deel 2", "hours": 80, "skills": taught[half:]}],
        "occupations": [occ["uri"]], "partners": [],
    }
    item["digest"] = digest(item)
    return item


def _vacancy(rng: random.Random, n: int, seed: int, occupations: list[dict[str, Any]]
             ) -> dict[str, Any]:
    occ = occupations[n % len(occupations)]
    essential = rng.sample(occ["essential"], min(len(occ["essential"]), rng.randint(4, 8)))
    optional = occ["optional"][: rng.randint(0, 3)]
    item: dict[str, Any] = {
        "external_id": f"{GEN}{seed}:{n}", "title": f"{dataset.nl_label(occ)} #{n}",
        "description": "", "occupation": occ["uri"],
        "skills": [[uri, rng.randint(1, 3), True] for uri in essential]
        + [[uri, 2, False] for uri in optional if uri not in essential],
        "min_dutch_cefr": rng.choice([None, "A2", "B1"]), "min_education": None,
        "hours_per_week": rng.choice([32, 38, 40]), "start_date": "2027-03-01", "place": "",
        "region": rng.choice(REGIONS),
        "lat": round(51.8 + rng.random() * 0.9, 4), "lon": round(5.2 + rng.random() * 1.7, 4),
        "positions": rng.randint(1, 3), "guarantee": rng.random() < 0.3, "status": "open",
    }
    item["digest"] = digest(item)
    return item


def batches(kind: str, total: int, *, seed: int, size: int) -> Iterator[list[dict[str, Any]]]:
    """Yield the generated items of a kind in batches (deterministic for a seed)."""
    occupations = _all_occupations()
    make = _route if kind == "routes" else _vacancy
    rng = random.Random(f"{seed}:{kind}")
    for start in range(0, total, size):
        yield [make(rng, n, seed, occupations) for n in range(start, min(total, start + size))]


def generate(
    session: Session,
    *,
    kind: str,
    total: int,
    seed: int = 1,
    size: int = 5000,
    owners: int | None = None,
    on_batch: Callable[[int], Any] | None = None,
) -> dict[str, int]:
    """Upsert `total` generated routes or vacancies over generated owners; returns counts.

    `on_batch` runs after each batch (the CLI commits there and moves its progress bar).
    """
    org_kind = "training_centre" if kind == "routes" else "employer"
    owner_ids = ensure_owners(session, org_kind, owners or max(10, total // 1000))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    save = save_routes if kind == "routes" else save_vacancies
    owner_key = "provider_id" if kind == "routes" else "employer_id"
    # Contiguous blocks per owner keep each batch to one or two owners: big executemany calls.
    per_owner = -(-max(total, 1) // len(owner_ids))
    for batch in batches(kind, total, seed=seed, size=size):
        by_owner: dict[uuid.UUID, list[dict[str, Any]]] = {}
        for item in batch:
            n = int(item["external_id"].rsplit(":", 1)[1])
            by_owner.setdefault(owner_ids[n // per_owner], []).append(item)
        for owner, items in by_owner.items():
            result = save(session, items=items, **{owner_key: owner})
            counts["created"] += result.created
            counts["updated"] += result.updated
            counts["unchanged"] += result.unchanged
        if on_batch is not None:
            on_batch(len(batch))
    return counts

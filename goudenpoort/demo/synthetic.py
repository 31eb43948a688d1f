"""Generate deterministic synthetic skill profiles from ESCO technical occupations.

Pure Python and numpy, no database: the same seed gives the same profiles (ids included), so
`flask demo generate` can write them as rows and the benchmarks can use them directly.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from goudenpoort.matching.profiles import (
    Candidate,
    CandidateFacts,
    Item,
    ItemFacts,
    Module,
    PastOccupation,
    SkillClaim,
    SkillGraph,
    SkillNeed,
)
from goudenpoort.matching.skill_space import GENERIC_REUSE
from goudenpoort.taxonomy.files import open_release, split

ROOT = Path(__file__).resolve().parent.parent.parent
ESCO_DIR = ROOT / "data" / "esco"
CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")
# Rough bounding box of the Netherlands, for demo locations.
LAT, LON = (51.3, 53.4), (3.6, 7.1)


@dataclass(frozen=True)
class Occupation:
    """An ESCO occupation with its essential and optional skills."""

    uri: str
    label: str
    alt_labels: tuple[str, ...]
    technical: bool
    essential: tuple[str, ...]
    optional: tuple[str, ...]


@dataclass(frozen=True)
class Esco:
    """The parts of the ESCO copy the engine and the generators need."""

    release: str
    occupations: dict[str, Occupation]
    skill_labels: dict[str, str]
    skill_kinds: dict[str, str]  # "skill" or "group"
    graph: SkillGraph

    @property
    def technical(self) -> list[Occupation]:
        """Return the technical occupations, sorted by URI."""
        return [o for _, o in sorted(self.occupations.items()) if o.technical]


def load_esco(directory: str | Path = ESCO_DIR) -> Esco:
    """Read and verify the compact ESCO copy (checksums against its manifest)."""
    release = open_release(directory)
    labels: dict[str, str] = {}
    kinds: dict[str, str] = {}
    generic: set[str] = set()
    for row in release.read("skills.csv.gz"):
        labels[row["uri"]] = row["label_en"]
        kinds[row["uri"]] = row["kind"]
        if row["reuse_level"] in GENERIC_REUSE:
            generic.add(row["uri"])
    essential: dict[str, list[str]] = {}
    optional: dict[str, list[str]] = {}
    for row in release.read("occupation_skills.csv.gz"):
        target = essential if row["relation_type"] == "essential" else optional
        target.setdefault(row["occupation_uri"], []).append(row["skill_uri"])
    occupations = {
        row["uri"]: Occupation(
            uri=row["uri"], label=row["label_en"], alt_labels=tuple(split(row["alt_en"])),
            technical=row["technical"] == "1",
            essential=tuple(sorted(essential.get(row["uri"], ()))),
            optional=tuple(sorted(optional.get(row["uri"], ()))),
        )
        for row in release.read("occupations.csv.gz")
    }
    broader = tuple((r["uri"], r["broader_uri"]) for r in release.read("skill_broader.csv.gz"))
    related = tuple((r["uri"], r["related_uri"], r["relation_type"] == "essential")
                    for r in release.read("skill_relations.csv.gz"))
    groups = frozenset(uri for uri, kind in kinds.items() if kind == "group")
    name = f"{release.name} {release.version} ({release.digest[:12]})"
    graph = SkillGraph(broader=broader, related=related, groups=groups,
                       generic=frozenset(generic), release=name)
    return Esco(name, occupations, labels, kinds, graph)


class _Needs:
    """Interned SkillNeed/SkillClaim objects: a million profiles share a few thousand."""

    def __init__(self) -> None:
        self.needs: dict[tuple[str, int, bool], SkillNeed] = {}
        self.claims: dict[tuple[str, int], SkillClaim] = {}

    def need(self, uri: str, level: int, essential: bool) -> SkillNeed:
        key = (uri, level, essential)
        found = self.needs.get(key)
        if found is None:
            found = self.needs[key] = SkillNeed(uri, level, essential)
        return found

    def claim(self, uri: str, level: int) -> SkillClaim:
        key = (uri, level)
        found = self.claims.get(key)
        if found is None:
            found = self.claims[key] = SkillClaim(uri, level)
        return found


def _uuid(rng: np.random.Generator) -> str:
    """Return a random-looking but seeded UUID4 string."""
    return str(uuid.UUID(bytes=rng.bytes(16), version=4))


def _subset(rng: np.random.Generator, pool: tuple[str, ...], keep: float,
            minimum: int = 0) -> list[str]:
    """Keep each skill with probability `keep`, at least `minimum` (when the pool allows)."""
    if not pool:
        return []
    mask = rng.random(len(pool)) < keep
    if mask.sum() < minimum:
        mask[rng.permutation(len(pool))[:minimum]] = True
    return [s for s, m in zip(pool, mask, strict=True) if m]


def _location(rng: np.random.Generator) -> tuple[float, float]:
    """Return a point in the Netherlands' bounding box."""
    return (round(float(rng.uniform(*LAT)), 4), round(float(rng.uniform(*LON)), 4))


def routes(esco: Esco, n: int, seed: int = 1) -> Iterator[Item]:
    """Yield n training routes; each teaches most essential skills of a technical occupation."""
    rng = np.random.default_rng([seed, 1])
    occupations = esco.technical
    pool = _Needs()
    for _ in range(n):
        occupation = occupations[int(rng.integers(len(occupations)))]
        level = int(rng.integers(2, 4))
        taught = _subset(rng, occupation.essential, 0.85, minimum=3)
        extra = _subset(rng, occupation.optional, 0.1)
        needs = tuple([pool.need(s, level, True) for s in taught]
                      + [pool.need(s, level, False) for s in extra])
        parts = max(1, min(4, len(taught) // 4))
        modules = tuple(
            Module(id=f"m{i + 1}", title=f"{occupation.label}: part {i + 1}",
                   skills=tuple(taught[i::parts]))
            for i in range(parts)
        )
        yield Item(id=_uuid(rng), kind="route", needs=needs, title=occupation.label,
                   modules=modules,
                   facts=ItemFacts(dutch_min=CEFR[int(rng.integers(1, 4))],
                                   education_min=int(rng.integers(0, 3)),
                                   starts_on=None, location=_location(rng)))


def vacancies(esco: Esco, n: int, seed: int = 2) -> Iterator[Item]:
    """Yield n vacancies: essential and optional skills of a technical occupation, levels 2-4."""
    rng = np.random.default_rng([seed, 2])
    occupations = esco.technical
    pool = _Needs()
    for _ in range(n):
        occupation = occupations[int(rng.integers(len(occupations)))]
        required = _subset(rng, occupation.essential, 0.8, minimum=3)
        optional = _subset(rng, occupation.optional, 0.3)
        levels = rng.integers(2, 5, size=len(required) + len(optional)).tolist()
        needs = tuple(
            [pool.need(s, lv, True) for s, lv in zip(required, levels, strict=False)]
            + [pool.need(s, lv, False) for s, lv in
               zip(optional, levels[len(required):], strict=True)]
        )
        hours = int(rng.choice([24, 32, 36, 40]))
        yield Item(id=_uuid(rng), kind="vacancy", needs=needs, title=occupation.label,
                   facts=ItemFacts(dutch_min=CEFR[int(rng.integers(1, 4))],
                                   education_min=int(rng.integers(0, 3)),
                                   hours_min=hours - 8, hours_max=hours,
                                   location=_location(rng)))


def employers(esco: Esco, n: int, seed: int = 3) -> Iterator[Item]:
    """Yield n employers: the bag of skills of the 1-3 occupations each hires for."""
    rng = np.random.default_rng([seed, 3])
    occupations = esco.technical
    pool = _Needs()
    for _ in range(n):
        hired = [occupations[int(i)] for i in rng.choice(len(occupations),
                                                         size=int(rng.integers(1, 4)),
                                                         replace=False)]
        essential = sorted({s for o in hired for s in o.essential})
        optional = sorted({s for o in hired for s in o.optional} - set(essential))
        needs = tuple([pool.need(s, 2, True) for s in essential]
                      + [pool.need(s, 2, False) for s in optional])
        yield Item(id=_uuid(rng), kind="employer", needs=needs,
                   title=" / ".join(o.label for o in hired), facts=ItemFacts(
                       location=_location(rng)))


def candidates(esco: Esco, n: int, seed: int = 4) -> Iterator[Candidate]:
    """Yield n candidates: half of a technical occupation's essential skills, a few others,
    and for a third of them a past non-technical occupation (career switchers)."""
    rng = np.random.default_rng([seed, 4])
    technical = esco.technical
    others = [o for _, o in sorted(esco.occupations.items()) if not o.technical and o.essential]
    all_skills = sorted({s for o in technical for s in o.essential})
    pool = _Needs()
    for _ in range(n):
        occupation = technical[int(rng.integers(len(technical)))]
        skills = _subset(rng, occupation.essential, 0.5, minimum=2)
        skills += [all_skills[int(i)] for i in rng.integers(len(all_skills), size=2)]
        levels = rng.integers(1, 5, size=len(skills)).tolist()
        claims = tuple(dict.fromkeys(pool.claim(s, lv) for s, lv in
                                     zip(skills, levels, strict=True)))
        past: tuple[PastOccupation, ...] = ()
        if rng.random() < 1 / 3:
            held = others[int(rng.integers(len(others)))]
            past = (PastOccupation(uri=held.uri, years=float(rng.integers(1, 15)), needs=tuple(
                [pool.need(s, 2, True) for s in held.essential]
                + [pool.need(s, 2, False) for s in held.optional])),)
        yield Candidate(
            id=_uuid(rng), claims=claims, past=past,
            facts=CandidateFacts(dutch=CEFR[int(rng.integers(0, 6))],
                                 education=int(rng.integers(0, 4)),
                                 hours_per_week=int(rng.choice([16, 24, 32, 40])),
                                 location=_location(rng),
                                 max_travel_km=float(rng.choice([15, 30, 50]))))

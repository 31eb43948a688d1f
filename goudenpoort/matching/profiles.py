"""The engine's frozen inputs: skill claims and needs, items, candidates and the skill graph."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from goudenpoort.matching import weights

ITEM_KINDS = ("route", "vacancy", "employer", "occupation")


def _check_level(level: int | None) -> None:
    """Reject a level outside 1..LEVELS."""
    if level is not None and not 1 <= level <= weights.LEVELS:
        raise ValueError(f"level must be between 1 and {weights.LEVELS}, got {level}")


@dataclass(frozen=True, slots=True)
class SkillClaim:
    """A skill a candidate has, at a level 1..4 (None: unknown, taken as the default)."""

    uri: str
    level: int | None = None

    def __post_init__(self) -> None:
        _check_level(self.level)


@dataclass(frozen=True, slots=True)
class SkillNeed:
    """A skill an item asks for or teaches, at a target level, essential or optional."""

    uri: str
    level: int | None = None
    essential: bool = True

    def __post_init__(self) -> None:
        _check_level(self.level)


@dataclass(frozen=True, slots=True)
class Module:
    """A part of a training route and the skills it teaches."""

    id: str
    title: str
    skills: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """Plain requirements of an item, used for flags only (never to filter)."""

    dutch_min: str | None = None  # CEFR level, e.g. "B1"
    education_min: int | None = None  # the caller's ordinal of education levels
    hours_min: int | None = None
    hours_max: int | None = None
    starts_on: date | None = None
    location: tuple[float, float] | None = None  # WGS84 (lat, lon)


@dataclass(frozen=True, slots=True)
class CandidateFacts:
    """Plain facts about a candidate, compared with an item's requirements for flags."""

    dutch: str | None = None
    education: int | None = None
    hours_per_week: int | None = None
    available_from: date | None = None
    location: tuple[float, float] | None = None
    max_travel_km: float | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """A route, vacancy, employer or occupation as a bag of skill needs."""

    id: str
    kind: str
    needs: tuple[SkillNeed, ...]
    title: str = ""
    modules: tuple[Module, ...] = ()
    facts: ItemFacts = field(default_factory=ItemFacts)

    def __post_init__(self) -> None:
        if self.kind not in ITEM_KINDS:
            raise ValueError(f"unknown item kind {self.kind!r}")


@dataclass(frozen=True, slots=True)
class PastOccupation:
    """An occupation the candidate held, with its ESCO skills (filled in by the caller)."""

    uri: str
    needs: tuple[SkillNeed, ...]
    years: float = 0.0


@dataclass(frozen=True, slots=True)
class Candidate:
    """A candidate as a bag of skill claims, with past occupations and plain facts."""

    id: str
    claims: tuple[SkillClaim, ...]
    past: tuple[PastOccupation, ...] = ()
    facts: CandidateFacts = field(default_factory=CandidateFacts)


@dataclass(frozen=True)
class SkillGraph:
    """The ESCO skill structure the caller read: (narrower, broader) and related pairs.

    `related` holds (skill, skill, essential) triples; `groups` the URIs that are skill groups
    rather than skills; `generic` the transversal and cross-sector skills (ESCO reuse level),
    whose neighbours say little about fit; `release` names the taxonomy release.
    """

    broader: tuple[tuple[str, str], ...]
    related: tuple[tuple[str, str, bool], ...] = ()
    groups: frozenset[str] = frozenset()
    generic: frozenset[str] = frozenset()
    release: str = ""

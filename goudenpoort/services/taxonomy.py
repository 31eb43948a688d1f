"""Look up and search ESCO skills and occupations."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from goudenpoort.batches import chunks
from goudenpoort.errors import NotFound, ValidationFailed
from goudenpoort.matching.label_search import Hit, LabelEntry, LabelIndex
from models import (
    Occupation,
    OccupationLabel,
    OccupationSkill,
    Skill,
    SkillBroader,
    SkillLabel,
    TaxonomyRelease,
)

ESCO = "http://data.europa.eu/esco/"
Kind = Literal["skill", "occupation"]


@dataclass(frozen=True)
class SearchResult:
    """A search hit with its display label in the requested language."""

    uri: str
    label: str
    label_lang: str
    matched_label: str
    matched_lang: str
    score: float
    label_origin: str = "esco"  # project: the display label is ours, not official ESCO


@dataclass(frozen=True)
class SkillProposal:
    """An essential skill of the chosen occupations, labelled for display."""

    uri: str
    label: str
    label_lang: str
    label_origin: str
    occupation_uris: tuple[str, ...]  # the chosen occupations that need it


@dataclass(frozen=True)
class SearchPage:
    """Search hits, and whether the best of them matched a label outside `lang`."""

    items: list[SearchResult]
    lang_fallback: bool


def expand_ref(ref: str, kind: Kind) -> str:
    """Turn a bare ESCO id (the last part of the URI) into the full URI."""
    if ref.startswith(("http://", "https://")):
        return ref
    return f"{ESCO}{kind}/{ref}"


def display_label(concept: Skill | Occupation, lang: str) -> tuple[str, str]:
    """Return the label in `lang`, falling back to English, and the language it is in."""
    return pick_label(concept.label_nl, concept.label_en, lang)


def pick_label(label_nl: str | None, label_en: str, lang: str) -> tuple[str, str]:
    """Return the Dutch label when asked and present, else the English one, with its language."""
    if lang == "nl" and label_nl:
        return label_nl, "nl"
    return label_en, "en"


def label_origin(concept: Skill | Occupation, lang: str) -> str:
    """Return `project` if the display label in `lang` is one of ours, else `esco`."""
    if lang == "nl" and concept.label_nl and getattr(concept, "label_nl_origin", None):
        return str(concept.label_nl_origin)  # type: ignore[union-attr]
    return "esco"


def get_skill(session: Session, ref: str) -> Skill:
    """Return a skill or skill group by URI or id, or raise NotFound."""
    skill = session.get(Skill, expand_ref(ref, "skill"))
    if skill is None:
        raise NotFound("No ESCO skill with this URI.")
    return skill


def get_occupation(session: Session, ref: str) -> Occupation:
    """Return an occupation by URI or id, or raise NotFound."""
    occupation = session.get(Occupation, expand_ref(ref, "occupation"))
    if occupation is None:
        raise NotFound("No ESCO occupation with this URI.")
    return occupation


def broader_skills(session: Session, uri: str) -> list[Skill]:
    """Return the broader concepts (skill groups or skills) of a skill."""
    query = (
        select(Skill)
        .join(SkillBroader, SkillBroader.broader_uri == Skill.uri)
        .where(SkillBroader.uri == uri)
        .order_by(Skill.uri)
    )
    return list(session.scalars(query))


def occupation_skills(session: Session, uri: str) -> dict[str, list[Skill]]:
    """Return an occupation's skills split into `essential` and `optional`."""
    query = (
        select(OccupationSkill.relation_type, Skill)
        .join(Skill, Skill.uri == OccupationSkill.skill_uri)
        .where(OccupationSkill.occupation_uri == uri)
        .order_by(Skill.label_en, Skill.uri)
    )
    grouped: dict[str, list[Skill]] = {"essential": [], "optional": []}
    for relation, skill in session.execute(query):
        grouped.setdefault(relation, []).append(skill)
    return grouped


def occupation_skill_proposals(session: Session, occupation_uris: Iterable[str], lang: str
                               ) -> list[SkillProposal]:
    """Return the essential skills of the occupations, most shared first, then by label."""
    uris = list(dict.fromkeys(expand_ref(ref, "occupation") for ref in occupation_uris))
    missing = unknown_uris(session, "occupation", uris)
    if missing:
        raise ValidationFailed("Unknown ESCO occupation.",
                               details={"occupations": sorted(missing)})
    needed_by: dict[str, list[str]] = {}
    skills: dict[str, Skill] = {}
    for chunk in chunks(uris):
        query = (
            select(OccupationSkill.occupation_uri, Skill)
            .join(Skill, Skill.uri == OccupationSkill.skill_uri)
            .where(OccupationSkill.occupation_uri.in_(chunk),
                   OccupationSkill.relation_type == "essential")
        )
        for occupation_uri, skill in session.execute(query):
            skills[skill.uri] = skill
            needed_by.setdefault(skill.uri, []).append(occupation_uri)
    proposals = []
    for uri, skill in skills.items():
        label, label_lang = display_label(skill, lang)
        order = {occ: i for i, occ in enumerate(uris)}
        proposals.append(SkillProposal(uri, label, label_lang, label_origin(skill, lang),
                                       tuple(sorted(needed_by[uri], key=order.__getitem__))))
    proposals.sort(key=lambda p: (-len(p.occupation_uris), p.label.casefold(), p.uri))
    return proposals


def unknown_uris(session: Session, kind: Kind, uris: Iterable[str]) -> set[str]:
    """Return those of the given URIs that name no concept of that kind."""
    wanted = set(uris)
    if not wanted:
        return set()
    model: Any = Skill if kind == "skill" else Occupation
    found: set[str] = set()
    for chunk in chunks(sorted(wanted)):
        found.update(session.scalars(select(model.uri).where(model.uri.in_(chunk))))
    return wanted - found


def _label_version(session: Session, kind: Kind) -> tuple[Any, ...]:
    """Return a value that changes whenever the labels of a kind change (release or layer)."""
    label_model: Any = SkillLabel if kind == "skill" else OccupationLabel
    marker = session.scalars(select(TaxonomyRelease.digest)).first()
    # A changed label is deleted and re-inserted by the sync, so count and highest id
    # together notice any change of the label set; a concept's display labels (label_nl,
    # label_en) change only together with its labels (release or Dutch label layer).
    return (marker, *session.execute(
        select(func.count(), func.max(label_model.id)).select_from(label_model)).one())


class _Versioned:
    """Something built from the labels of one kind per database, rebuilt when they change.

    The version is read at most once per `recheck_seconds` (0: every call): counting 125,000
    skill labels took half of a search request on PostgreSQL, and labels change only through
    imports, which then show within that interval.
    """

    def __init__(self, build: Any) -> None:
        self._build = build  # (session, kind) -> the value, or None when nothing is loaded
        self._lock = threading.Lock()
        self._values: dict[tuple[str, str], tuple[tuple[Any, ...], Any]] = {}
        self._checked: dict[tuple[str, str], float] = {}  # when the version was last read

    def get(self, session: Session, kind: Kind, recheck_seconds: float = 0.0) -> Any:
        """Return the current value, building it on first use or after a label change."""
        # A session may be bound to a Connection (tests, CLI): its engine names the database.
        key = (str(session.get_bind().engine.url), kind)
        cached = self._values.get(key)
        if cached is not None and recheck_seconds > 0 and \
                time.monotonic() - self._checked.get(key, -math.inf) < recheck_seconds:
            return cached[1]
        version = _label_version(session, kind)
        checked = time.monotonic()
        with self._lock:
            cached = self._values.get(key)
            if cached and cached[0] == version:
                self._checked[key] = checked
                return cached[1]
            value = self._build(session, kind)
            if value is None:
                return None
            self._values[key] = (version, value)
            self._checked[key] = checked
            return value


def _build_index(session: Session, kind: Kind) -> LabelIndex | None:
    """Build the search index over every label of a kind (None: no labels loaded)."""
    label_model: Any = SkillLabel if kind == "skill" else OccupationLabel
    uri_column = label_model.skill_uri if kind == "skill" else label_model.occupation_uri
    rows = session.execute(
        select(uri_column, label_model.label, label_model.lang, label_model.kind)
        .order_by(label_model.id)
    ).all()
    return LabelIndex([LabelEntry(*row) for row in rows]) if rows else None


def _build_display(session: Session, kind: Kind) -> dict[str, tuple[str | None, str]]:
    """Read every concept's (label_nl, label_en) of a kind: three columns, one query."""
    model: Any = Skill if kind == "skill" else Occupation
    return {uri: (nl, en) for uri, nl, en in session.execute(
        select(model.uri, model.label_nl, model.label_en))}


_cache = _Versioned(_build_index)
_display = _Versioned(_build_display)


def display_labels(session: Session, kind: Kind, uris: Iterable[str], lang: str,
                   recheck_seconds: float = 0.0) -> dict[str, tuple[str, str]]:
    """Return uri -> (display label, its language) for the known URIs among `uris`.

    Read from a per-process copy of every concept's two labels (a few MB), checked against
    the database like the search index: an employer list names a few thousand skills, and
    reading their labels took a fifth of the request on PostgreSQL.
    """
    table: dict[str, tuple[str | None, str]] = _display.get(session, kind, recheck_seconds)
    out: dict[str, tuple[str, str]] = {}
    for uri in uris:
        found = table.get(uri)
        if found is not None:
            out[uri] = pick_label(found[0], found[1], lang)
    return out



def search(session: Session, kind: Kind, query: str, *, lang: str, limit: int,
           recheck_seconds: float = 0.0) -> SearchPage:
    """Resolve free text to skills or occupations, best first, preferring labels in `lang`;
    the label index is checked against the database at most once per `recheck_seconds`."""
    index = _cache.get(session, kind, recheck_seconds)
    if index is None:
        return SearchPage([], False)
    hits: list[Hit] = index.search(query, limit=limit, prefer_lang=lang)
    model: Any = Skill if kind == "skill" else Occupation
    concepts = {c.uri: c for c in session.scalars(select(model).where(
        model.uri.in_([hit.uri for hit in hits])))}
    results = []
    for hit in hits:
        if hit.uri not in concepts:
            continue  # gone in an import the index has not seen yet (see recheck_seconds)
        label, label_lang = display_label(concepts[hit.uri], lang)
        results.append(SearchResult(hit.uri, label, label_lang, hit.matched_label,
                                    hit.matched_lang, round(hit.score, 4),
                                    label_origin(concepts[hit.uri], lang)))
    # Labels in `lang` get a bonus, so an English best hit for a Dutch query means no Dutch
    # label fitted as well: say so rather than let it pass for a Dutch match.
    return SearchPage(results, bool(results) and results[0].matched_lang != lang)


def warm_up(session: Session) -> None:
    """Build the search indexes and label copies now (gunicorn --preload shares them)."""
    for kind in ("skill", "occupation"):
        _cache.get(session, kind)
        _display.get(session, kind)

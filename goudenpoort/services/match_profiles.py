"""Turn ORM rows into the matching engine's frozen profiles (and read the ESCO skill graph).

What goes into a ranking, and what never does:
- a candidate: their *confirmed* skills at their level (a proposal inferred from work history
  counts only once an adviser confirmed it), the ESCO skills of their past occupations (for
  occupation matches), and for flags only: Dutch CEFR level, education on the NLQF scale,
  hours per week, first day available, the centre of their region and their travel limit;
- never nationality, refugee or residence status, right to work, birth year, the kind of
  candidate, or languages other than the Dutch level: none of it is read here;
- a route: the skills it teaches at their target level (essential), its modules, and its
  prerequisites (minimum education and Dutch) as facts for flags;
- a vacancy (open and not deleted): its essential and optional skills at their levels, and
  its requirements as facts;
- an employer: the skills of the occupations it hires for plus those of its open vacancies;
- a technical ESCO occupation: its essential and optional skills.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from goudenpoort.batches import chunks
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
from goudenpoort.services.distance import Located, region_centres, resolve_point
from models import (
    Candidate as CandidateRow,
)
from models import (
    EmployerProfile,
    Occupation,
    OccupationSkill,
    Organisation,
    Skill,
    SkillBroader,
    SkillRelation,
    TaxonomyRelease,
    TrainingRoute,
    Vacancy,
    VacancySkill,
)
from models.scales import EDUCATION_NLQF

BATCH = 1000
Centres = dict[str, tuple[float, float]]


def as_uuids(ids: Iterable[str | uuid.UUID]) -> list[uuid.UUID]:
    """Return the valid UUIDs among ids (anything else names nothing in these tables)."""
    out = []
    for value in ids:
        try:
            out.append(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
        except ValueError:
            continue
    return sorted(set(out))


# ---- the taxonomy ---------------------------------------------------------------------------
def taxonomy_release(session: Session) -> str | None:
    """Return the loaded taxonomy release as the engine names it (None: nothing loaded)."""
    release = session.scalars(select(TaxonomyRelease)).first()
    if release is None:
        return None
    return f"{release.name} {release.version} ({release.digest[:12]})"


def skill_graph(session: Session) -> tuple[SkillGraph, list[str]]:
    """Read the ESCO skill structure from the taxonomy tables; also return every skill URI."""
    broader = tuple((a, b) for a, b in session.execute(
        select(SkillBroader.uri, SkillBroader.broader_uri)
        .order_by(SkillBroader.uri, SkillBroader.broader_uri)))
    related = tuple((a, b, kind == "essential") for a, b, kind in session.execute(
        select(SkillRelation.uri, SkillRelation.related_uri, SkillRelation.relation_type)
        .order_by(SkillRelation.uri, SkillRelation.related_uri)))
    groups: set[str] = set()
    generic: set[str] = set()
    uris: list[str] = []
    for uri, kind, reuse in session.execute(select(Skill.uri, Skill.kind, Skill.reuse_level)):
        uris.append(uri)
        if kind == "group":
            groups.add(uri)
        elif reuse in GENERIC_REUSE:
            generic.add(uri)
    graph = SkillGraph(broader=broader, related=related, groups=frozenset(groups),
                       generic=frozenset(generic), release=taxonomy_release(session) or "")
    return graph, sorted(uris)


# (database, taxonomy release) -> occupation -> needs. Occupation skills change only through
# a taxonomy import, which commits them together with a new release marker (its digest names
# the data), so the needs read once serve every later request of this process.
_NEEDS_CACHE: dict[tuple[str, str], dict[str, tuple[SkillNeed, ...]]] = {}


def occupation_needs(session: Session, uris: Iterable[str]
                     ) -> dict[str, tuple[SkillNeed, ...]]:
    """Return each occupation's essential and optional ESCO skills as needs (no level)."""
    wanted = sorted(set(uris))
    release = taxonomy_release(session)
    if release is None:
        return _read_occupation_needs(session, wanted)
    key = (session.get_bind().engine.url.render_as_string(hide_password=True), release)
    cached = _NEEDS_CACHE.get(key)
    if cached is None:
        _NEEDS_CACHE.clear()  # one release per database at a time: drop the old ones
        cached = _NEEDS_CACHE[key] = {}
    missing = [uri for uri in wanted if uri not in cached]
    if missing:
        cached.update(_read_occupation_needs(session, missing))
    return {uri: cached[uri] for uri in wanted}


def _read_occupation_needs(session: Session, wanted: Sequence[str]
                           ) -> dict[str, tuple[SkillNeed, ...]]:
    """Read occupations' needs from the taxonomy tables."""
    found: dict[str, list[SkillNeed]] = {uri: [] for uri in wanted}
    for chunk in chunks(wanted):
        query = (
            select(OccupationSkill.occupation_uri, OccupationSkill.skill_uri,
                   OccupationSkill.relation_type)
            .join(Skill, Skill.uri == OccupationSkill.skill_uri)
            .where(OccupationSkill.occupation_uri.in_(chunk), Skill.kind == "skill")
            .order_by(OccupationSkill.occupation_uri, OccupationSkill.skill_uri)
        )
        for occupation, skill, relation in session.execute(query):
            found[occupation].append(SkillNeed(skill, None, relation == "essential"))
    return {uri: tuple(needs) for uri, needs in found.items()}


def occupation_items(session: Session) -> list[Item]:
    """Return every technical ESCO occupation as an item of kind `occupation`."""
    rows = session.execute(select(Occupation.uri, Occupation.label_en)
                           .where(Occupation.technical.is_(True)).order_by(Occupation.uri)).all()
    needs = occupation_needs(session, [uri for uri, _ in rows])
    return [Item(uri, "occupation", needs[uri], title=label) for uri, label in rows if needs[uri]]


# ---- candidates -----------------------------------------------------------------------------
def candidate_loader_options() -> list[Any]:
    """Return the eager loads a candidate profile needs."""
    return [selectinload(CandidateRow.skills), selectinload(CandidateRow.experience),
            selectinload(CandidateRow.languages)]


def candidate_profile(row: CandidateRow, needs: dict[str, tuple[SkillNeed, ...]],
                      centres: Centres) -> Candidate:
    """Return the engine's view of one candidate (confirmed skills only; see module doc)."""
    claims = tuple(SkillClaim(s.skill_uri, s.level) for s in row.skills if s.confirmed)
    past = tuple(PastOccupation(e.occupation_uri, needs.get(e.occupation_uri, ()), e.years)
                 for e in row.experience)
    dutch = next((lang.cefr for lang in row.languages if lang.code == "nl"), None)
    point = resolve_point(Located(region=row.region), centres)
    facts = CandidateFacts(
        dutch=dutch,
        education=EDUCATION_NLQF.get(row.education_level) if row.education_level else None,
        hours_per_week=row.hours_per_week,
        available_from=row.available_from,
        location=(point.lat, point.lon) if point else None,
        max_travel_km=float(row.max_travel_km) if row.max_travel_km is not None else None,
    )
    return Candidate(str(row.id), claims, past, facts)


def candidate_profiles(session: Session, rows: Sequence[CandidateRow],
                       centres: Centres | None = None) -> list[Candidate]:
    """Return the profiles of loaded candidate rows (their past occupations read in one go)."""
    needs = occupation_needs(session, {e.occupation_uri for r in rows for e in r.experience})
    centres = region_centres(session) if centres is None else centres
    return [candidate_profile(row, needs, centres) for row in rows]


def load_candidates(session: Session, ids: Iterable[str | uuid.UUID]) -> list[CandidateRow]:
    """Return the candidate rows of these ids that exist, with what a profile needs."""
    rows: list[CandidateRow] = []
    for chunk in chunks(as_uuids(ids)):
        rows.extend(session.scalars(select(CandidateRow).where(CandidateRow.id.in_(chunk))
                                    .options(*candidate_loader_options())))
    return rows


def all_candidates(session: Session) -> Iterator[Candidate]:
    """Yield every candidate's profile, in id order, a batch at a time."""
    centres = region_centres(session)
    after: uuid.UUID | None = None
    while True:
        query = select(CandidateRow).order_by(CandidateRow.id).limit(BATCH)
        if after is not None:
            query = query.where(CandidateRow.id > after)
        rows = list(session.scalars(query.options(*candidate_loader_options())))
        if not rows:
            return
        yield from candidate_profiles(session, rows, centres)
        after = rows[-1].id


# ---- routes and vacancies -------------------------------------------------------------------
def _location(lat: float | None, lon: float | None, region: str | None,
              centres: Centres) -> tuple[float, float] | None:
    """Return an item's own point, else its region's centre, else None."""
    point = resolve_point(Located(lat, lon, region), centres)
    return (point.lat, point.lon) if point else None


def _nlqf(level: str | None) -> int | None:
    """Return the NLQF rank of an education level (None: no requirement)."""
    return EDUCATION_NLQF.get(level) if level else None


def route_loader_options() -> list[Any]:
    """Return the eager loads a route item (and its match result) needs: the provider joined
    (one row each), the collections one query each."""
    return [selectinload(TrainingRoute.skills), selectinload(TrainingRoute.modules),
            selectinload(TrainingRoute.module_skills), joinedload(TrainingRoute.provider)]


def route_item(row: TrainingRoute, centres: Centres) -> Item:
    """Return a route as an item: the skills it teaches at their target level."""
    needs = tuple(SkillNeed(s.skill_uri, s.level, True) for s in row.skills
                  if s.relation == "taught")
    modules = tuple(
        Module(str(m.position), m.title,
               tuple(ms.skill_uri for ms in row.module_skills if ms.module_position == m.position))
        for m in row.modules)
    starts = sorted(date.fromisoformat(str(d)) for d in (row.start_dates or []))
    facts = ItemFacts(
        dutch_min=row.min_dutch_cefr, education_min=_nlqf(row.min_education),
        hours_min=row.hours_per_week,
        # A candidate available only after the last start date cannot join this route.
        starts_on=starts[-1] if starts else None,
        location=_location(row.lat, row.lon, row.region, centres))
    return Item(str(row.id), "route", needs, title=row.title, modules=modules, facts=facts)


def load_routes(session: Session, ids: Iterable[str | uuid.UUID]) -> list[TrainingRoute]:
    """Return the live routes of these ids, with what an item needs."""
    rows: list[TrainingRoute] = []
    for chunk in chunks(as_uuids(ids)):
        rows.extend(session.scalars(
            select(TrainingRoute).where(TrainingRoute.id.in_(chunk),
                                        TrainingRoute.deleted_at.is_(None))
            .options(*route_loader_options())))
    return rows


def vacancy_item(row: Vacancy, centres: Centres) -> Item:
    """Return a vacancy as an item: its essential and optional skills at their levels."""
    needs = tuple(SkillNeed(s.skill_uri, s.level, s.essential) for s in row.skills)
    facts = ItemFacts(
        dutch_min=row.min_dutch_cefr, education_min=_nlqf(row.min_education),
        hours_min=row.hours_per_week, starts_on=row.start_date,
        location=_location(row.lat, row.lon, row.region, centres))
    return Item(str(row.id), "vacancy", needs, title=row.title, facts=facts)


def load_vacancies(session: Session, ids: Iterable[str | uuid.UUID]) -> list[Vacancy]:
    """Return the open, live vacancies of these ids, with their skills."""
    rows: list[Vacancy] = []
    for chunk in chunks(as_uuids(ids)):
        rows.extend(session.scalars(
            select(Vacancy).where(Vacancy.id.in_(chunk), Vacancy.deleted_at.is_(None),
                                  Vacancy.status == "open")
            .options(selectinload(Vacancy.skills))))
    return rows


def _all_ids(session: Session, column: Any, *where: Any) -> Iterator[list[uuid.UUID]]:
    """Yield the ids of a table in id order, a batch at a time."""
    after: uuid.UUID | None = None
    while True:
        query = select(column).where(*where).order_by(column).limit(BATCH)
        if after is not None:
            query = query.where(column > after)
        ids = list(session.scalars(query))
        if not ids:
            return
        yield ids
        after = ids[-1]


def all_routes(session: Session) -> Iterator[Item]:
    """Yield every live route as an item."""
    centres = region_centres(session)
    for ids in _all_ids(session, TrainingRoute.id, TrainingRoute.deleted_at.is_(None)):
        for row in load_routes(session, ids):
            yield route_item(row, centres)


def all_vacancies(session: Session) -> Iterator[Item]:
    """Yield every open, live vacancy as an item."""
    centres = region_centres(session)
    for ids in _all_ids(session, Vacancy.id, Vacancy.deleted_at.is_(None),
                        Vacancy.status == "open"):
        for row in load_vacancies(session, ids):
            yield vacancy_item(row, centres)


# ---- employers ------------------------------------------------------------------------------
def _merge(needs: Iterable[SkillNeed]) -> tuple[SkillNeed, ...]:
    """Merge needs per skill: essential if any says so, at the highest level given."""
    merged: dict[str, SkillNeed] = {}
    changed: dict[str, tuple[int | None, bool]] = {}  # built once at the end, not per duplicate
    for need in needs:
        have = merged.get(need.uri)
        if have is None:
            merged[need.uri] = need
            continue
        level, essential = changed.get(need.uri, (have.level, have.essential))
        if need.level is not None and (level is None or need.level > level):
            level = need.level
        essential = essential or need.essential
        if (level, essential) != (have.level, have.essential):
            changed[need.uri] = (level, essential)
    for uri, (level, essential) in changed.items():
        merged[uri] = SkillNeed(uri, level, essential)
    return tuple(merged[uri] for uri in sorted(merged))


def employer_items(session: Session, ids: Iterable[str | uuid.UUID],
                   centres: Centres | None = None) -> list[Item]:
    """Return employers as items: the skills of the occupations they hire for and of their open
    vacancies. Employers with neither are left out (there is nothing to match on)."""
    centres = region_centres(session) if centres is None else centres
    items: list[Item] = []
    for chunk in chunks(as_uuids(ids)):
        organisations = list(session.scalars(select(Organisation).where(
            Organisation.id.in_(chunk), Organisation.kind == "employer")))
        if not organisations:
            continue
        org_ids = [o.id for o in organisations]
        profiles = {p.organisation_id: p for p in session.scalars(
            select(EmployerProfile).where(EmployerProfile.organisation_id.in_(org_ids))
            .options(selectinload(EmployerProfile.occupations),
                     selectinload(EmployerProfile.places)))}
        vacancy_needs: dict[uuid.UUID, list[SkillNeed]] = {}
        for employer_id, uri, level, essential in session.execute(
                select(Vacancy.employer_id, VacancySkill.skill_uri, VacancySkill.level,
                       VacancySkill.essential)
                .join(VacancySkill, VacancySkill.vacancy_id == Vacancy.id)
                .where(Vacancy.employer_id.in_(org_ids), Vacancy.deleted_at.is_(None),
                       Vacancy.status == "open")):
            vacancy_needs.setdefault(employer_id, []).append(SkillNeed(uri, level, essential))
        hires = {p.organisation_id: [o.occupation_uri for o in p.occupations]
                 for p in profiles.values()}
        needs_of = occupation_needs(session, {u for uris in hires.values() for u in uris})
        for organisation in organisations:
            needs = [n for uri in hires.get(organisation.id, []) for n in needs_of.get(uri, ())]
            needs += vacancy_needs.get(organisation.id, [])
            if not needs:
                continue
            profile = profiles.get(organisation.id)
            place = profile.places[0] if profile and profile.places else None
            location = (_location(place.lat, place.lon, place.region, centres) if place else None) \
                or _location(None, None, organisation.region, centres)
            items.append(Item(str(organisation.id), "employer", _merge(needs),
                              title=organisation.name, facts=ItemFacts(location=location)))
    return items


def all_employers(session: Session) -> Iterator[Item]:
    """Yield every employer with something to match on as an item."""
    for ids in _all_ids(session, Organisation.id, Organisation.kind == "employer"):
        yield from employer_items(session, ids)

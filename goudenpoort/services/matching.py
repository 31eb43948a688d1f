"""Match use cases: routes, employers and occupations for a candidate; candidates for a route or
vacancy. Each ranks on the process's index (kept fresh from the change log), re-reads the
ranked rows from the database (so a deleted or closed item never shows, and titles are
current), filters only on what the caller asked, explains every result and labels it.

Access and privacy:
- candidate side: the candidate themself, their desk's advisers, the admin (as profile reads:
  another desk's candidate is a 404); every read by anyone but the candidate is audited;
- route/vacancy side: only the owning organisation's provider/employer staff, or the admin;
  only candidates who currently consent to that audience (read from the database on every
  request, so a withdrawal counts from the next request), only those with enough skills to be
  ranked, with minimal personal data (id, name, region; no contact details, no birth year,
  no languages, no education); every returned candidate's read is audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from goudenpoort.batches import chunks
from goudenpoort.errors import Forbidden, ValidationFailed
from goudenpoort.matching import explain as engine
from goudenpoort.matching.index import MatchIndex, Ranked
from goudenpoort.matching.profiles import Candidate, Item
from goudenpoort.services import audit, candidates, consent, taxonomy
from goudenpoort.services import match_profiles as profiles
from goudenpoort.services.distance import region_centres
from goudenpoort.services.match_index import MatchRegistry
from goudenpoort.services.ownership import Caller, may_manage
from goudenpoort.services.routes import get_route
from goudenpoort.services.vacancies import get_vacancy
from models import (
    Account,
    EmployerOccupation,
    EmployerPlace,
    EmployerSector,
    Organisation,
    Region,
    RouteOccupation,
    RoutePartner,
    TrainingRoute,
    Vacancy,
)
from models import Candidate as CandidateRow

VACANCIES_PER_EMPLOYER = 3  # best-matching open vacancies listed under each employer
WIDEN = 4  # with filters, rank this many times the limit and widen until enough pass
Labels = dict[str, tuple[str, str]]


@dataclass(frozen=True)
class Filters:
    """What the caller narrows a match list by; None means "not asked"."""

    region: str | None = None
    max_travel_km: float | None = None
    min_score: float = 0.0
    sector: str | None = None
    hours: int | None = None  # the hours per week the candidate can work (default: profile)
    start: date | None = None  # the first day the candidate can start (default: profile)
    limit: int = 20

    def narrows(self) -> bool:
        """Tell whether anything beyond min_score and limit is asked."""
        return any(v is not None for v in (self.region, self.max_travel_km, self.sector,
                                           self.hours, self.start))


def check_filters(session: Session, filters: Filters) -> None:
    """Refuse filters that cannot mean anything (the edge checks types and ranges)."""
    if filters.region is not None and session.get(Region, filters.region) is None:
        raise ValidationFailed(details={"region": [
            "Unknown labour-market region; see GET /api/v1/regions."]})


# ---- labels ---------------------------------------------------------------------------------
def labels_for(session: Session, skill_uris: Iterable[str], occupation_uris: Iterable[str],
               lang: str, recheck_seconds: float = 0.0) -> Labels:
    """Return uri -> (label, label language) for skills and occupations (the process's label
    copy, checked against the database at most once per `recheck_seconds`)."""
    return {**taxonomy.display_labels(session, "skill", set(skill_uris), lang, recheck_seconds),
            **taxonomy.display_labels(session, "occupation", set(occupation_uris), lang,
                                      recheck_seconds)}


def _concept(uri: str, labels: Labels) -> dict[str, Any]:
    """Return a concept reference with its label."""
    label, lang = labels.get(uri, (None, None))
    return {"uri": uri, "label": label, "label_lang": lang}


def _explanation_uris(e: engine.Explanation) -> set[str]:
    """Return every skill URI an explanation names."""
    uris = {m.uri for m in e.matched} | {m.have for m in e.matched} | {m.uri for m in e.missing}
    uris |= set(e.gains)
    uris |= {s for module in e.modules for s in module.closes}
    return uris


def _explained(e: engine.Explanation, labels: Labels) -> dict[str, Any]:
    """Render the parts every match shares: score, breakdown, skills, flags, distance."""
    return {
        "score": round(e.score, 6),
        "breakdown": {"exact": e.breakdown.exact, "structure": e.breakdown.structure,
                      "essential_coverage": e.breakdown.essential_coverage},
        "matched_skills": [{**_concept(m.uri, labels), "essential": m.essential, "via": m.via,
                            "have": _concept(m.have, labels), "level_fit": round(m.level_fit, 4)}
                           for m in e.matched],
        "missing_skills": [{**_concept(m.uri, labels), "essential": m.essential}
                           for m in e.missing],
        "flags": list(e.flags),
        "distance_km": e.distance_km,
    }


def not_enough_data(lacking: engine.NotEnoughData) -> dict[str, Any]:
    """Return the 200 answer for a profile that cannot be ranked yet."""
    return {"items": [], "not_enough_data": {
        "missing": list(lacking.missing), "message": lacking.message,
        "known_skills": lacking.known_skills, "needed_skills": lacking.needed_skills,
        "unknown_skills": list(lacking.unknown_skills)}}


# ---- ranking with filters -------------------------------------------------------------------
def _rank_until(index: MatchIndex, query: Any, filters: Filters, kinds: Sequence[str],
                accept: Callable[[list[Ranked]], list[Ranked]],
                exclude: Sequence[str] = ()) -> list[Ranked]:
    """Rank, keep what `accept` lets through (it also drops rows gone from the database), and
    widen the ranking until `limit` results pass or nothing more scores."""
    k = filters.limit * WIDEN if filters.narrows() else filters.limit + 5
    while True:
        ranked = index.rank(query, k, kinds=kinds, min_score=filters.min_score,
                            exclude=exclude)
        kept = accept(ranked)
        if len(kept) >= filters.limit or len(ranked) < k:
            return kept[: filters.limit]
        k *= WIDEN


def _within(candidate: Candidate, item: Item, max_km: float | None) -> bool:
    """Tell whether an item lies within the travel limit (an unknown distance does)."""
    if max_km is None or candidate.facts.location is None or item.facts.location is None:
        return True
    return round(engine.distance_km(candidate.facts.location, item.facts.location), 1) <= max_km


def _fits(item: Item, filters: Filters) -> bool:
    """Tell whether an item's hours and start fit the hours and start the caller gave."""
    return _fits_facts(item.facts.hours_min, item.facts.starts_on, filters)


def _fits_facts(hours_min: int | None, starts_on: date | None, filters: Filters) -> bool:
    """Tell whether the hours an item needs and its (last) start fit the caller's filters."""
    if filters.hours is not None and hours_min is not None and filters.hours < hours_min:
        return False
    return not (filters.start is not None and starts_on is not None and filters.start > starts_on)


def _sectors_of_employers(session: Session, employer_ids: Iterable[uuid.UUID]
                          ) -> dict[uuid.UUID, set[str]]:
    """Return each employer's sectors."""
    ids = sorted(set(employer_ids))
    out: dict[uuid.UUID, set[str]] = {}
    for chunk in chunks(ids):
        for org, sector in session.execute(select(EmployerSector.organisation_id,
                                                  EmployerSector.sector).where(
                EmployerSector.organisation_id.in_(chunk))):
            out.setdefault(org, set()).add(sector)
    return out


def _route_sectors(session: Session, rows: Sequence[TrainingRoute]) -> dict[uuid.UUID, set[str]]:
    """Return the sectors a route leads into: those of its job-guarantee partners and of the
    employers that hire for one of its occupations (profile or open vacancy)."""
    route_ids = [r.id for r in rows]
    employers: dict[uuid.UUID, set[uuid.UUID]] = {r: set() for r in route_ids}
    occupations: set[tuple[uuid.UUID, str]] = set()
    for chunk in chunks(route_ids):
        for route_id, employer_id in session.execute(
                select(RoutePartner.route_id, RoutePartner.employer_id)
                .where(RoutePartner.route_id.in_(chunk))):
            employers[route_id].add(employer_id)
        occupations.update(session.execute(
            select(RouteOccupation.route_id, RouteOccupation.occupation_uri)
            .where(RouteOccupation.route_id.in_(chunk))).tuples())
    hiring: dict[str, set[uuid.UUID]] = {}
    for uris in chunks(sorted({uri for _r, uri in occupations})):
        for org, uri in session.execute(select(EmployerOccupation.organisation_id,
                                               EmployerOccupation.occupation_uri)
                                        .where(EmployerOccupation.occupation_uri.in_(uris))):
            hiring.setdefault(uri, set()).add(org)
        for org, uri in session.execute(select(Vacancy.employer_id, Vacancy.occupation_uri).where(
                Vacancy.occupation_uri.in_(uris), Vacancy.deleted_at.is_(None),
                Vacancy.status == "open")):
            hiring.setdefault(uri, set()).add(org)
    for route_id, uri in occupations:
        employers[route_id] |= hiring.get(uri, set())
    sectors = _sectors_of_employers(session, {e for es in employers.values() for e in es})
    return {r: set().union(*(sectors.get(e, set()) for e in es)) if es else set()
            for r, es in employers.items()}


# ---- candidate side -------------------------------------------------------------------------
def _candidate(session: Session, actor: Account, candidate_id: uuid.UUID, endpoint: str,
               filters: Filters, centres: profiles.Centres | None = None) -> Candidate:
    """Return the candidate's engine profile after the access check, logging the read.

    `hours`, `start` and `max_travel_km`, when given, stand in for the profile's own values
    in the flags too, so an adviser can ask "what if".
    """
    row = candidates.get_candidate(session, actor=actor, candidate_id=candidate_id)
    audit.record_read(session, actor=actor, candidate_id=row.id, endpoint=endpoint,
                      account_id=row.account_id)
    profile = profiles.candidate_profiles(session, [row], centres)[0]
    facts = profile.facts
    facts = replace(
        facts,
        hours_per_week=filters.hours if filters.hours is not None else facts.hours_per_week,
        available_from=filters.start if filters.start is not None else facts.available_from,
        max_travel_km=filters.max_travel_km if filters.max_travel_km is not None
        else facts.max_travel_km)
    return replace(profile, facts=facts)


def match_routes(session: Session, registry: MatchRegistry, *, actor: Account,
                 candidate_id: uuid.UUID, filters: Filters, lang: str,
                 endpoint: str) -> dict[str, Any]:
    """Rank training routes for a candidate, each with gains, modules, unlocks and flags."""
    check_filters(session, filters)
    centres = region_centres(session)  # read once per answer, passed to every profile
    candidate = _candidate(session, actor, candidate_id, endpoint, filters, centres)
    rows: dict[str, TrainingRoute] = {}
    items: dict[str, Item] = {}
    sectors: dict[uuid.UUID, set[str]] = {}

    def accept(ranked: list[Ranked]) -> list[Ranked]:
        found = profiles.load_routes(session, [r.id for r in ranked if r.id not in rows])
        for row in found:
            rows[str(row.id)] = row
            items[str(row.id)] = profiles.route_item(row, centres)
        if filters.sector is not None:
            sectors.update(_route_sectors(session, list(found)))
        return [r for r in ranked if r.id in rows and _keep(rows[r.id], items[r.id])]

    def _keep(row: TrainingRoute, item: Item) -> bool:
        return ((filters.region is None or row.region == filters.region)
                and (filters.sector is None or filters.sector in sectors.get(row.id, set()))
                and _within(candidate, item, filters.max_travel_km) and _fits(item, filters))

    with registry.use(session) as state:
        lacking = engine.enough_data(state.items, candidate)
        if lacking is not None:
            return not_enough_data(lacking)
        query = state.items.query_for(candidate)
        ranked = _rank_until(state.items, query, filters, ("route",), accept)
        exacts = engine.exact_scores(state.items, candidate, [items[r.id] for r in ranked])
        before = engine.before_sheet(state.items, candidate, query=query)
        explained = [engine.explain(state.items, candidate, items[r.id], r.score,
                                    vacancies=state.items, exact=x, unlock_before=before)
                     for r, x in zip(ranked, exacts, strict=True)]
    have = {c.uri: (c.level or 2) for c in candidate.claims}
    unlock_ids = {u.vacancy for e in explained for u in e.unlocks}
    vacancy_titles = dict(session.execute(select(Vacancy.id, Vacancy.title).where(
        Vacancy.id.in_(profiles.as_uuids(unlock_ids)), Vacancy.deleted_at.is_(None),
        Vacancy.status == "open")).all()) if unlock_ids else {}
    uris = set().union(*(_explanation_uris(e) for e in explained)) if explained else set()
    uris |= {s.skill_uri for e in explained for s in rows[e.id].skills}
    labels = labels_for(session, uris, [], lang, registry.label_recheck_seconds)
    out = []
    for e in explained:
        row = rows[e.id]
        prerequisites = [s for s in row.skills if s.relation == "required"
                         and have.get(s.skill_uri, 0) < s.level]
        flags = list(e.flags) + (["prerequisite_skills_missing"] if prerequisites else [])
        out.append({
            "route": {"id": row.id, "title": row.title, "provider": {
                "id": row.provider.id, "name": row.provider.name}, "level": row.level,
                "mode": row.mode, "place": row.place, "region": row.region},
            **_explained(e, labels),
            "flags": flags,
            "gains": [_concept(u, labels) for u in e.gains],
            "modules": [{"position": int(m.id), "title": m.title,
                         "closes": [_concept(u, labels) for u in m.closes]} for m in e.modules],
            "missing_prerequisites": [{**_concept(s.skill_uri, labels), "level": s.level}
                                      for s in prerequisites],
            "unlocks": [{"vacancy": u.vacancy, "title": vacancy_titles[uuid.UUID(u.vacancy)],
                         "score_before": u.score_before, "score_after": u.score_after}
                        for u in e.unlocks if uuid.UUID(u.vacancy) in vacancy_titles],
        })
    return {"items": out, "not_enough_data": None}


def match_employers(session: Session, registry: MatchRegistry, *, actor: Account,
                    candidate_id: uuid.UUID, filters: Filters, lang: str,
                    endpoint: str) -> dict[str, Any]:
    """Rank employers for a candidate, each with its best-matching open vacancies; employers
    without an open vacancy match through the occupations they hire for."""
    check_filters(session, filters)
    centres = region_centres(session)  # read once per answer, passed to every profile
    candidate = _candidate(session, actor, candidate_id, endpoint, filters, centres)
    organisations: dict[str, Organisation] = {}
    regions: dict[uuid.UUID, set[str]] = {}
    sectors: dict[uuid.UUID, set[str]] = {}
    items: dict[str, Item] = {}

    def accept(ranked: list[Ranked]) -> list[Ranked]:
        wanted = [r.id for r in ranked if r.id not in organisations]
        if wanted:
            for item in profiles.employer_items(session, wanted, centres):
                items[item.id] = item
            for chunk in chunks(profiles.as_uuids(wanted)):
                found = session.scalars(select(Organisation).where(
                    Organisation.id.in_(chunk), Organisation.kind == "employer")).all()
                ids = [o.id for o in found]
                for org in found:
                    organisations[str(org.id)] = org
                    regions[org.id] = {org.region} if org.region else set()
                for org_id, region in session.execute(
                        select(EmployerPlace.organisation_id, EmployerPlace.region)
                        .where(EmployerPlace.organisation_id.in_(ids))):
                    if region:
                        regions[org_id].add(region)
                sectors.update(_sectors_of_employers(session, ids))
        return [r for r in ranked if r.id in organisations and r.id in items
                and _keep(organisations[r.id], items[r.id])]

    def _keep(org: Organisation, item: Item) -> bool:
        return ((filters.region is None or filters.region in regions.get(org.id, set()))
                and (filters.sector is None or filters.sector in sectors.get(org.id, set()))
                and _within(candidate, item, filters.max_travel_km))

    with registry.use(session) as state:
        lacking = engine.enough_data(state.items, candidate)
        if lacking is not None:
            return not_enough_data(lacking)
        query = state.items.query_for(candidate)
        ranked = _rank_until(state.items, query, filters, ("employer",), accept)
        employer_ids = [uuid.UUID(r.id) for r in ranked]
        # Score every open vacancy of these employers from a few columns, then load (with
        # skills) only the best few of each: an employer may have hundreds.
        employer_of = {str(vid): employer for vid, employer, hours, start in session.execute(
            select(Vacancy.id, Vacancy.employer_id, Vacancy.hours_per_week, Vacancy.start_date)
            .where(Vacancy.employer_id.in_(employer_ids), Vacancy.deleted_at.is_(None),
                   Vacancy.status == "open")) if _fits_facts(hours, start, filters)} \
            if employer_ids else {}
        scores = state.items.scores(query, list(employer_of), kinds=("vacancy",))
        by_employer: dict[uuid.UUID, list[tuple[float, str]]] = {}
        for vid, employer in employer_of.items():
            if scores[vid] > 0:
                by_employer.setdefault(employer, []).append((-scores[vid], vid))
        chosen = {r.id: sorted(by_employer.get(uuid.UUID(r.id), []))[:VACANCIES_PER_EMPLOYER]
                  for r in ranked}
        vacancies = {str(row.id): (row, profiles.vacancy_item(row, centres))
                     for row in profiles.load_vacancies(
                         session, [vid for listed in chosen.values() for _, vid in listed])}
        best = {key: [(neg, vid) for neg, vid in listed if vid in vacancies]
                for key, listed in chosen.items()}
        pairs = [(items[r.id], r.score) for r in ranked] + [
            (vacancies[vid][1], -neg) for r in ranked for neg, vid in best[r.id]]
        exacts = dict(zip((i.id for i, _ in pairs), engine.exact_scores(
            state.items, candidate, [i for i, _ in pairs]), strict=True))
        explained = [(
            engine.explain(state.items, candidate, items[r.id], r.score, exact=exacts[r.id]),
            [engine.explain(state.items, candidate, vacancies[vid][1], -neg, exact=exacts[vid])
             for neg, vid in best[r.id]]) for r in ranked]
    hires: dict[uuid.UUID, list[str]] = {}
    if employer_ids:
        for org, uri in session.execute(select(EmployerOccupation.organisation_id,
                                               EmployerOccupation.occupation_uri)
                                        .where(EmployerOccupation.organisation_id
                                               .in_(employer_ids))
                                        .order_by(EmployerOccupation.position)):
            hires.setdefault(org, []).append(uri)
    uris: set[str] = set()
    for e, listed in explained:
        uris |= _explanation_uris(e)
        for v in listed:
            uris |= _explanation_uris(v)
    labels = labels_for(session, uris, {u for us in hires.values() for u in us}, lang,
                        registry.label_recheck_seconds)
    out = []
    for e, listed in explained:
        org = organisations[e.id]
        out.append({
            "employer": {"id": org.id, "name": org.name, "region": org.region},
            **_explained(e, labels),
            "hires_for": [_concept(u, labels) for u in hires.get(org.id, [])],
            "vacancies": [{"vacancy": {"id": vacancies[v.id][0].id,
                                       "title": vacancies[v.id][0].title,
                                       "region": vacancies[v.id][0].region},
                           **_explained(v, labels)} for v in listed],
        })
    return {"items": out, "not_enough_data": None}


def match_occupations(session: Session, registry: MatchRegistry, *, actor: Account,
                      candidate_id: uuid.UUID, filters: Filters, lang: str,
                      endpoint: str) -> dict[str, Any]:
    """Rank technical occupations reachable from the candidate's skills and past work, each with
    the transferable skills (matched, with how) and the gap (missing, essential first)."""
    candidate = _candidate(session, actor, candidate_id, endpoint, filters)
    held = tuple(p.uri for p in candidate.past)
    with registry.use(session) as state:
        lacking = engine.enough_data(state.items, candidate, with_past=True)
        if lacking is not None:
            return not_enough_data(lacking)
        ranked = state.items.rank(state.items.query_for(candidate, with_past=True),
                                  filters.limit, kinds=("occupation",),
                                  min_score=filters.min_score, exclude=held)
        needs = profiles.occupation_needs(session, [r.id for r in ranked])
        explained = []
        occupations = [Item(r.id, "occupation", needs.get(r.id, ())) for r in ranked]
        exacts = engine.exact_scores(state.items, candidate, occupations, with_past=True)
        for r, item, x in zip(ranked, occupations, exacts, strict=True):
            e = engine.explain(state.items, candidate, item, r.score, with_past=True,
                               exact=x)
            explained.append(replace(e, missing=tuple(sorted(
                e.missing, key=lambda m: (not m.essential, m.uri)))))
    uris = set().union(*(_explanation_uris(e) for e in explained)) if explained else set()
    labels = labels_for(session, uris, [e.id for e in explained], lang,
                        registry.label_recheck_seconds)
    return {"items": [{"occupation": _concept(e.id, labels), **_explained(e, labels),
                       "gains": [_concept(u, labels) for u in e.gains]} for e in explained],
            "not_enough_data": None}


# ---- route and vacancy side -----------------------------------------------------------------
def _consenting(session: Session, audience: str, region: str | None) -> list[str]:
    """Return the ids of candidates who consent to the audience now (optionally in a region)."""
    query = consent.consented_query(audience)
    if region is not None:
        query = query.where(CandidateRow.region == region)
    return [str(i) for i in session.scalars(query)]


def _candidates_for(session: Session, registry: MatchRegistry, *, actor: Account, item: Item,
                    audience: str, filters: Filters, lang: str,
                    endpoint: str) -> dict[str, Any]:
    """Rank consenting candidates for one item, explain them and audit every returned read."""
    check_filters(session, filters)
    allowed = _consenting(session, audience, filters.region)
    centres = region_centres(session)
    chosen: list[tuple[engine.Explanation, CandidateRow]] = []
    with registry.use(session) as state:
        scores = state.candidates.scores(state.candidates.query_for(item), allowed)
        ordered = sorted(((s, i) for i, s in scores.items()
                          if s > 0 and s >= filters.min_score), key=lambda p: (-p[0], p[1]))
        start = 0
        step = filters.limit * WIDEN
        while len(chosen) < filters.limit and start < len(ordered):
            batch = ordered[start : start + step]
            start += step
            rows = {str(r.id): r for r in profiles.load_candidates(session,
                                                                  [i for _s, i in batch])}
            found = {p.id: p for p in profiles.candidate_profiles(
                session, list(rows.values()), centres)}
            eligible = []
            for score, cid in batch:
                person = found.get(cid)
                if person is None or engine.enough_data(state.candidates, person) is not None:
                    continue  # erased since, or too few skills to rank on
                if _within(person, item, filters.max_travel_km):
                    eligible.append((score, cid, person))
            eligible = eligible[: filters.limit - len(chosen)]
            exacts = engine.exact_scores_of_people(state.candidates,
                                                   [p for _s, _c, p in eligible], item)
            for (score, cid, person), x in zip(eligible, exacts, strict=True):
                e = engine.explain(state.candidates, person, item, score, exact=x)
                chosen.append((replace(e, id=cid, kind="candidate"), rows[cid]))
    audit.record_reads(session, actor=actor, candidate_ids=[row.id for _e, row in chosen],
                       endpoint=endpoint, account_ids={row.id: row.account_id
                                                       for _e, row in chosen})
    uris = set().union(*(_explanation_uris(e) for e, _r in chosen)) if chosen else set()
    labels = labels_for(session, uris, [], lang, registry.label_recheck_seconds)
    return {"items": [{"candidate": {"id": row.id, "given_name": row.given_name,
                                     "family_name": row.family_name, "region": row.region},
                       **_explained(e, labels)} for e, row in chosen],
            "audience": audience}


def route_candidates(session: Session, registry: MatchRegistry, *, actor: Account,
                     route_id: uuid.UUID, filters: Filters, lang: str,
                     endpoint: str) -> dict[str, Any]:
    """Rank candidates who consent to share with providers for a route of the caller's own."""
    route = get_route(session, route_id)
    _check_owner(actor, "route", route.provider_id)
    item = profiles.route_item(route, region_centres(session))
    found = _candidates_for(session, registry, actor=actor, item=item, audience="providers",
                            filters=filters, lang=lang, endpoint=endpoint)
    return {"route": {"id": route.id, "title": route.title}, **found}


def vacancy_candidates(session: Session, registry: MatchRegistry, *, actor: Account,
                       vacancy_id: uuid.UUID, filters: Filters, lang: str,
                       endpoint: str) -> dict[str, Any]:
    """Rank candidates who consent to share with employers for a vacancy of the caller's own."""
    vacancy = get_vacancy(session, vacancy_id)
    _check_owner(actor, "vacancy", vacancy.employer_id)
    item = profiles.vacancy_item(vacancy, region_centres(session))
    found = _candidates_for(session, registry, actor=actor, item=item, audience="employers",
                            filters=filters, lang=lang, endpoint=endpoint)
    return {"vacancy": {"id": vacancy.id, "title": vacancy.title}, **found}


def _check_owner(actor: Caller, kind: str, owner_id: uuid.UUID) -> None:
    """Let only the owning organisation's staff (or the admin) see who matches an item."""
    if not may_manage(actor, kind, owner_id):
        raise Forbidden(f"Only the {kind}'s own organisation (or an admin) sees its matches.")


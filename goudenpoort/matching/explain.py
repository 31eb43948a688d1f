"""Rank and explain: score breakdown, matched and missing skills, gains, modules, unlocks, flags.

The HTTP layer passes items and candidates it read (a Mapping from id); the engine returns
frozen dataclasses it can render. Flags inform, they never filter.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import scipy.sparse as sp

from goudenpoort.matching import weights
from goudenpoort.matching.index import MatchIndex, Ranked, ScoreSheet
from goudenpoort.matching.profiles import (
    Candidate,
    CandidateFacts,
    Item,
    ItemFacts,
    SkillClaim,
)
from goudenpoort.matching.skill_space import RELATIONS
from goudenpoort.matching.vectorizer import entries

CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")
EARTH_RADIUS_KM = 6371.0
UNLOCK_CANDIDATES = 50  # vacancies looked at (best after the route) when finding unlocks
UNLOCK_LIMIT = 5  # unlocks reported per route


@dataclass(frozen=True, slots=True)
class MatchedSkill:
    """A needed skill the candidate covers, exactly or through the ESCO structure."""

    uri: str  # the needed skill
    essential: bool
    via: str  # exact | narrower | broader | related | sibling
    have: str  # the candidate's skill that covers it
    level_fit: float  # the level kernel: 1.0 = the level asked


@dataclass(frozen=True, slots=True)
class MissingSkill:
    """A needed skill the candidate does not cover at all."""

    uri: str
    essential: bool


@dataclass(frozen=True, slots=True)
class ModuleGap:
    """A module of a route and the candidate's gaps it closes."""

    id: str
    title: str
    closes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Unlock:
    """A vacancy that fits the candidate better after a route."""

    vacancy: str
    score_before: float
    score_after: float


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Where a score comes from: exact skill ids vs. the ESCO structure; essential coverage."""

    exact: float
    structure: float
    essential_coverage: float  # share of essential needs covered (exactly or via structure)


@dataclass(frozen=True, slots=True)
class Explanation:
    """One ranked item (or candidate, in the reverse direction), explained."""

    id: str
    kind: str
    score: float
    breakdown: Breakdown
    matched: tuple[MatchedSkill, ...]
    missing: tuple[MissingSkill, ...]
    gains: tuple[str, ...] = ()  # routes and occupations: skills it would add
    modules: tuple[ModuleGap, ...] = ()
    unlocks: tuple[Unlock, ...] = ()
    flags: tuple[str, ...] = ()
    distance_km: float | None = None


@dataclass(frozen=True, slots=True)
class NotEnoughData:
    """Why no ranking was made: what is missing, in words and as field names."""

    missing: tuple[str, ...]
    message: str
    known_skills: int
    needed_skills: int
    unknown_skills: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Matches:
    """A ranking with its explanations."""

    items: tuple[Explanation, ...]


# ---- guards ---------------------------------------------------------------------------------
def enough_data(index: MatchIndex, candidate: Candidate, *,
                with_past: bool = False) -> NotEnoughData | None:
    """Return why the candidate cannot be ranked yet, or None if they can."""
    known = index.vectorizer.space.index
    uris = [c.uri for c in candidate.claims]
    if with_past:
        uris += [n.uri for p in candidate.past for n in p.needs]
    unknown = tuple(sorted({u for u in uris if u not in known}))
    count = len({u for u in uris if u in known})
    if count >= weights.MIN_SKILLS:
        return None
    if not candidate.claims and not (with_past and candidate.past):
        message = "The profile has no skills yet; add at least " \
            f"{weights.MIN_SKILLS} skills" + (" or a past occupation." if with_past else ".")
        missing = ("skills", "experience") if with_past else ("skills",)
    else:
        message = (f"The profile has {count} known skill(s); at least {weights.MIN_SKILLS} are "
                   "needed to rank on.")
        missing = ("skills",)
        if unknown:
            message += f" {len(unknown)} skill(s) are not in the taxonomy."
    return NotEnoughData(missing, message, count, weights.MIN_SKILLS, unknown)


# ---- flags ----------------------------------------------------------------------------------
def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the great-circle distance between two WGS84 points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def flags(person: CandidateFacts, item: ItemFacts) -> tuple[tuple[str, ...], float | None]:
    """Compare plain facts; return the flags (unknown facts raise none) and the distance."""
    out: list[str] = []
    if person.dutch in CEFR and item.dutch_min in CEFR and \
            CEFR.index(person.dutch) < CEFR.index(item.dutch_min):
        out.append("dutch_below_requirement")
    if person.education is not None and item.education_min is not None and \
            person.education < item.education_min:
        out.append("education_below_prerequisite")
    hours = person.hours_per_week
    if hours is not None and ((item.hours_min is not None and hours < item.hours_min)
                              or (item.hours_max is not None and hours > item.hours_max)):
        out.append("hours_not_fitting")
    if person.available_from is not None and item.starts_on is not None and \
            person.available_from > item.starts_on:
        out.append("start_date_not_fitting")
    distance = None
    if person.location is not None and item.location is not None:
        distance = round(distance_km(person.location, item.location), 1)
        if person.max_travel_km is not None and distance > person.max_travel_km:
            out.append("beyond_travel_distance")
    return tuple(out), distance


# ---- one pair -------------------------------------------------------------------------------
def _have(candidate: Candidate, with_past: bool) -> list[tuple[str, int]]:
    """Return (uri, level) of what the candidate brings, past occupations included if asked."""
    return [(uri, level) for uri, level, _ in entries(candidate, with_past=with_past)]


def candidate_direct(index: MatchIndex, candidate: Candidate, *,
                     with_past: bool = False) -> sp.csr_matrix:
    """Return the candidate's exact-id row spread by the level kernel (for breakdowns)."""
    vectorizer = index.vectorizer
    row = vectorizer.exact_part(vectorizer.raw([entries(candidate, with_past=with_past)]))
    return vectorizer.query(row, "items")


def item_direct(index: MatchIndex, item: Item) -> sp.csr_matrix:
    """Return the item's exact-id row (for breakdowns)."""
    return index.vectorizer.exact_part(index.vectorizer.raw([entries(item)]))


def exact_scores(index: MatchIndex, candidate: Candidate, items: Sequence[Item], *,
                 with_past: bool = False) -> list[float]:
    """Return the exact-id part of the cosine of one candidate with each item, in one product."""
    if not items:
        return []
    direct = index.vectorizer.exact_part(index.vectorizer.raw([entries(i) for i in items]))
    products = direct @ candidate_direct(index, candidate, with_past=with_past).T
    return [float(v) for v in products.toarray().ravel()]


def exact_scores_of_people(index: MatchIndex, people: Sequence[Candidate], item: Item
                           ) -> list[float]:
    """Return the exact-id part of the cosine of each candidate with one item, in one product."""
    if not people:
        return []
    vectorizer = index.vectorizer
    rows = vectorizer.exact_part(vectorizer.raw([entries(p) for p in people]))
    products = vectorizer.query(rows, "items") @ item_direct(index, item).T
    return [float(v) for v in products.toarray().ravel()]


def explain(index: MatchIndex, candidate: Candidate, item: Item, score: float, *,
            vacancies: MatchIndex | None = None, with_past: bool = False,
            exact: float | None = None,
            unlock_before: ScoreSheet | None = None) -> Explanation:
    """Explain one (candidate, item) pair scored by `index` (either direction).

    `exact` is the pair's entry of `exact_scores` (or `exact_scores_of_people`) and
    `unlock_before` the candidate's scores against `vacancies`, both computed once by a caller
    that explains a whole ranking: the same values, less work.
    """
    vectorizer = index.vectorizer
    space = vectorizer.space
    have = _have(candidate, with_past)
    have_levels: dict[int, int] = {}  # skill -> level; the first one listed wins, as before
    for uri, level in have:
        if uri in space.index:
            have_levels.setdefault(space.index[uri], level)
    kernel = space.kernel
    # exact-id part of the cosine: the same product without the propagation
    if exact is None:
        exact = exact_scores(index, candidate, [item], with_past=with_past)[0]
    exact = round(min(exact, score), 6)
    matched: list[MatchedSkill] = []
    missing: list[MissingSkill] = []
    reach = space.reach(have_levels)
    for need in item.needs:
        need_id = space.index.get(need.uri)
        best = None if need_id is None else reach.get(need_id)
        if best is None:
            missing.append(MissingSkill(need.uri, need.essential))
        else:
            rank, skill = best
            need_level = need.level or weights.DEFAULT_LEVEL
            matched.append(MatchedSkill(
                need.uri, need.essential, RELATIONS[rank], space.vocabulary[skill],
                float(kernel[have_levels[skill] - 1, need_level - 1])))
    essentials = [n for n in item.needs if n.essential]
    covered = sum(1 for m in matched if m.essential)
    coverage = round(covered / len(essentials), 4) if essentials else 1.0
    gains: tuple[str, ...] = ()
    modules: tuple[ModuleGap, ...] = ()
    unlocks: tuple[Unlock, ...] = ()
    if item.kind in ("route", "occupation"):
        owned = {u for u, _ in have}
        gains = tuple(n.uri for n in item.needs if n.uri not in owned)
        gain_set = set(gains)
        modules = tuple(ModuleGap(m.id, m.title, tuple(s for s in m.skills if s in gain_set))
                        for m in item.modules)
        if item.kind == "route" and vacancies is not None:
            unlocks = find_unlocks(vacancies, candidate, item, with_past=with_past,
                                   before=unlock_before)
    item_flags, distance = flags(candidate.facts, item.facts)
    return Explanation(
        id=item.id, kind=item.kind, score=score,
        breakdown=Breakdown(exact, round(max(0.0, score - exact), 6), coverage),
        matched=tuple(matched), missing=tuple(missing), gains=gains, modules=modules,
        unlocks=unlocks, flags=item_flags, distance_km=distance)


def after_route(candidate: Candidate, route: Item) -> Candidate:
    """Return the candidate as they would be after the route (its skills at its levels)."""
    claims = {c.uri: c for c in candidate.claims}
    for need in route.needs:
        current = claims.get(need.uri)
        level = need.level or weights.DEFAULT_LEVEL
        if current is None or (current.level or weights.DEFAULT_LEVEL) < level:
            claims[need.uri] = SkillClaim(need.uri, level)
    return Candidate(candidate.id, tuple(claims.values()), candidate.past, candidate.facts)


def before_sheet(vacancies: MatchIndex, candidate: Candidate, *, with_past: bool = False,
                 query: sp.csr_matrix | None = None) -> ScoreSheet:
    """Return the candidate's vacancy scores as they are now (the "before" of unlocks);
    `query` is their query against `vacancies` when the caller has it already."""
    if query is None:
        query = vacancies.query_for(candidate, with_past=with_past)
    return vacancies.score_sheet(query, kinds=("vacancy",))


def find_unlocks(vacancies: MatchIndex, candidate: Candidate, route: Item, *,
                 with_past: bool = False,
                 before: ScoreSheet | None = None) -> tuple[Unlock, ...]:
    """Return vacancies whose score rises by at least UNLOCK_MIN_GAIN after the route.

    `before` is the candidate's score sheet against `vacancies` (kinds "vacancy"), passed by a
    caller that explains many routes for one candidate so it is summed once, not per route.
    """
    query_after = vacancies.query_for(after_route(candidate, route), with_past=with_past)
    best = vacancies.rank(query_after, UNLOCK_CANDIDATES, kinds=("vacancy",))
    if not best:
        return ()
    if before is None:
        before = before_sheet(vacancies, candidate, with_past=with_past)
    scores = before([r.id for r in best])
    found = [Unlock(r.id, scores[r.id], r.score) for r in best
             if r.score - scores[r.id] >= weights.UNLOCK_MIN_GAIN]
    return tuple(found[:UNLOCK_LIMIT])


# ---- rankings -------------------------------------------------------------------------------
def match_items(index: MatchIndex, candidate: Candidate, items: Mapping[str, Item], *,
                k: int = 20, kinds: Sequence[str] | None = None, min_score: float = 0.0,
                vacancies: MatchIndex | None = None, exclude: Sequence[str] = (),
                with_past: bool = False) -> Matches | NotEnoughData:
    """Rank items for a candidate and explain each; `items` maps ids to the items themselves.

    Ranked ids missing from `items` (deleted since) are skipped, so a stale index never fails.
    """
    if index.side != "items":
        raise ValueError("match_items needs an index of items")
    lacking = enough_data(index, candidate, with_past=with_past)
    if lacking is not None:
        return lacking
    ranked = index.rank(index.query_for(candidate, with_past=with_past), k, kinds=kinds,
                        min_score=min_score, exclude=exclude)
    ranked = [r for r in ranked if r.id in items]
    exacts = exact_scores(index, candidate, [items[r.id] for r in ranked], with_past=with_past)
    unlock_before = None
    if vacancies is not None and any(items[r.id].kind == "route" for r in ranked):
        unlock_before = before_sheet(vacancies, candidate, with_past=with_past)
    return Matches(tuple(
        explain(index, candidate, items[r.id], r.score, vacancies=vacancies, with_past=with_past,
                exact=x, unlock_before=unlock_before)
        for r, x in zip(ranked, exacts, strict=True)))


def match_candidates(index: MatchIndex, item: Item, candidates: Mapping[str, Candidate], *,
                     k: int = 20, min_score: float = 0.0,
                     allowed: Sequence[str] | None = None) -> Matches:
    """Rank candidates for one route or vacancy (the reverse direction) and explain each.

    `allowed` restricts to candidate ids the caller may show (consent); others are not ranked.
    """
    if index.side != "candidates":
        raise ValueError("match_candidates needs an index of candidates")
    query = index.query_for(item)
    if allowed is None:
        ranked: list[Ranked] = index.rank(query, k, min_score=min_score)
    else:
        scores = index.scores(query, allowed)
        ranked = sorted((Ranked(i, "candidate", s) for i, s in scores.items()
                         if s > 0 and s >= min_score), key=lambda r: (-r.score, r.id))[:k]
    # The ranked row is the candidate: the explanation carries their id, kind "candidate".
    ranked = [r for r in ranked if r.id in candidates]
    exacts = exact_scores_of_people(index, [candidates[r.id] for r in ranked], item)
    return Matches(tuple(replace(explain(index, candidates[r.id], item, r.score, exact=x),
                                 id=r.id, kind="candidate")
                         for r, x in zip(ranked, exacts, strict=True)))


def rank_occupations(index: MatchIndex, candidate: Candidate, occupations: Mapping[str, Item],
                     *, k: int = 20, include_held: bool = False) -> Matches | NotEnoughData:
    """Rank occupations reachable from the candidate's skills and past work, with the gap.

    `matched` are the transferable skills (via: how), `missing` the gap (essential first),
    `gains` what the candidate would need to learn. Occupations already held are left out.
    """
    exclude = () if include_held else tuple(p.uri for p in candidate.past)
    result = match_items(index, candidate, occupations, k=k, kinds=("occupation",),
                         exclude=exclude, with_past=True)
    if isinstance(result, NotEnoughData):
        return result
    ordered = tuple(
        Explanation(e.id, e.kind, e.score, e.breakdown, e.matched,
                    tuple(sorted(e.missing, key=lambda m: (not m.essential, m.uri))),
                    e.gains, e.modules, e.unlocks, e.flags, e.distance_km)
        for e in result.items)
    return Matches(ordered)

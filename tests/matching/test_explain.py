"""Explanations: breakdown, matched/missing, gains, modules, unlocks, flags, not enough data."""

from __future__ import annotations

from datetime import date

import pytest

from goudenpoort.matching.explain import (
    Matches,
    NotEnoughData,
    distance_km,
    explain,
    flags,
    match_candidates,
    match_items,
    rank_occupations,
)
from goudenpoort.matching.index import MatchIndex
from goudenpoort.matching.profiles import (
    Candidate,
    CandidateFacts,
    Item,
    ItemFacts,
    Module,
    PastOccupation,
    SkillClaim,
)
from goudenpoort.matching.skill_space import RELATIONS, SkillSpace
from goudenpoort.matching.vectorizer import SkillVectorizer
from tests.matching.conftest import catalogue, need, person

ROUTE = Item("weld-route", "route", (need("welding", 3), need("grinding", 3),
                                     need("soldering", 2, False)),
             title="Welding", modules=(Module("m1", "Arc", ("welding",)),
                                       Module("m2", "Finish", ("grinding", "soldering"))))


@pytest.fixture
def vacancies(space: SkillSpace) -> MatchIndex:
    return MatchIndex.build(SkillVectorizer(space), catalogue(), fit=True)


@pytest.fixture
def routes(space: SkillSpace) -> MatchIndex:
    return MatchIndex.build(SkillVectorizer(space), [ROUTE, Item("cook-route", "route", (
        need("cooking"), need("cleaning")))], fit=True)


def test_breakdown_matched_missing(vacancies: MatchIndex) -> None:
    candidate = person("p", "tig", "talk", "cooking")
    welder = catalogue()[0]  # welding + grinding essential, talk optional
    result = match_items(vacancies, candidate, {i.id: i for i in catalogue()}, k=3)
    assert isinstance(result, Matches)
    explained = next(e for e in result.items if e.id == "welder")
    assert explained.score == pytest.approx(
        explained.breakdown.exact + explained.breakdown.structure, abs=1e-5)
    assert explained.breakdown.exact > 0 and explained.breakdown.structure > 0
    matched = {m.uri: m for m in explained.matched}
    assert matched["welding"].via == "narrower" and matched["welding"].have == "tig"
    assert matched["talk"].via == "exact" and not matched["talk"].essential
    assert [(m.uri, m.essential) for m in explained.missing] == [("grinding", True)]
    assert explained.breakdown.essential_coverage == 0.5
    assert explain(vacancies, candidate, welder, explained.score) == explained


def test_route_gains_modules_and_unlocks(routes: MatchIndex, vacancies: MatchIndex) -> None:
    candidate = person("p", "welding", "talk", "driving")
    result = match_items(routes, candidate, {ROUTE.id: ROUTE}, k=5, vacancies=vacancies)
    assert isinstance(result, Matches)
    [explained] = result.items  # cook-route is not in the mapping: skipped, not an error
    assert explained.gains == ("grinding", "soldering")
    assert [(m.id, m.closes) for m in explained.modules] == [("m1", ()),
                                                             ("m2", ("grinding", "soldering"))]
    unlocked = {u.vacancy: u for u in explained.unlocks}
    assert "welder" in unlocked
    assert unlocked["welder"].score_after > unlocked["welder"].score_before
    assert "cook" not in unlocked


def test_flags_inform_and_do_not_filter(vacancies: MatchIndex) -> None:
    facts = ItemFacts(dutch_min="B1", education_min=2, hours_min=32, hours_max=40,
                      starts_on=date(2027, 1, 1), location=(52.37, 4.90))  # Amsterdam
    item = Item("strict", "vacancy", (need("wiring"), need("soldering")), facts=facts)
    far = CandidateFacts(dutch="A2", education=1, hours_per_week=24,
                         available_from=date(2027, 3, 1), location=(53.22, 6.57),  # Groningen
                         max_travel_km=40)
    got, distance = flags(far, facts)
    assert got == ("dutch_below_requirement", "education_below_prerequisite",
                   "hours_not_fitting", "start_date_not_fitting", "beyond_travel_distance")
    assert distance == pytest.approx(distance_km((53.22, 6.57), (52.37, 4.90)), abs=0.1)
    assert 140 < distance < 150
    assert flags(CandidateFacts(), facts) == ((), None)  # unknown facts raise no flag
    vacancies.upsert(item)
    candidate = Candidate("p", (SkillClaim("wiring"), SkillClaim("soldering"),
                                SkillClaim("talk")), facts=far)
    result = match_items(vacancies, candidate, {i.id: i for i in [*catalogue(), item]}, k=3)
    assert isinstance(result, Matches)
    strict = next(e for e in result.items if e.id == "strict")
    assert "dutch_below_requirement" in strict.flags  # flagged, still ranked


def test_not_enough_data_names_what_is_missing(vacancies: MatchIndex) -> None:
    items = {i.id: i for i in catalogue()}
    empty = match_items(vacancies, Candidate("p", ()), items)
    assert isinstance(empty, NotEnoughData)
    assert empty.missing == ("skills",) and empty.known_skills == 0
    few = match_items(vacancies, person("q", "welding", "no-such-skill"), items)
    assert isinstance(few, NotEnoughData)
    assert few.known_skills == 1 and few.unknown_skills == ("no-such-skill",)
    assert "at least 3" in few.message


def test_match_candidates_respects_allowed(space: SkillSpace) -> None:
    vectorizer = SkillVectorizer(space)
    MatchIndex.build(vectorizer, catalogue(), fit=True)
    people = {p.id: p for p in (person("a", "plumbing", "pipes", "talk"),
                                person("b", "plumbing", "talk", "cooking"),
                                person("c", "welding", "tig", "talk"))}
    index = MatchIndex.build(vectorizer, people.values())
    plumber = catalogue()[3]
    everyone = match_candidates(index, plumber, people, k=3)
    assert [e.id for e in everyone.items][:2] == ["a", "b"]
    consented = match_candidates(index, plumber, people, k=3, allowed=["b", "c"])
    assert [e.id for e in consented.items] == ["b"]  # c does not match at all
    assert [(m.uri, m.via) for m in consented.items[0].matched] == [
        ("plumbing", "exact"), ("pipes", "related")]
    assert consented.items[0].kind == "candidate"


def test_batched_exact_parts_equal_the_one_pair_explanation(space: SkillSpace) -> None:
    """A ranking computes every pair's exact part in one product; each equals its own pair."""
    vectorizer = SkillVectorizer(space)
    MatchIndex.build(vectorizer, catalogue(), fit=True)
    people = {p.id: p for p in (person("a", "plumbing", "pipes", "talk"),
                                person("b", "plumbing", "talk", "cooking"),
                                person("c", "pipes", "welding", "talk"))}
    index = MatchIndex.build(vectorizer, people.values())
    plumber = catalogue()[3]
    ranked = match_candidates(index, plumber, people, k=3).items
    assert len(ranked) == 3 and len({e.breakdown.exact for e in ranked}) == 3
    for e in ranked:
        alone = explain(index, people[e.id], plumber, e.score)
        assert e.breakdown == alone.breakdown and e.matched == alone.matched


def test_occupations_use_past_work_and_skip_held_ones(space: SkillSpace) -> None:
    occupations = {o.id: o for o in (
        Item("occ-welder", "occupation", (need("welding"), need("grinding"), need("tig"))),
        Item("occ-cook", "occupation", (need("cooking"), need("cleaning"), need("talk"))),
        Item("occ-electrician", "occupation", (need("wiring"), need("soldering"))),
    )}
    index = MatchIndex.build(SkillVectorizer(space), occupations.values(), fit=True)
    switcher = Candidate("s", (SkillClaim("grinding"),), past=(
        PastOccupation("occ-cook", tuple(occupations["occ-cook"].needs), years=6),))
    result = rank_occupations(index, switcher, occupations)
    assert isinstance(result, Matches)
    ids = [e.id for e in result.items]
    assert "occ-cook" not in ids and ids[0] == "occ-welder"
    welder = result.items[0]
    # "talk" (from the past job) is ESCO-related to welding: transferable, not a gap
    assert [m.uri for m in welder.missing] == ["tig"]
    assert {m.uri: (m.via, m.have) for m in welder.matched} == {
        "grinding": ("exact", "grinding"), "welding": ("related", "talk")}
    assert welder.gains == ("welding", "tig")
    assert isinstance(rank_occupations(index, Candidate("e", ()), occupations), NotEnoughData)


def _closest_by_pairs(space: SkillSpace, have: list[int], need_id: int) -> tuple[int, int] | None:
    """The definition: the smallest (relation, URI) over every skill held, pair by pair."""
    found = [(RELATIONS.index(r), space.vocabulary[h], h) for h in have
             if (r := space.relation(h, need_id)) is not None]
    return None if not found else (min(found)[0], min(found)[2])


def test_closest_skill_equals_the_pairwise_definition(space: SkillSpace) -> None:
    # Every need against every pair of skills held in the tiny graph: each relation occurs.
    ids = range(space.size)
    seen = set()
    for need_id in ids:
        for a in ids:
            for b in ids:
                expected = _closest_by_pairs(space, [a, b], need_id)
                assert space.reach([a, b]).get(need_id) == expected, (need_id, a, b)
                seen.add(None if expected is None else expected[0])
    assert seen == {None, *range(len(RELATIONS))}


def test_closest_skill_equals_the_pairwise_definition_on_esco() -> None:
    # Real ESCO: neighbourhoods of random needs (so close skills are actually held).
    import random

    from goudenpoort.demo.synthetic import load_esco

    space = SkillSpace.from_graph(load_esco().graph)
    rng = random.Random(5)
    seen = set()
    for _ in range(100):
        need_id = rng.randrange(space.size)
        near = [*space.children[need_id], *space.parents[need_id], *space.relatives[need_id],
                *(c for p in space.parents[need_id] for c in space.children[p])]
        have = rng.sample(near, min(len(near), rng.randint(0, 6)))
        have += rng.sample(range(space.size), 10)
        reach = space.reach(have)
        # every need it reaches, and others it must not
        for other in {need_id, *reach, *rng.sample(range(space.size), 20)}:
            expected = _closest_by_pairs(space, have, other)
            assert reach.get(other) == expected, (other, have)
            seen.add(None if expected is None else expected[0])
    assert {None, 0, 1, 2, 3, 4} <= seen

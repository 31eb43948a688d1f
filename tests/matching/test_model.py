"""The vector model: weights, levels, propagation, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from goudenpoort.matching import weights
from goudenpoort.matching.index import MatchIndex, _contenders
from goudenpoort.matching.profiles import Candidate, Item, SkillClaim, SkillNeed
from goudenpoort.matching.skill_space import SkillSpace, level_kernel
from goudenpoort.matching.vectorizer import SkillVectorizer, entries
from tests.matching.conftest import catalogue, need, person


def score(index: MatchIndex, candidate: Candidate, item_id: str) -> float:
    """Return the score of one item for a candidate."""
    return index.scores(index.query_for(candidate), [item_id])[item_id]


def test_essential_counts_more_than_optional(index: MatchIndex) -> None:
    # welder: welding and grinding essential, talk optional (talk's rarity matches welding's)
    with_essential = person("a", "welding", "cooking", "driving")
    with_optional = person("b", "talk", "cooking", "driving")
    assert score(index, with_essential, "welder") > score(index, with_optional, "welder") > 0


def test_rare_skills_weigh_more(space: SkillSpace) -> None:
    items = [Item(f"i{n}", "vacancy", (need("cleaning"), need("typing"))) for n in range(6)]
    items.append(Item("rare", "vacancy", (need("cleaning"), need("painting"))))
    index = MatchIndex.build(SkillVectorizer(space), items, fit=True)
    idf = index.vectorizer.idf
    assert idf[space.index["painting"]] > idf[space.index["cleaning"]]
    ranked = index.rank(index.query_for(person("c", "painting", "cleaning", "driving")), 3)
    assert ranked[0].id == "rare"


def test_idf_counts_the_skills_items_list_not_their_neighbours(space: SkillSpace) -> None:
    # welding is listed by one item (welder); tig-welder lists tig, a narrower skill of welding.
    # Rarity is how few items ask for a skill: welding is as rare as plumbing (one item each).
    from sklearn.feature_extraction.text import TfidfTransformer

    items = catalogue()
    index = MatchIndex.build(SkillVectorizer(space), items, fit=True)
    idf = index.vectorizer.idf
    listed = sorted({n.uri for item in items for n in item.needs})
    bags = np.array([[1.0 if uri in {n.uri for n in item.needs} else 0.0 for uri in listed]
                     for item in items])
    expected = TfidfTransformer(smooth_idf=True).fit(bags).idf_
    got = np.array([idf[space.index[uri]] for uri in listed])
    assert np.allclose(got, expected)
    assert idf[space.index["welding"]] == pytest.approx(idf[space.index["plumbing"]])
    assert idf[space.index["mig"]] > idf[space.index["welding"]]  # listed by no item at all


def test_level_kernel_prefers_the_level_asked_and_penalises_under_more_than_over() -> None:
    kernel = level_kernel()
    assert kernel[1, 1] == 1.0
    assert kernel[0, 3] < kernel[3, 0] < 1.0  # 3 below is worse than 3 above
    assert kernel.min() >= weights.LEVEL_FLOOR


def test_levels_change_the_score(index: MatchIndex) -> None:
    skills = ("wiring", "soldering", "talk")
    exact = score(index, person("a", *skills, level=2), "electrician")
    below = score(index, person("b", *skills, level=1), "electrician")
    far_above = score(index, person("c", *skills, level=4), "electrician")
    assert exact > below and exact > far_above
    assert exact == pytest.approx(1.0, abs=1e-5)


def test_structure_lets_a_specific_skill_meet_a_general_one(index: MatchIndex) -> None:
    # welder needs "welding"; the candidate has only the narrower "tig" and "mig" (siblings).
    narrower = score(index, person("a", "tig", "cooking", "driving"), "welder")
    sibling = score(index, person("b", "mig", "cooking", "driving"), "tig-welder")
    unrelated = score(index, person("c", "plumbing", "cooking", "driving"), "welder")
    assert narrower > 0 and sibling > 0
    assert narrower > sibling  # one hop beats two hops
    assert unrelated == 0.0


def test_generic_skills_spread_less(space: SkillSpace) -> None:
    p = space.propagation
    talk, welding, tig = space.index["talk"], space.index["welding"], space.index["tig"]
    assert p[talk, welding] == pytest.approx(weights.RELATED_OPTIONAL_WEIGHT
                                             * weights.GENERIC_SPREAD)
    assert p[tig, welding] == pytest.approx(weights.BROADER_SKILL_WEIGHT)
    assert p[welding, space.index["G-metal"]] == pytest.approx(weights.GROUP_WEIGHT)


def test_rows_are_unit_length_and_float32(index: MatchIndex) -> None:
    rows = index._main.postings.T.tocsr()
    assert rows.dtype == np.float32
    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0, atol=1e-5)


def test_fast_query_equals_transform_then_expand(index: MatchIndex) -> None:
    candidate = Candidate("x", (SkillClaim("tig", 3), SkillClaim("plumbing", 1),
                                SkillClaim("talk"), SkillClaim("unknown-skill", 2)))
    vectorizer = index.vectorizer
    fast = vectorizer.query_row(entries(candidate), "items")
    slow = vectorizer.query(vectorizer.transform(vectorizer.raw([entries(candidate)])), "items")
    assert fast.nnz == slow.nnz
    assert abs(fast - slow).max() < 1e-6


def test_ties_are_broken_by_id_and_ranking_is_deterministic(space: SkillSpace) -> None:
    same = (need("wiring"), need("soldering"))
    items = [Item(i, "vacancy", same) for i in ("zeta", "alpha", "mid")] + catalogue()
    index = MatchIndex.build(SkillVectorizer(space), items, fit=True)
    query = index.query_for(person("p", "wiring", "soldering", "driving"))
    first = index.rank(query, 3)
    assert [r.id for r in first] == ["alpha", "mid", "zeta"]
    assert first[0].score == first[2].score
    again = MatchIndex.build(SkillVectorizer(space), list(reversed(items)), fit=True)
    assert again.rank(query, 5) == index.rank(query, 5)


def test_rank_filters_kinds_min_score_and_exclusions(index: MatchIndex) -> None:
    query = index.query_for(person("p", "welding", "grinding", "tig"))
    ranked = index.rank(query, 10)
    assert {r.id for r in ranked[:2]} == {"welder", "tig-welder"}
    assert all(r.score >= 0.3 for r in index.rank(query, 10, min_score=0.3))
    assert index.rank(query, 10, kinds=("route",)) == []
    assert "welder" not in [r.id for r in index.rank(query, 10, exclude=["welder"])]


def test_reverse_direction_ranks_candidates_for_an_item(space: SkillSpace) -> None:
    vectorizer = SkillVectorizer(space)
    MatchIndex.build(vectorizer, catalogue(), fit=True)
    people = [person("welder-ish", "tig", "grinding", "talk"),
              person("plumber-ish", "plumbing", "pipes", "talk"),
              person("cook-ish", "cooking", "cleaning", "talk")]
    candidates = MatchIndex.build(vectorizer, people)
    plumber = catalogue()[3]
    ranked = candidates.rank(candidates.query_for(plumber), 3)
    assert ranked[0].id == "plumber-ish"
    assert ranked[0].kind == "candidate"
    with pytest.raises(ValueError):
        candidates.query_for(people[0])


def test_needs_validate_levels() -> None:
    with pytest.raises(ValueError):
        SkillNeed("x", 5)
    with pytest.raises(ValueError):
        Item("x", "shop", ())


def test_rank_scores_equal_the_sparse_product_of_query_and_postings(space: SkillSpace) -> None:
    """The sliced-postings accumulation gives what scipy's sparse product gives."""
    items = catalogue() + [
        Item(f"v{i}", "vacancy", (need("wiring"), need("tig", essential=bool(i % 2))))
        for i in range(30)]
    index = MatchIndex.build(SkillVectorizer(space), items, fit=True)
    query = index.query_for(person("p", "wiring", "welding", "plumbing", "talk"))
    ranked = index.rank(query, len(items))
    product = (query @ index._main.postings).toarray().ravel()
    ids = [i.decode() for i in index._main.ids]
    expected = {ids[j]: round(float(product[j]), 6) for j in np.flatnonzero(product)}
    assert {r.id: r.score for r in ranked} == pytest.approx(expected, abs=2e-6)
    assert len(ranked) == len(expected) > 10


@pytest.mark.parametrize("seed", range(20))
def test_contenders_hold_every_row_that_can_make_the_top(seed: int) -> None:
    """Block maxima never drop a row that scores (after rounding) at least the want-th best."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 5000))
    summed = np.where(rng.random(n) < rng.random(), rng.random(n), 0.0)
    summed[rng.integers(0, n, size=n // 10)] = 0.5 + 4e-7  # ties after rounding
    want = int(rng.integers(1, 200))
    rounded = np.round(summed, 6)
    positive = np.sort(rounded[rounded > 0])[::-1]
    bar = positive[min(want, len(positive)) - 1] if len(positive) else np.inf
    must = set(np.flatnonzero((rounded >= bar) & (rounded > 0)).tolist())
    assert must <= set(_contenders(summed, want).tolist())

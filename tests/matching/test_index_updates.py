"""Incremental updates equal a rebuild; artifacts round-trip and refuse what is not ours."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goudenpoort.matching import artifacts
from goudenpoort.matching.artifacts import ArtifactError
from goudenpoort.matching.index import MatchIndex
from goudenpoort.matching.profiles import Item
from goudenpoort.matching.skill_space import SkillSpace
from goudenpoort.matching.vectorizer import SkillVectorizer
from tests.matching.conftest import catalogue, need, person

PEOPLE = [person("a", "welding", "grinding", "talk"), person("b", "plumbing", "pipes", "tig"),
          person("c", "wiring", "cleaning", "cooking"), person("d", "mig", "painting", "driving")]


def rankings(index: MatchIndex) -> list[list[tuple[str, float]]]:
    """Return every person's full ranking as (id, score)."""
    return [[(r.id, r.score) for r in index.rank(index.query_for(p), 50)] for p in PEOPLE]


def same_rankings(one: MatchIndex, other: MatchIndex) -> bool:
    """Tell whether both indexes rank everyone alike: same order, scores within float32 noise."""
    # Buffered rows are scored by a second product, so a score may differ in its last float32
    # bit; comparing rounded scores would fail whenever one lies on a rounding boundary.
    for mine, theirs in zip(rankings(one), rankings(other), strict=True):
        if [i for i, _ in mine] != [i for i, _ in theirs]:
            return False
        if any(abs(a - b) > 1e-6 for (_, a), (_, b) in zip(mine, theirs, strict=True)):
            return False
    return True


def test_incremental_updates_equal_a_rebuild(space: SkillSpace) -> None:
    vectorizer = SkillVectorizer(space)
    index = MatchIndex.build(vectorizer, catalogue(), fit=True)
    added = Item("new-welder", "vacancy", (need("mig"), need("welding"), need("grinding")))
    replaced = Item("plumber", "vacancy", (need("plumbing"), need("tig")))
    index.upsert(added)
    index.upsert(replaced)
    assert index.remove("cook")
    assert not index.remove("never-there")
    final = [i for i in catalogue() if i.id not in ("cook", "plumber")] + [added, replaced]
    rebuilt = MatchIndex.build(vectorizer, final)  # same fitted vectorizer, no refit
    assert index.pending == 4  # 2 buffered rows, 2 tombstones
    assert len(index) == len(final)
    assert "cook" not in index and "new-welder" in index
    assert same_rankings(index, rebuilt)
    index.compact()
    assert index.pending == 0
    assert same_rankings(index, rebuilt)
    assert index.ids() == sorted(i.id for i in final)


def test_replacing_a_buffered_row_twice_keeps_the_last(space: SkillSpace) -> None:
    index = MatchIndex.build(SkillVectorizer(space), catalogue(), fit=True)
    index.upsert(Item("x", "route", (need("cooking"),)))
    index.upsert(Item("x", "route", (need("wiring"), need("soldering"))))
    query = index.query_for(person("p", "wiring", "soldering", "talk"))
    ranked = index.rank(query, 10)
    assert [r.id for r in ranked].count("x") == 1
    assert index.scores(query, ["x"])["x"] > index.scores(query, ["cook"])["cook"]


def test_scores_of_given_ids_equal_the_ranking(space: SkillSpace) -> None:
    index = MatchIndex.build(SkillVectorizer(space), catalogue(), fit=True)
    index.upsert(Item("late", "route", (need("tig"), need("welding"))))
    assert index.remove("cook")
    for p in PEOPLE:
        query = index.query_for(p)
        ranked = {r.id: r.score for r in index.rank(query, 50)}
        asked = index.scores(query, [*ranked, "cook", "never-there"])
        assert asked.pop("cook") == 0.0 and asked.pop("never-there") == 0.0  # removed, unknown
        assert asked.keys() == ranked.keys()
        assert all(abs(asked[i] - ranked[i]) <= 1e-6 for i in ranked)


def test_a_small_kind_ranks_and_scores_alike_through_its_own_slice(space: SkillSpace) -> None:
    # Two vacancies among many routes: the vacancy ranking sums a slice of the postings, and
    # must give what the full sum restricted to vacancies gives, tombstones and buffer included.
    routes = [Item(f"r{i}", "route", tuple(need(s) for s in skills)) for i, skills in
              enumerate([("welding", "grinding"), ("tig",), ("wiring", "talk"), ("plumbing",),
                          ("mig", "painting"), ("pipes", "soldering"), ("cooking", "talk")])]
    vacancies = [Item("v-weld", "vacancy", (need("welding"), need("tig"))),
                 Item("v-wire", "vacancy", (need("wiring"), need("soldering"))),
                 Item("v-pipe", "vacancy", (need("plumbing"), need("pipes")))]
    index = MatchIndex.build(SkillVectorizer(space), routes + vacancies, fit=True)
    assert index.remove("v-pipe")
    index.upsert(Item("v-late", "vacancy", (need("mig"), need("welding"))))
    assert index._main.view((1,)) is not None  # vacancies are a small share: sliced
    for p in PEOPLE:
        query = index.query_for(p)
        everything = index.rank(query, 50)
        expected = [(r.id, r.score) for r in everything if r.kind == "vacancy"]
        assert [(r.id, r.score) for r in index.rank(query, 50, kinds=("vacancy",))] == expected
        asked = index.scores(query, ["v-weld", "v-wire", "v-pipe", "v-late", "r0"],
                             kinds=("vacancy",))
        assert asked["v-pipe"] == 0.0 and asked["r0"] == 0.0  # removed; not of the kind
        assert all(asked[i] == s for i, s in expected)
        assert any(s > 0 for _, s in expected)


def test_artifact_round_trip(tmp_path: Path, index: MatchIndex) -> None:
    index.upsert(Item("late", "route", (need("tig"), need("welding"))))
    manifest = artifacts.save(index, tmp_path)
    loaded, read = artifacts.load(tmp_path)
    assert read == manifest
    assert manifest["item_count"] == len(catalogue()) + 1
    assert manifest["taxonomy_release"] == "test graph"
    assert {"scikit_learn_version", "built_at", "weights", "sha256"} <= set(manifest)
    assert rankings(loaded) == rankings(index)
    assert artifacts.age_seconds(manifest) >= 0
    # a second save replaces the first atomically and leaves one data file
    artifacts.save(loaded, tmp_path)
    assert len(list(tmp_path.glob("index-*.npz"))) == 1


def test_refuses_missing_foreign_stale_and_corrupt(tmp_path: Path, index: MatchIndex) -> None:
    with pytest.raises(ArtifactError, match="missing"):
        artifacts.load(tmp_path)
    manifest = artifacts.save(index, tmp_path)
    path = tmp_path / "manifest.json"

    def write(**changes: object) -> None:
        path.write_text(json.dumps({**manifest, **changes}))

    write(format="someone-elses-index")
    with pytest.raises(ArtifactError, match="not written by"):
        artifacts.load(tmp_path)
    write(format_version=99)
    with pytest.raises(ArtifactError, match="format version"):
        artifacts.load(tmp_path)
    write(weights={**manifest["weights"], "ESSENTIAL_WEIGHT": 2.0})
    with pytest.raises(ArtifactError, match="other model weights"):
        artifacts.load(tmp_path)
    write(file="../../etc/passwd")
    with pytest.raises(ArtifactError, match="unexpected file"):
        artifacts.load(tmp_path)
    write()
    data = tmp_path / manifest["file"]
    raw = bytearray(data.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    data.write_bytes(bytes(raw))
    with pytest.raises(ArtifactError, match="corrupt"):
        artifacts.load(tmp_path)
    path.write_text("{not json")
    with pytest.raises(ArtifactError, match="not a readable manifest"):
        artifacts.load(tmp_path)


def test_a_score_sheet_sums_once_and_reads_as_scores_do(space: SkillSpace,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from goudenpoort.matching import index as index_module

    items = [Item(f"v{i}", "vacancy", (need(a), need(b))) for i, (a, b) in enumerate(
        [("welding", "tig"), ("wiring", "soldering"), ("plumbing", "pipes"), ("mig", "grinding"),
         ("cooking", "talk")])]
    index = MatchIndex.build(SkillVectorizer(space), items, fit=True)
    index.upsert(Item("v-late", "vacancy", (need("tig"), need("grinding"))))
    query = index.query_for(PEOPLE[0])
    calls = []
    real = index_module._accumulate
    monkeypatch.setattr(index_module, "_accumulate",
                        lambda *a: calls.append(1) or real(*a))  # type: ignore[func-returns-value]
    sheet = index.score_sheet(query, kinds=("vacancy",))
    asks = [["v0", "v1"], ["v3", "v-late", "nope"], ["v0", "v2", "v4"], []]
    read = [sheet(ask) for ask in asks]
    assert len(calls) == 1  # summed once for every read
    monkeypatch.setattr(index_module, "_accumulate", real)
    assert read == [index.scores(query, ask, kinds=("vacancy",)) for ask in asks]
    assert read[0]["v0"] > 0 and read[1]["nope"] == 0.0 and read[1]["v-late"] > 0

"""The index registry and the profiles it is built from: change log, freshness, artifacts."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from goudenpoort.matching import weights
from goudenpoort.services import match_index
from goudenpoort.services import match_profiles as profiles
from goudenpoort.services.candidates import erase_candidate, update_candidate
from goudenpoort.services.catalogue_items import update_item
from goudenpoort.services.distance import region_centres
from goudenpoort.services.match_index import MatchRegistry, save_state
from goudenpoort.services.vacancies import VACANCIES
from models import CandidateSkill, MatchChange
from models.base import utcnow
from tests.match_factories import World, build_world, skills


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def changes(session: Session, after: int = 0) -> list[tuple[str, str, str]]:
    """Return the logged changes after an id as (side, item id, op)."""
    return [tuple(r) for r in session.execute(  # type: ignore[misc]
        select(MatchChange.side, MatchChange.item_id, MatchChange.op)
        .where(MatchChange.id > after).order_by(MatchChange.id))]


def best_route(registry: MatchRegistry, session: Session, candidate_id: object) -> str:
    """Return the title-free id of the best route for a candidate, ranked on the registry."""
    row = profiles.load_candidates(session, [str(candidate_id)])[0]
    person = profiles.candidate_profiles(session, [row])[0]
    with registry.use(session) as state:
        return state.items.rank(state.items.query_for(person), 1, kinds=("route",))[0].id


def test_every_write_path_logs_its_change(session: Session, world: World) -> None:
    logged = changes(session)
    assert ("route", str(world.electric_route.id), "upsert") in logged
    assert ("vacancy", str(world.vacancy.id), "upsert") in logged
    start = match_index.last_change_id(session)
    person = world.candidate(session, world.c.skills[1:4])
    update_candidate(session, actor=world.adviser, candidate=person,
                     expected_version=person.version, data={"skills": skills(world.plumbing)})
    erase_candidate(session, actor=world.adviser, candidate=person,
                    expected_version=person.version, endpoint="test")
    assert changes(session, start) == [("candidate", str(person.id), "upsert")] * 2 + [
        ("candidate", str(person.id), "remove")]


def test_profiles_use_confirmed_skills_and_never_protected_facts(session: Session,
                                                                 world: World) -> None:
    yes = world.candidate(session, world.c.skills[1:4], kind="newcomer", right_to_work="yes",
                          languages=[{"code": "nl", "cefr": "B1"}, {"code": "ar", "cefr": "C2"}],
                          birth_year=1980)
    no = world.candidate(session, world.c.skills[1:4], kind="newcomer", right_to_work="no",
                         languages=[{"code": "nl", "cefr": "B1"}], birth_year=2001)
    session.add(CandidateSkill(candidate_id=no.id, skill_uri=world.plumbing[0], level=2,
                               source="inferred", confirmed=False, created_at=utcnow()))
    session.flush()
    session.expire_all()
    a, b = profiles.candidate_profiles(session, profiles.load_candidates(session, [yes.id, no.id]))
    if a.id != str(yes.id):
        a, b = b, a
    # Same skills, same Dutch: the same profile, whatever the right to work, other languages,
    # age; the unconfirmed proposal does not count.
    assert (a.claims, a.facts) == (b.claims, b.facts)
    assert {c.uri for c in b.claims} == set(world.c.skills[1:4])
    assert a.facts.dutch == "B1"
    assert a.facts.location == region_centres(session)["zwolle"]
    assert {f.name for f in dataclasses.fields(a.facts)} == {
        "dutch", "education", "hours_per_week", "available_from", "location", "max_travel_km"}


def test_two_registries_on_one_database_follow_the_log(session: Session, world: World) -> None:
    first, second = MatchRegistry(None), MatchRegistry(None)
    person = world.candidate(session, world.c.skills[1:4])
    for registry in (first, second):
        assert best_route(registry, session, person.id) == str(world.electric_route.id)
        assert str(world.vacancy.id) in registry.sync(session).items
    # Closing the vacancy removes it from both; its employer's item follows.
    update_item(session, VACANCIES, caller=world.employer_staff, row=world.vacancy,
                changes={"status": "closed"}, expected_version={world.vacancy.version})
    for registry in (first, second):
        state = registry.sync(session)
        assert str(world.vacancy.id) not in state.items
        assert str(world.employer.id) not in state.items  # nothing left to match it on
    update_candidate(session, actor=world.adviser, candidate=person,
                     expected_version=person.version, data={"skills": skills(world.plumbing)})
    for registry in (first, second):
        assert best_route(registry, session, person.id) == str(world.plumbing_route.id)


def test_a_change_that_commits_late_is_still_applied(session: Session, world: World) -> None:
    registry = MatchRegistry(None)
    state = registry.sync(session)
    person = world.candidate(session, world.c.skills[1:4])
    late = match_index.last_change_id(session)
    # As if the transaction that logged `late` had not committed yet ...
    session.execute(delete(MatchChange).where(MatchChange.id == late))
    # ... while a later id is already visible.
    session.execute(insert(MatchChange), [{"id": late + 1, "side": "route", "op": "upsert",
                                           "item_id": str(world.electric_route.id),
                                           "at": utcnow()}])
    registry.sync(session)
    assert late in state.gaps and str(person.id) not in state.candidates
    session.execute(insert(MatchChange), [{"id": late, "side": "candidate", "op": "upsert",
                                           "item_id": str(person.id), "at": utcnow()}])
    registry.sync(session)
    assert str(person.id) in state.candidates
    assert late not in state.gaps


def test_a_rewritten_log_means_a_rebuild(session: Session, world: World) -> None:
    registry = MatchRegistry(None)
    state = registry.sync(session)
    state.last_seen_at = utcnow()  # the row we applied last is not in the log as we saw it
    rebuilt = registry.sync(session)
    assert rebuilt is not state and rebuilt.source == "built"


def test_a_failed_rebuild_keeps_the_previous_index(session: Session, world: World,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    registry = MatchRegistry(None)
    state = registry.sync(session)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(match_index, "assemble", broken)
    with pytest.raises(RuntimeError):
        registry.rebuild(session)
    assert registry.state is state and registry.last_error == "disk full"
    assert not registry.rebuilding


def test_artifacts_are_saved_and_loaded_at_startup(session: Session, world: World,
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    built = MatchRegistry(tmp_path).sync(session)
    assert built.source == "built"
    assert (tmp_path / "registry.json").exists() and (tmp_path / "items" / "manifest.json")
    # A new process loads the saved index, then applies what changed since.
    person = world.candidate(session, world.c.skills[1:4])
    loaded = MatchRegistry(tmp_path).sync(session)
    assert loaded.source == "artifact"
    assert set(loaded.items.ids()) == set(built.items.ids())
    assert str(person.id) in loaded.candidates
    # Other weights, another taxonomy release or a corrupt file: refused, and rebuilt.
    monkeypatch.setattr(weights, "UNLOCK_MIN_GAIN", weights.UNLOCK_MIN_GAIN + 0.01)
    assert MatchRegistry(tmp_path, save_builds=False).sync(session).source == "built"
    monkeypatch.undo()
    record = save_state(built, tmp_path)
    (tmp_path / "registry.json").write_text(json.dumps({**record,
                                                        "taxonomy_release": "ESCO 9.9"}))
    assert MatchRegistry(tmp_path, save_builds=False).sync(session).source == "built"
    save_state(built, tmp_path)
    data = next((tmp_path / "items").glob("index-*.npz"))
    data.write_bytes(data.read_bytes()[:-10] + b"0123456789")
    assert MatchRegistry(tmp_path, save_builds=False).sync(session).source == "built"


def test_a_running_worker_adopts_a_newer_saved_index(session: Session, world: World,
                                                     tmp_path: Path) -> None:
    worker = MatchRegistry(tmp_path)
    old = worker.sync(session)
    fresh = match_index.build_state(session)  # what `flask index build` does ...
    fresh.built_at = old.built_at + 1
    save_state(fresh, tmp_path)  # ... and saves
    with worker.use(session) as state:
        assert state is not old and state.source == "artifact"
        assert state.built_at == pytest.approx(fresh.built_at)


def test_occupation_needs_are_read_once_per_taxonomy_release(session: Session) -> None:
    from sqlalchemy import event

    from models import OccupationSkill, TaxonomyRelease

    welder = "http://data.europa.eu/esco/occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b"
    first = profiles.occupation_needs(session, [welder])
    assert first == profiles._read_occupation_needs(session, [welder])
    assert len(first[welder]) > 10
    statements: list[str] = []
    engine = session.get_bind().engine

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert profiles.occupation_needs(session, [welder]) == first
        assert not [s for s in statements if "occupation_skill" in s]  # served from the cache
        # A new release (as an import writes it) with changed occupation skills is re-read.
        dropped = first[welder][0].uri
        session.execute(delete(OccupationSkill).where(OccupationSkill.occupation_uri == welder,
                                                      OccupationSkill.skill_uri == dropped))
        marker = session.scalars(select(TaxonomyRelease)).one()
        marker.digest = "f" * 64
        session.flush()
        after = profiles.occupation_needs(session, [welder])
        assert [s for s in statements if "occupation_skill" in s]
        assert [n.uri for n in after[welder]] == [n.uri for n in first[welder][1:]]
    finally:
        event.remove(engine, "before_cursor_execute", seen)
        session.rollback()


def test_employer_needs_merge_per_skill_at_the_highest_level_essential_if_any() -> None:
    from goudenpoort.matching.profiles import SkillNeed as Need

    merged = profiles._merge([Need("b", None, False), Need("a", 2, False), Need("b", 3, False),
                              Need("a", None, True), Need("b", 1, True), Need("c", None, False),
                              Need("d", 2, True), Need("d", 2, True)])
    assert merged == (Need("a", 2, True), Need("b", 3, True), Need("c", None, False),
                      Need("d", 2, True))

"""Match endpoints over HTTP: rankings, explanations, freshness, consent, access, audit, 422s."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from goudenpoort import create_app
from goudenpoort.config import TestConfig
from goudenpoort.db import get_db
from goudenpoort.index_registry import EXTENSION
from models import AuditEntry
from tests.factories import auth_headers, create_account, create_candidate_account
from tests.match_factories import World, build_world, fresh_registry, skills

API = "/api/v1"


@pytest.fixture(autouse=True)
def _registry(app: Flask) -> Iterator[None]:
    """Give every test a registry built from its own data (and drop it afterwards)."""
    fresh_registry(app)
    yield
    app.extensions.pop(EXTENSION, None)


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def get(client: FlaskClient, url: str, headers: dict[str, str]) -> Any:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_routes_are_ranked_and_explained(client: FlaskClient, session: Session,
                                         world: World) -> None:
    person = world.candidate(session, world.c.skills[1:4],
                             languages=[{"code": "nl", "cefr": "A1"}])
    headers = auth_headers(session, world.adviser)
    body = get(client, f"{API}/candidates/{person.id}/matches/routes?lang=nl", headers)
    assert body["not_enough_data"] is None
    first = body["items"][0]
    assert first["route"]["id"] == str(world.electric_route.id)
    assert first["route"]["provider"]["id"] == str(world.provider.id)
    assert 0 < first["score"] <= 1
    assert first["breakdown"]["exact"] > 0
    matched = {m["uri"]: m for m in first["matched_skills"]}
    assert set(world.c.skills[1:4]) <= set(matched)
    assert matched[world.c.skills[1]]["via"] == "exact"
    assert matched[world.c.skills[1]]["level_fit"] == 1.0  # level 3 asked, level 3 held
    missing = {m["uri"] for m in first["missing_skills"]}
    assert missing | set(matched) == set(world.c.skills[1:6]) and not missing & set(matched)
    assert all(m["essential"] for m in first["missing_skills"])
    # Skills 4 and 5 are missing or covered only through the ESCO structure.
    assert all(matched[u]["via"] != "exact" for u in world.c.skills[4:6] if u in matched)
    assert first["breakdown"]["essential_coverage"] == pytest.approx(len(matched) / 5, abs=1e-3)
    assert {g["uri"] for g in first["gains"]} == set(world.c.skills[4:6])
    assert first["modules"][0]["title"] == "Basis"
    assert [g["uri"] for g in first["modules"][0]["closes"]] == [world.c.skills[4]]
    # The route asks Dutch A2 and skill 0 beforehand; the candidate has Dutch A1 and lacks it.
    assert "dutch_below_requirement" in first["flags"]
    assert "prerequisite_skills_missing" in first["flags"]
    assert [p["uri"] for p in first["missing_prerequisites"]] == [world.c.skills[0]]
    # Dutch labels where ESCO or the project has them; label_lang says which.
    assert all(m["label"] and m["label_lang"] in ("nl", "en") for m in first["matched_skills"])
    english = get(client, f"{API}/candidates/{person.id}/matches/routes?lang=en", headers)
    label = english["items"][0]["matched_skills"][0]
    assert label["label_lang"] == "en"
    assert label["label"] == world.c.labels_en[label["uri"]]
    # The vacancy asks the route's skills: following the route raises its score.
    unlock = first["unlocks"][0]
    assert unlock["vacancy"] == str(world.vacancy.id) and unlock["title"] == "Elektricien"
    assert unlock["score_after"] > unlock["score_before"]


def test_a_profile_change_shows_in_the_next_request(client: FlaskClient, session: Session,
                                                    world: World) -> None:
    person = world.candidate(session, world.c.skills[1:4])
    headers = auth_headers(session, world.adviser)
    url = f"{API}/candidates/{person.id}/matches/routes"
    assert get(client, url, headers)["items"][0]["route"]["title"] == "Elektromonteur"
    patched = client.patch(f"{API}/candidates/{person.id}", json={"skills": skills(
        world.plumbing[:4])}, headers={**headers, "If-Match": f'"{person.version}"'})
    assert patched.status_code == 200
    assert get(client, url, headers)["items"][0]["route"]["title"] == "Loodgieter"


def test_catalogue_changes_show_in_the_next_request(client: FlaskClient, session: Session,
                                                    world: World) -> None:
    person = world.candidate(session, world.c.skills[1:4])
    headers = auth_headers(session, world.adviser)
    staff = auth_headers(session, world.provider_staff)
    url = f"{API}/candidates/{person.id}/matches/routes"
    assert get(client, url, headers)["items"][0]["route"]["title"] == "Elektromonteur"
    route = f"{API}/routes/{world.electric_route.id}"
    tag = f'"{world.electric_route.version}"'
    deleted = client.delete(route, headers={**staff, "If-Match": tag})
    assert deleted.status_code == 204
    titles = [i["route"]["title"] for i in get(client, url, headers)["items"]]
    assert "Elektromonteur" not in titles
    created = client.post(f"{API}/routes", headers=staff, json={
        "title": "Nieuwe route", "level": "mbo-2", "mode": "bol", "region": "zwolle",
        "skills": skills(world.c.skills[1:4])})
    assert created.status_code == 201, created.get_json()
    assert get(client, url, headers)["items"][0]["route"]["title"] == "Nieuwe route"


def test_two_workers_sharing_one_database_both_see_a_change(
        app: Flask, client: FlaskClient, connection: Connection, session: Session,
        world: World) -> None:
    """A second app with its own registry stands in for another gunicorn worker."""
    other = create_app(TestConfig, DATABASE_URL=app.config["DATABASE_URL"])
    get_db(other).sessionmaker.configure(bind=connection, join_transaction_mode="create_savepoint")
    fresh_registry(other)
    other_client = other.test_client()
    person = world.candidate(session, world.c.skills[1:4])
    headers = auth_headers(session, world.adviser)
    url = f"{API}/candidates/{person.id}/matches/routes"
    for worker in (client, other_client):  # both build their index now
        assert get(worker, url, headers)["items"][0]["route"]["title"] == "Elektromonteur"
    # The change is made through the first worker; the second hears of it from the log.
    patched = client.patch(f"{API}/routes/{world.plumbing_route.id}", json={
        "title": "Loodgieter-elektro", "skills": skills(world.c.skills[1:4])},
        headers={**auth_headers(session, world.provider_staff),
                 "If-Match": f'"{world.plumbing_route.version}"'})
    assert patched.status_code == 200
    for worker in (client, other_client):
        assert get(worker, url, headers)["items"][0]["route"]["title"] == "Loodgieter-elektro"
    get_db(other).engine.dispose()


def test_not_enough_data_is_explained_not_an_error(client: FlaskClient, session: Session,
                                                   world: World) -> None:
    headers = auth_headers(session, world.adviser)
    empty = world.candidate(session, [])
    for kind in ("routes", "employers", "occupations"):
        body = get(client, f"{API}/candidates/{empty.id}/matches/{kind}", headers)
        assert body["items"] == []
        assert "skills" in body["not_enough_data"]["missing"]
        assert body["not_enough_data"]["message"]
    thin = world.candidate(session, world.c.skills[1:2])
    body = get(client, f"{API}/candidates/{thin.id}/matches/routes", headers)
    assert body["items"] == [] and body["not_enough_data"]["known_skills"] == 1


def test_inferred_skills_count_only_once_confirmed(client: FlaskClient, session: Session,
                                                   world: World) -> None:
    headers = auth_headers(session, world.adviser)
    person = world.candidate(session, [], experience=[
        {"occupation": world.c.electrician, "years": 4}])
    url = f"{API}/candidates/{person.id}"
    proposed = client.post(f"{url}/skills/proposals", headers=headers)
    assert proposed.status_code == 200
    body = get(client, f"{url}/matches/routes", headers)
    assert body["items"] == [] and body["not_enough_data"]["known_skills"] == 0
    confirm = [{"uri": s["uri"]} for s in proposed.get_json()["skills"]
               if s["uri"] in world.c.skills[1:6]]
    reviewed = client.post(f"{url}/skills/review", json={"confirm": confirm},
                           headers=headers)
    assert reviewed.status_code == 200
    body = get(client, f"{url}/matches/routes", headers)
    assert body["items"][0]["route"]["title"] == "Elektromonteur"


@pytest.mark.parametrize("query, field", [
    ("limit=101", "limit"), ("limit=0", "limit"), ("max_travel_km=-1", "max_travel_km"),
    ("region=atlantis", "region"), ("min_score=1.5", "min_score"), ("sector=bakkerij", "sector"),
    ("hours=0", "hours"), ("start=soon", "start"), ("colour=red", "colour"),
])
def test_bad_filters_are_422(client: FlaskClient, session: Session, world: World,
                             query: str, field: str) -> None:
    person = world.candidate(session, world.c.skills[1:4])
    response = client.get(f"{API}/candidates/{person.id}/matches/routes?{query}",
                          headers=auth_headers(session, world.adviser))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert any(field in key for key in error["details"].get("query", error["details"]))


def test_filters_narrow_and_flags_only_inform(client: FlaskClient, session: Session,
                                              world: World) -> None:
    person = world.candidate(session, world.c.skills[1:4] + world.plumbing[:3],
                             max_travel_km=10, availability={"hours_per_week": 20})
    headers = auth_headers(session, world.adviser)
    url = f"{API}/candidates/{person.id}/matches/routes"
    titles = {i["route"]["title"]: i for i in get(client, url, headers)["items"]}
    # Twente is ~60 km from Zwolle: flagged, not hidden; 32 h a week does not fit 20 h.
    assert "beyond_travel_distance" in titles["Loodgieter"]["flags"]
    assert titles["Loodgieter"]["distance_km"] > 10
    assert "hours_not_fitting" in titles["Elektromonteur"]["flags"]
    near = {i["route"]["title"] for i in get(client, f"{url}?max_travel_km=10", headers)["items"]}
    assert near == {"Elektromonteur"}
    twente = {i["route"]["title"] for i in get(client, f"{url}?region=twente", headers)["items"]}
    assert twente == {"Loodgieter"}
    assert get(client, f"{url}?hours=20", headers)["items"] == []  # both routes want 32 h
    assert len(get(client, f"{url}?hours=40", headers)["items"]) == 2
    assert get(client, f"{url}?min_score=0.99", headers)["items"] == []
    assert len(get(client, f"{url}?limit=1", headers)["items"]) == 1


def test_candidate_side_access_and_audit(client: FlaskClient, session: Session,
                                         world: World) -> None:
    person = world.candidate(session, world.c.skills[1:4])
    url = f"{API}/candidates/{person.id}/matches/routes"
    stranger = create_account(session, role="adviser")  # another desk
    assert client.get(url, headers=auth_headers(session, stranger)).status_code == 404
    for role_account in (world.provider_staff, world.employer_staff):
        assert client.get(url, headers=auth_headers(session, role_account)).status_code == 403
    own = create_candidate_account(session, person)
    assert client.get(url, headers=auth_headers(session, own)).status_code == 200
    assert client.get(url, headers=auth_headers(session, world.adviser)).status_code == 200
    entries = session.scalars(select(AuditEntry).where(AuditEntry.candidate_id == person.id,
                                                       AuditEntry.action == "read")).all()
    assert [(e.actor_id, e.endpoint) for e in entries] == [
        (world.adviser.id, "GET /api/v1/candidates/<uuid:candidate_id>/matches/routes")]


def test_route_candidates_only_consenting_owner_only_audited(
        client: FlaskClient, session: Session, world: World) -> None:
    wants = world.candidate(session, world.c.skills[1:4], consent={"providers": True})
    world.candidate(session, world.c.skills[1:4])  # no consent
    world.candidate(session, world.c.skills[1:4], consent={"employers": True})  # not providers
    url = f"{API}/routes/{world.electric_route.id}/matches/candidates"
    staff = auth_headers(session, world.provider_staff)
    body = get(client, url, staff)
    assert body["audience"] == "providers"
    assert [i["candidate"]["id"] for i in body["items"]] == [str(wants.id)]
    assert set(body["items"][0]["candidate"]) == {"id", "given_name", "family_name", "region"}
    assert {m["uri"] for m in body["items"][0]["matched_skills"]} >= set(world.c.skills[1:4])
    audited = session.scalars(select(AuditEntry).where(AuditEntry.candidate_id == wants.id,
                                                       AuditEntry.action == "read")).all()
    assert [(e.actor_id, e.actor_role, e.endpoint) for e in audited] == [
        (world.provider_staff.id, "provider",
         "GET /api/v1/routes/<uuid:route_id>/matches/candidates")]
    # Withdrawal counts from the next request.
    own = create_candidate_account(session, wants)
    withdrawn = client.post(f"{API}/candidates/{wants.id}/consent",
                            json={"audience": "providers", "granted": False},
                            headers=auth_headers(session, own))
    assert withdrawn.status_code == 200
    assert get(client, url, staff)["items"] == []
    # Owner only: another training centre, advisers and employers may not look.
    other = create_account(session, role="provider")
    assert client.get(url, headers=auth_headers(session, other)).status_code == 403
    for account in (world.adviser, world.employer_staff):
        assert client.get(url, headers=auth_headers(session, account)).status_code == 403
    admin = create_account(session, role="admin")
    assert client.get(url, headers=auth_headers(session, admin)).status_code == 200
    assert client.get(f"{API}/routes/{world.adviser.id}/matches/candidates",
                      headers=staff).status_code == 404


def test_vacancy_candidates_for_the_employer(client: FlaskClient, session: Session,
                                             world: World) -> None:
    near = world.candidate(session, world.c.skills[1:5], consent={"employers": True},
                           region="twente")
    far = world.candidate(session, world.c.skills[1:4], consent={"employers": True},
                          region="zwolle")
    world.candidate(session, world.c.skills[1:8], consent={"providers": True})
    url = f"{API}/vacancies/{world.vacancy.id}/matches/candidates"
    staff = auth_headers(session, world.employer_staff)
    body = get(client, url, staff)
    assert [i["candidate"]["id"] for i in body["items"]] == [str(near.id), str(far.id)]
    assert body["items"][0]["score"] > body["items"][1]["score"]
    narrowed = get(client, f"{url}?max_travel_km=20", staff)
    assert [i["candidate"]["id"] for i in narrowed["items"]] == [str(near.id)]
    assert client.get(url, headers=auth_headers(session, world.provider_staff)).status_code \
        == 403
    assert client.get(f"{url}?limit=500", headers=staff).status_code == 422


def test_employers_with_their_best_vacancies_and_through_occupations(
        client: FlaskClient, session: Session, world: World) -> None:
    hiring = create_account(session, role="employer")
    put = client.put(f"{API}/employers/{hiring.organisation_id}", headers={
        **auth_headers(session, hiring), "If-Match": '"0"'}, json={
        "sectors": ["elektrotechniek"], "occupations": [{"uri": world.c.electrician}]})
    assert put.status_code == 200, put.get_json()
    person = world.candidate(session, world.c.skills[1:6])
    body = get(client, f"{API}/candidates/{person.id}/matches/employers?lang=en",
               auth_headers(session, world.adviser))
    by_id = {i["employer"]["id"]: i for i in body["items"]}
    with_vacancy = by_id[str(world.employer.id)]
    assert [v["vacancy"]["id"] for v in with_vacancy["vacancies"]] == [str(world.vacancy.id)]
    assert with_vacancy["vacancies"][0]["score"] > 0
    through_occupation = by_id[str(hiring.organisation_id)]
    assert through_occupation["vacancies"] == []
    assert [o["uri"] for o in through_occupation["hires_for"]] == [world.c.electrician]
    assert through_occupation["hires_for"][0]["label"] == "electrician"
    sector = get(client, f"{API}/candidates/{person.id}/matches/employers?sector=elektrotechniek",
                 auth_headers(session, world.adviser))
    assert [i["employer"]["id"] for i in sector["items"]] == [str(hiring.organisation_id)]


def test_occupations_within_reach_with_the_gap(client: FlaskClient, session: Session,
                                               world: World) -> None:
    person = world.candidate(session, world.c.skills[1:4], experience=[
        {"occupation": world.c.plumber, "years": 5}])
    # Five years as a plumber weigh more than three electrician skills: the plumbing trades
    # come first, the electrician is within reach among the first 20 of 937 occupations.
    body = get(client, f"{API}/candidates/{person.id}/matches/occupations?limit=20",
               auth_headers(session, world.adviser))
    uris = [i["occupation"]["uri"] for i in body["items"]]
    assert world.c.electrician in uris and world.c.plumber not in uris  # held: left out
    item = body["items"][uris.index(world.c.electrician)]
    assert item["occupation"]["label"]
    essentials = [m["essential"] for m in item["missing_skills"]]
    assert essentials == sorted(essentials, reverse=True)  # the essential gap first
    assert {m["uri"] for m in item["matched_skills"]} >= set(world.c.skills[1:4])


def test_readyz_reports_the_index(client: FlaskClient, session: Session, world: World) -> None:
    body = client.get("/readyz").get_json()
    assert body["matching"]["ready"] is True
    assert body["matching"]["items"] >= 937 + 3  # technical occupations, 2 routes, 1 vacancy
    assert body["matching"]["age_seconds"] >= 0


def test_requests_during_a_rebuild_use_the_previous_index(
        app: Flask, client: FlaskClient, session: Session, world: World,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from goudenpoort.services import match_index

    registry = fresh_registry(app)
    person = world.candidate(session, world.c.skills[1:4])
    headers = auth_headers(session, world.adviser)
    url = f"{API}/candidates/{person.id}/matches/routes"
    before = get(client, url, headers)
    previous = registry.state
    reached, release = threading.Event(), threading.Event()
    real = match_index.assemble

    def slow(*args: Any, **kwargs: Any) -> Any:
        reached.set()  # the database has been read; now assembling takes a while
        assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(match_index, "assemble", slow)
    builder = threading.Thread(target=registry.rebuild, args=(session,))
    builder.start()
    try:
        assert reached.wait(30)
        assert registry.rebuilding
        during = client.get(url, headers=headers)
        assert during.status_code == 200 and during.get_json() == before
        assert registry.state is previous
    finally:
        release.set()
        builder.join(30)
    assert registry.state is not previous and not registry.rebuilding
    assert get(client, url, headers) == before  # same data, same ranking


def test_a_page_costs_the_same_queries_whatever_its_length(
        client: FlaskClient, connection: Connection, session: Session, world: World) -> None:
    from sqlalchemy import event

    from tests.catalogue_factories import create_route

    for n in range(8):
        create_route(session, world.provider, world.c, external_id=f"R-{n}", title=f"Route {n}",
                     modules=[], skills=[{"uri": u, "level": 2} for u in world.c.skills[n:n + 4]])
    person = world.candidate(session, world.c.skills[1:5])
    headers = auth_headers(session, world.adviser)
    url = f"{API}/candidates/{person.id}/matches/routes"
    get(client, url, headers)  # builds the index
    counts = []
    for limit in (2, 9):
        statements: list[str] = []

        def count(*args: Any, _into: list[str] = statements) -> None:
            _into.append(args[2])

        event.listen(connection, "before_cursor_execute", count)
        try:
            assert len(get(client, f"{url}?limit={limit}", headers)["items"]) == limit
        finally:
            event.remove(connection, "before_cursor_execute", count)
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_every_match_answer_is_exactly_its_documented_schema(
        client: FlaskClient, session: Session, world: World) -> None:
    # Match answers are sent as the use cases build them (not dumped again): each must be
    # what its schema would dump (no extra key, every value of the documented type) and load.
    from goudenpoort.http import matches

    hiring = create_account(session, role="employer")
    client.put(f"{API}/employers/{hiring.organisation_id}", headers={
        **auth_headers(session, hiring), "If-Match": '"0"'}, json={
        "sectors": ["elektrotechniek"], "occupations": [{"uri": world.c.electrician}]})
    person = world.candidate(session, world.c.skills[1:6], consent={
        "providers": True, "employers": True}, experience=[
        {"occupation": world.c.plumber, "years": 5}])
    adviser = auth_headers(session, world.adviser)
    answers = [
        (matches.RouteMatchesSchema, f"{API}/candidates/{person.id}/matches/routes", adviser),
        (matches.EmployerMatchesSchema, f"{API}/candidates/{person.id}/matches/employers",
         adviser),
        (matches.OccupationMatchesSchema, f"{API}/candidates/{person.id}/matches/occupations",
         adviser),
        (matches.RouteCandidatesSchema, f"{API}/routes/{world.electric_route.id}/matches/"
         "candidates", auth_headers(session, world.provider_staff)),
        (matches.VacancyCandidatesSchema, f"{API}/vacancies/{world.vacancy.id}/matches/"
         "candidates", auth_headers(session, world.employer_staff)),
    ]
    for schema, url, headers in answers:
        for lang in ("nl", "en"):
            body = get(client, f"{url}?lang={lang}", headers)
            assert body["items"], url
            assert schema().dump(body) == body, url
            schema().load(body)  # required keys present, nothing null that may not be
    thin = world.candidate(session, [])
    body = get(client, f"{API}/candidates/{thin.id}/matches/routes", adviser)
    assert body["not_enough_data"] and matches.RouteMatchesSchema().dump(body) == body


def test_an_employer_lists_its_best_fitting_open_vacancies(
        app: Flask, client: FlaskClient, session: Session, world: World) -> None:
    from goudenpoort.services import match_profiles as profiles
    from tests.catalogue_factories import create_vacancy

    c = world.c
    more = [create_vacancy(session, world.employer, c, external_id=f"V-{n}", title=f"V{n}",
                           skills=[{"uri": u, "level": 3, "essential": True} for u in uris],
                           hours_per_week=hours)
            for n, uris, hours in [(2, c.skills[1:7], 38), (3, c.skills[2:5], 38),
                                   (4, c.skills[1:3], 38), (5, c.skills[1:6], 40)]]
    person = world.candidate(session, c.skills[1:6])
    adviser = auth_headers(session, world.adviser)
    url = f"{API}/candidates/{person.id}/matches/employers"
    get(client, url, adviser)  # the registry applies the new vacancies
    registry = app.extensions[EXTENSION]
    profile = profiles.candidate_profiles(
        session, profiles.load_candidates(session, [str(person.id)]))[0]
    with registry.use(session) as state:
        scores = state.items.scores(state.items.query_for(profile),
                                    [str(v.id) for v in [world.vacancy, *more]])
    hours = {str(v.id): v.hours_per_week for v in [world.vacancy, *more]}
    for query, fits in (("", lambda _v: True), ("?hours=38", lambda v: hours[v] <= 38)):
        body = get(client, url + query, adviser)
        listed = next(i for i in body["items"] if i["employer"]["id"] == str(world.employer.id))
        expected = sorted((-s, v) for v, s in scores.items() if s > 0 and fits(v))[:3]
        assert [(v["vacancy"]["id"], v["score"]) for v in listed["vacancies"]] == \
            [(v, -neg) for neg, v in expected]
        assert all(v["matched_skills"] for v in listed["vacancies"])
    assert str(more[3].id) in [v for _, v in sorted((-s, v) for v, s in scores.items())[:3]]

"""Training routes over HTTP: CRUD, labels, pagination, filters, ownership and If-Match."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from models import TrainingRoute
from tests.catalogue_factories import Concepts, concepts, create_route, route_payload
from tests.factories import auth_headers, create_account, create_organisation


@pytest.fixture
def c(session: Session) -> Concepts:
    """Real ESCO concepts."""
    return concepts(session)


@pytest.fixture
def provider(session: Session) -> Any:
    """A provider account of a training centre."""
    return create_account(session, role="provider")


def test_create_and_read_a_route_with_labels_and_etag(
    client: FlaskClient, session: Session, c: Concepts, provider: Any
) -> None:
    headers = auth_headers(session, provider)
    created = client.post("/api/v1/routes", json=route_payload(c), headers=headers)
    assert created.status_code == 201, created.json
    body = created.json
    assert created.headers["ETag"] == '"1"'
    assert body["provider"]["id"] == str(provider.organisation_id)
    assert body["start_dates"] == ["2027-02-01", "2027-09-01"]  # sorted
    assert body["skills"][0]["uri"] == c.skills[1]
    assert body["skills"][0]["level"] == 3
    assert body["prerequisites"]["skills"][0]["uri"] == c.skills[0]
    assert body["modules"][0]["skills"][0]["uri"] == c.skills[1]
    assert body["occupations"][0]["uri"] == c.electrician

    en = client.get(f"/api/v1/routes/{body['id']}?lang=en", headers=headers)
    assert en.status_code == 200
    assert en.headers["ETag"] == '"1"'
    assert en.json["skills"][0]["label"] == c.labels_en[c.skills[1]]
    assert en.json["skills"][0]["label_lang"] == "en"
    nl = client.get(f"/api/v1/routes/{body['id']}", headers=headers).json
    expected_nl = c.labels_nl[c.skills[1]]
    assert nl["skills"][0]["label"] == (expected_nl or c.labels_en[c.skills[1]])
    assert nl["skills"][0]["label_lang"] == ("nl" if expected_nl else "en")


def test_skills_can_be_given_by_exact_label(
    client: FlaskClient, session: Session, c: Concepts, provider: Any
) -> None:
    payload = route_payload(c, skills=[{"label": c.labels_en[c.skills[1]].upper(), "level": 2}],
                            modules=[])
    response = client.post("/api/v1/routes", json=payload, headers=auth_headers(session, provider))
    assert response.status_code == 201, response.json
    assert response.json["skills"][0]["uri"] == c.skills[1]


def test_invalid_route_is_422_with_field_paths_and_writes_nothing(
    client: FlaskClient, session: Session, c: Concepts, provider: Any
) -> None:
    payload = route_payload(
        c,
        skills=[{"uri": "http://data.europa.eu/esco/skill/no-such-skill", "level": 2}],
        modules=[{"title": "X", "skills": [{"uri": c.skills[3]}]}],
        region="atlantis",
    )
    response = client.post("/api/v1/routes", json=payload, headers=auth_headers(session, provider))
    assert response.status_code == 422
    details = response.json["error"]["details"]
    assert "skills[0]" in details
    assert "modules[0].skills[0]" in details
    assert "region" in details
    assert session.query(TrainingRoute).count() == 0


def test_shape_errors_come_from_the_edge(
    client: FlaskClient, session: Session, c: Concepts, provider: Any
) -> None:
    payload = route_payload(c, level="mbo-9", skills=[{"uri": c.skills[1], "level": 7}])
    payload["colour"] = "blue"
    response = client.post("/api/v1/routes", json=payload, headers=auth_headers(session, provider))
    assert response.status_code == 422
    details = response.json["error"]["details"]
    assert {"level", "skills[0].level", "colour"} <= set(details)


def test_catalogue_needs_a_token(client: FlaskClient) -> None:
    assert client.get("/api/v1/routes").status_code == 401
    assert client.get("/api/v1/vacancies").status_code == 401
    assert client.get("/api/v1/employers").status_code == 401


@pytest.mark.parametrize("role", ["adviser", "candidate", "employer"])
def test_other_roles_read_but_cannot_create(
    client: FlaskClient, session: Session, c: Concepts, provider: Any, role: str
) -> None:
    route = create_route(session, provider.organisation, c)
    headers = auth_headers(session, create_account(session, role=role))
    assert client.get(f"/api/v1/routes/{route.id}", headers=headers).status_code == 200
    assert client.get("/api/v1/routes", headers=headers).json["items"][0]["id"] == str(route.id)
    assert client.post("/api/v1/routes", json=route_payload(c), headers=headers).status_code == 403
    patch = client.patch(f"/api/v1/routes/{route.id}", json={"seats": 3},
                         headers={**headers, "If-Match": '"1"'})
    assert patch.status_code == 403


def test_ownership_matrix_for_changes(
    client: FlaskClient, session: Session, c: Concepts, provider: Any
) -> None:
    route = create_route(session, provider.organisation, c)
    colleague = create_account(session, role="provider", organisation=provider.organisation)
    other_provider = create_account(session, role="provider")
    admin = create_account(session, role="admin")
    url = f"/api/v1/routes/{route.id}"

    denied = client.patch(url, json={"seats": 5},
                          headers={**auth_headers(session, other_provider), "If-Match": '"1"'})
    assert denied.status_code == 403
    ok = client.patch(url, json={"seats": 5},
                      headers={**auth_headers(session, colleague), "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.json["seats"] == 5 and ok.headers["ETag"] == '"2"'
    by_admin = client.patch(url, json={"seats": 6},
                            headers={**auth_headers(session, admin), "If-Match": '"2"'})
    assert by_admin.status_code == 200 and by_admin.json["version"] == 3


def test_provider_cannot_create_for_another_centre_and_admin_must_name_one(
    client: FlaskClient, session: Session, c: Concepts, provider: Any
) -> None:
    other = create_organisation(session, kind="training_centre")
    response = client.post("/api/v1/routes",
                           json={**route_payload(c), "provider_id": str(other.id)},
                           headers=auth_headers(session, provider))
    assert response.status_code == 403
    admin_headers = auth_headers(session, create_account(session, role="admin"))
    missing = client.post("/api/v1/routes", json=route_payload(c), headers=admin_headers)
    assert missing.status_code == 422
    employer = create_organisation(session, kind="employer")
    wrong_kind = client.post("/api/v1/routes",
                             json={**route_payload(c), "provider_id": str(employer.id)},
                             headers=admin_headers)
    assert wrong_kind.status_code == 422
    ok = client.post("/api/v1/routes", json={**route_payload(c), "provider_id": str(other.id)},
                     headers=admin_headers)
    assert ok.status_code == 201 and ok.json["provider"]["id"] == str(other.id)


def test_if_match_missing_stale_weak_and_star(
    client: FlaskClient, session: Session, c: Concepts, provider: Any
) -> None:
    route = create_route(session, provider.organisation, c)
    headers = auth_headers(session, provider)
    url = f"/api/v1/routes/{route.id}"
    assert client.patch(url, json={"seats": 1}, headers=headers).status_code == 428
    assert client.delete(url, headers=headers).status_code == 428
    stale = client.patch(url, json={"seats": 1}, headers={**headers, "If-Match": '"7"'})
    assert stale.status_code == 412
    assert stale.json["error"]["code"] == "precondition_failed"
    weak = client.patch(url, json={"seats": 1}, headers={**headers, "If-Match": 'W/"1"'})
    assert weak.status_code == 412
    # `*` would match any version and defeat optimistic locking: refused like a missing header.
    star = client.patch(url, json={"seats": 1}, headers={**headers, "If-Match": "*"})
    assert star.status_code == 428
    assert star.json["error"]["code"] == "precondition_required"
    assert client.delete(url, headers={**headers, "If-Match": "*"}).status_code == 428
    assert client.get(url, headers=headers).json["version"] == 1
    # A list of tags passes when one of them is the current version.
    first = client.patch(url, json={"seats": 1}, headers={**headers, "If-Match": '"7", "1"'})
    assert first.status_code == 200 and first.json["version"] == 2
    # The first writer's ETag is now stale: a second editor cannot silently overwrite.
    second = client.patch(url, json={"seats": 2}, headers={**headers, "If-Match": '"1"'})
    assert second.status_code == 412
    assert client.get(url, headers=headers).json["seats"] == 1


def test_patch_replaces_fields_and_merges_prerequisites(
    client: FlaskClient, session: Session, c: Concepts, provider: Any
) -> None:
    route = create_route(session, provider.organisation, c)
    headers = {**auth_headers(session, provider), "If-Match": '"1"'}
    response = client.patch(f"/api/v1/routes/{route.id}",
                            json={"prerequisites": {"min_dutch_cefr": "B1"}, "modules": []},
                            headers=headers)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["prerequisites"]["min_dutch_cefr"] == "B1"
    assert body["prerequisites"]["min_education"] == "vmbo"
    assert body["prerequisites"]["skills"][0]["uri"] == c.skills[0]
    assert body["modules"] == []
    assert len(body["skills"]) == 2


def test_patch_without_change_keeps_the_version(
    client: FlaskClient, session: Session, c: Concepts, provider: Any
) -> None:
    route = create_route(session, provider.organisation, c)
    response = client.patch(f"/api/v1/routes/{route.id}", json={"seats": route.seats},
                            headers={**auth_headers(session, provider), "If-Match": '"1"'})
    assert response.status_code == 200 and response.json["version"] == 1


def test_delete_is_soft_and_frees_the_external_id(
    client: FlaskClient, session: Session, c: Concepts, provider: Any
) -> None:
    route = create_route(session, provider.organisation, c)
    headers = auth_headers(session, provider)
    url = f"/api/v1/routes/{route.id}"
    assert client.delete(url, headers={**headers, "If-Match": '"1"'}).status_code == 204
    assert client.get(url, headers=headers).status_code == 404
    assert client.get("/api/v1/routes", headers=headers).json["items"] == []
    # The row stays for match history that names it.
    session.expire_all()
    kept = session.get(TrainingRoute, route.id)
    assert kept is not None and kept.deleted_at is not None and kept.title == route.title
    again = client.post("/api/v1/routes", json=route_payload(c), headers=headers)
    assert again.status_code == 201 and again.json["id"] != str(route.id)


def test_duplicate_external_id_on_post_is_409(
    client: FlaskClient, session: Session, c: Concepts, provider: Any
) -> None:
    create_route(session, provider.organisation, c)
    response = client.post("/api/v1/routes", json=route_payload(c),
                           headers=auth_headers(session, provider))
    assert response.status_code == 409


def test_list_paginates_with_a_cursor_and_filters(
    client: FlaskClient, session: Session, c: Concepts, provider: Any
) -> None:
    for n in range(5):
        create_route(session, provider.organisation, c, external_id=f"R-{n}",
                     title=f"Route {n}", region="zwolle" if n % 2 else "twente",
                     mode="bol" if n == 4 else "bbl")
    other = create_organisation(session, kind="training_centre")
    create_route(session, other, c, external_id="X", title="Lassen", region="achterhoek",
                 occupations=[{"uri": c.plumber}], modules=[],
                 skills=[{"uri": c.skills[3], "level": 2}])
    headers = auth_headers(session, provider)
    seen: list[str] = []
    cursor = None
    while True:
        query = "/api/v1/routes?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(query, headers=headers).json
        seen += [item["title"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["Lassen", "Route 0", "Route 1", "Route 2", "Route 3", "Route 4"]

    def titles(query: str) -> list[str]:
        response = client.get(f"/api/v1/routes?{query}", headers=headers)
        assert response.status_code == 200, response.json
        return [item["title"] for item in response.json["items"]]

    assert titles("region=zwolle") == ["Route 1", "Route 3"]
    assert titles(f"provider={other.id}") == ["Lassen"]
    assert titles(f"occupation={c.plumber}") == ["Lassen"]
    assert titles("mode=bol") == ["Route 4"]
    assert titles("q=LASS") == ["Lassen"]
    assert titles(f"skill={c.skills[3].rsplit('/', 1)[1]}") == ["Lassen"]
    assert len(titles(f"skill={c.skills[2]}")) == 5
    assert client.get("/api/v1/routes?cursor=garbage", headers=headers).status_code == 422
    assert client.get("/api/v1/routes?colour=red", headers=headers).status_code == 422

"""Vacancies over HTTP: CRUD, filters, ownership and If-Match."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from models import Vacancy
from tests.catalogue_factories import Concepts, concepts, create_vacancy, vacancy_payload
from tests.factories import auth_headers, create_account, create_organisation


@pytest.fixture
def c(session: Session) -> Concepts:
    """Real ESCO concepts."""
    return concepts(session)


@pytest.fixture
def employer(session: Session) -> Any:
    """An employer account."""
    return create_account(session, role="employer")


def test_create_read_and_labels(client: FlaskClient, session: Session, c: Concepts,
                                employer: Any) -> None:
    headers = auth_headers(session, employer)
    created = client.post("/api/v1/vacancies", json=vacancy_payload(c), headers=headers)
    assert created.status_code == 201, created.json
    body = created.json
    assert created.headers["ETag"] == '"1"'
    assert body["employer"]["id"] == str(employer.organisation_id)
    assert body["occupation"]["uri"] == c.electrician
    assert [s["essential"] for s in body["skills"]] == [True, False]
    assert body["guarantee"] is True and body["status"] == "open"
    assert body["start_date"] == "2027-03-01"
    en = client.get(f"/api/v1/vacancies/{body['id']}?lang=en", headers=headers).json
    assert en["occupation"]["label"] == "electrician"


def test_occupation_by_dutch_label(client: FlaskClient, session: Session, c: Concepts,
                                   employer: Any) -> None:
    payload = vacancy_payload(c, occupation={"label": "loodgieter"})
    response = client.post("/api/v1/vacancies", json=payload,
                           headers=auth_headers(session, employer))
    assert response.status_code == 201, response.json
    assert response.json["occupation"]["uri"] == c.plumber


def test_invalid_vacancy_reports_every_field(client: FlaskClient, session: Session,
                                             c: Concepts, employer: Any) -> None:
    payload = vacancy_payload(c, occupation={"uri": "http://data.europa.eu/esco/occupation/x"},
                              region="mars", lat=52.0, lon=None,
                              skills=[{"uri": c.skills[1], "level": 2},
                                      {"uri": c.skills[1], "level": 3}])
    response = client.post("/api/v1/vacancies", json=payload,
                           headers=auth_headers(session, employer))
    assert response.status_code == 422
    assert {"occupation", "region", "lon", "skills[1]"} <= set(response.json["error"]["details"])
    assert session.query(Vacancy).count() == 0


def test_ownership_and_if_match(client: FlaskClient, session: Session, c: Concepts,
                                employer: Any) -> None:
    vacancy = create_vacancy(session, employer.organisation, c)
    url = f"/api/v1/vacancies/{vacancy.id}"
    other = auth_headers(session, create_account(session, role="employer"))
    provider = auth_headers(session, create_account(session, role="provider"))
    own = auth_headers(session, employer)
    assert client.get(url, headers=provider).status_code == 200
    for headers in (other, provider):
        response = client.patch(url, json={"status": "closed"},
                                headers={**headers, "If-Match": '"1"'})
        assert response.status_code == 403
        assert client.delete(url, headers={**headers, "If-Match": '"1"'}).status_code == 403
    assert client.patch(url, json={"status": "closed"}, headers=own).status_code == 428
    assert client.patch(url, json={"status": "closed"},
                        headers={**own, "If-Match": "*"}).status_code == 428
    closed = client.patch(url, json={"status": "closed"}, headers={**own, "If-Match": '"1"'})
    assert closed.status_code == 200 and closed.json["status"] == "closed"
    assert closed.headers["ETag"] == '"2"'
    assert client.delete(url, headers={**own, "If-Match": '"1"'}).status_code == 412
    assert client.delete(url, headers={**own, "If-Match": '"2"'}).status_code == 204
    assert client.get(url, headers=own).status_code == 404


def test_employer_cannot_post_for_another_employer(client: FlaskClient, session: Session,
                                                   c: Concepts, employer: Any) -> None:
    other = create_organisation(session, kind="employer")
    response = client.post("/api/v1/vacancies",
                           json={**vacancy_payload(c), "employer_id": str(other.id)},
                           headers=auth_headers(session, employer))
    assert response.status_code == 403


def test_filters(client: FlaskClient, session: Session, c: Concepts, employer: Any) -> None:
    create_vacancy(session, employer.organisation, c, external_id="a", title="Alpha")
    create_vacancy(session, employer.organisation, c, external_id="b", title="Beta",
                   status="closed", guarantee=False, region="zwolle")
    other = create_organisation(session, kind="employer")
    create_vacancy(session, other, c, external_id="c", title="Gamma",
                   occupation={"uri": c.plumber}, skills=[])
    headers = auth_headers(session, employer)

    def titles(query: str) -> list[str]:
        response = client.get(f"/api/v1/vacancies?{query}", headers=headers)
        assert response.status_code == 200, response.json
        return [item["title"] for item in response.json["items"]]

    assert titles("") == ["Alpha", "Beta", "Gamma"]
    assert titles("open=true") == ["Alpha", "Gamma"]
    assert titles("open=false") == ["Beta"]
    assert titles("guarantee=true") == ["Alpha", "Gamma"]
    assert titles("region=zwolle") == ["Beta"]
    assert titles(f"employer={other.id}") == ["Gamma"]
    assert titles(f"occupation={c.plumber}") == ["Gamma"]
    assert titles(f"skill={c.skills[1]}") == ["Alpha", "Beta"]
    assert titles("q=amm") == ["Gamma"]
    assert client.get("/api/v1/vacancies?open=true&status=closed",
                      headers=headers).status_code == 422

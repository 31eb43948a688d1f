"""Bulk import over HTTP: JSON and CSV, per-row reports, file errors, upserts, limits."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import TrainingRoute, Vacancy
from tests.catalogue_factories import Concepts, concepts, route_payload, vacancy_payload
from tests.factories import auth_headers, create_account, create_organisation

UNKNOWN = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"


@pytest.fixture
def c(session: Session) -> Concepts:
    """Real ESCO concepts."""
    return concepts(session)


def vacancy_csv(c: Concepts, rows: int, *, bad: dict[int, str] | None = None,
                header: str | None = None) -> bytes:
    """Return a vacancy CSV; `bad` puts a given essential-skills cell in some rows."""
    lines = [header or "external_id,title,occupation,region,essential_skills,optional_skills,"
             "guarantee,start_date"]
    label = c.labels_en[c.skills[2]]
    for n in range(1, rows + 1):
        skills = (bad or {}).get(n, f"{c.skills[1]}@3|{label}@2")
        lines.append(f'V{n},"Monteur {n}, Zwolle",{c.electrician},zwolle,{skills},'
                     f"{c.skills[3]}@1,ja,2027-0{1 + n % 9}-01")
    return ("\n".join(lines) + "\n").encode("utf-8")


def count(session: Session, model: Any) -> int:
    """Return the number of rows of a model."""
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_csv_import_saves_good_rows_and_reports_bad_ones(
    client: FlaskClient, session: Session, c: Concepts
) -> None:
    employer = create_account(session, role="employer")
    headers = {**auth_headers(session, employer), "Content-Type": "text/csv"}
    body = vacancy_csv(c, 8, bad={7: f"{UNKNOWN}@2", 3: f"{c.skills[1]}@9"})
    response = client.post("/api/v1/vacancies/import", data=body, headers=headers)
    assert response.status_code == 200, response.json
    report = response.json
    assert (report["rows"], report["created"], report["failed"]) == (8, 6, 2)
    by_row = {e["row"]: e for e in report["errors"]}
    assert set(by_row) == {3, 7}
    assert by_row[7]["line"] == 8 and by_row[7]["external_id"] == "V7"
    assert "essential_skills[0]" in by_row[7]["details"]
    assert UNKNOWN in by_row[7]["details"]["essential_skills[0]"][0]
    assert "essential_skills[0].level" in by_row[3]["details"]
    assert count(session, Vacancy) == 6
    listed = client.get("/api/v1/vacancies?limit=100", headers=headers).json["items"]
    one = next(v for v in listed if v["external_id"] == "V1")
    assert [s["uri"] for s in one["skills"]] == [c.skills[1], c.skills[2], c.skills[3]]
    assert [s["essential"] for s in one["skills"]] == [True, True, False]
    assert one["title"] == "Monteur 1, Zwolle" and one["guarantee"] is True

    # The same file again changes nothing; a changed row is updated in place.
    again = client.post("/api/v1/vacancies/import", data=body, headers=headers).json
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 6)
    assert count(session, Vacancy) == 6
    changed = body.replace(b"Monteur 2,", b"Monteur twee,")
    third = client.post("/api/v1/vacancies/import", data=changed, headers=headers).json
    assert (third["created"], third["updated"], third["unchanged"]) == (0, 1, 5)
    v2 = client.get("/api/v1/vacancies?q=twee", headers=headers).json["items"][0]
    assert v2["version"] == 2 and v2["external_id"] == "V2"


def test_duplicate_external_ids_are_all_rejected(
    client: FlaskClient, session: Session, c: Concepts
) -> None:
    employer = create_account(session, role="employer")
    body = vacancy_csv(c, 4).replace(b"\nV3,", b"\nV1,")
    response = client.post("/api/v1/vacancies/import", data=body,
                           headers={**auth_headers(session, employer),
                                    "Content-Type": "text/csv"})
    report = response.json
    assert report["created"] == 2 and report["failed"] == 2
    assert {e["row"] for e in report["errors"]} == {1, 3}
    assert "Duplicate" in report["errors"][0]["details"]["external_id"][0]


def test_wrong_header_and_wrong_encoding_write_nothing(
    client: FlaskClient, session: Session, c: Concepts
) -> None:
    employer = create_account(session, role="employer")
    headers = {**auth_headers(session, employer), "Content-Type": "text/csv"}
    wrong = vacancy_csv(c, 2, header="external_id,titel,occupation,region,essential_skills,"
                                     "optional_skills,guarantee,start_date")
    response = client.post("/api/v1/vacancies/import", data=wrong, headers=headers)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "bad_data_file"
    assert error["details"]["header.unknown"] == ["titel"]
    assert error["details"]["header.missing"] == ["title"]
    latin1 = vacancy_csv(c, 3).replace(b"Monteur 2", "Monteur café".encode("latin-1"))
    response = client.post("/api/v1/vacancies/import", data=latin1, headers=headers)
    assert response.status_code == 422
    assert "UTF-8" in response.json["error"]["message"]
    assert "line 3" in response.json["error"]["message"]
    assert count(session, Vacancy) == 0


def test_semicolon_csv_with_bom_and_multipart_upload(
    client: FlaskClient, session: Session, c: Concepts
) -> None:
    provider = create_account(session, role="provider")
    modules = json.dumps([{"title": "Basis", "hours": 40, "skills": [c.skills[1]]}])
    csv_text = (
        "\ufeffexternal_id;title;level;mode;region;skills;required_skills;min_dutch_cefr;"
        "modules;occupations;start_dates;lat;lon\n"
        f"R1;Elektro;mbo-2;bbl;zwolle;{c.skills[1]}@3|{c.skills[2]}@2;{c.skills[0]}@1;A2;"
        f"\"{modules.replace(chr(34), chr(34) * 2)}\";{c.electrician};2027-09-01|2027-02-01;"
        "52,51;6,09\n"
        "R2;Online;short-course;e-learning;;" f"{c.skills[1]}@2;;;;;;;\n"
    )
    data = {"file": (io.BytesIO(csv_text.encode("utf-8")), "routes.csv")}
    response = client.post("/api/v1/routes/import", data=data,
                           headers=auth_headers(session, provider),
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.json
    assert response.json["created"] == 2, response.json
    route = client.get("/api/v1/routes?q=elektro",
                       headers=auth_headers(session, provider)).json["items"][0]
    assert route["lat"] == 52.51 and route["start_dates"] == ["2027-02-01", "2027-09-01"]
    assert route["prerequisites"]["skills"][0]["uri"] == c.skills[0]
    assert route["prerequisites"]["min_dutch_cefr"] == "A2"
    assert route["modules"][0]["skills"][0]["uri"] == c.skills[1]


def test_json_import_reports_rows_and_needs_external_ids(
    client: FlaskClient, session: Session, c: Concepts
) -> None:
    provider = create_account(session, role="provider")
    rows = [route_payload(c, external_id=f"R{n}") for n in range(3)]
    rows[1]["prerequisites"] = {"min_dutch_cefr": "Z9"}
    rows.append({k: v for k, v in route_payload(c).items() if k != "external_id"})
    rows.append("not an object")
    response = client.post("/api/v1/routes/import", json=rows,
                           headers=auth_headers(session, provider))
    assert response.status_code == 200
    report = response.json
    assert report["created"] == 2 and report["failed"] == 3
    details = {e["row"]: e["details"] for e in report["errors"]}
    assert "prerequisites.min_dutch_cefr" in details[2]
    assert "external_id" in details[4]
    assert "_schema" in details[5]
    assert client.post("/api/v1/routes/import", json={"a": 1},
                       headers=auth_headers(session, provider)).status_code == 422


def test_import_ownership(client: FlaskClient, session: Session, c: Concepts) -> None:
    rows = [route_payload(c)]
    adviser = auth_headers(session, create_account(session, role="adviser"))
    employer = auth_headers(session, create_account(session, role="employer"))
    assert client.post("/api/v1/routes/import", json=rows, headers=adviser).status_code == 403
    assert client.post("/api/v1/routes/import", json=rows, headers=employer).status_code == 403
    admin = auth_headers(session, create_account(session, role="admin"))
    assert client.post("/api/v1/routes/import", json=rows, headers=admin).status_code == 422
    centre = create_organisation(session, kind="training_centre")
    response = client.post(f"/api/v1/routes/import?organisation={centre.id}", json=rows,
                           headers=admin)
    assert response.status_code == 200 and response.json["created"] == 1
    provider = auth_headers(session, create_account(session, role="provider"))
    assert client.post(f"/api/v1/routes/import?organisation={centre.id}", json=rows,
                       headers=provider).status_code == 403
    assert count(session, TrainingRoute) == 1


def test_oversized_body_is_413_and_json_endpoints_refuse_csv(
    app: Flask, client: FlaskClient, session: Session, c: Concepts
) -> None:
    provider = auth_headers(session, create_account(session, role="provider"))
    limit = app.config["MAX_IMPORT_LENGTH"]
    response = client.post("/api/v1/routes/import", data=b"x" * (limit + 1),
                           headers={**provider, "Content-Type": "text/csv"})
    assert response.status_code == 413
    assert response.json["error"]["code"] == "payload_too_large"
    fifty_mb = client.post("/api/v1/vacancies/import", data=b"a,b\n" * (50 * 1024 * 256),
                           headers={**provider, "Content-Type": "text/csv"})
    assert fifty_mb.status_code == 413
    csv_to_json = client.post("/api/v1/routes", data=b"a,b\n1,2\n",
                              headers={**provider, "Content-Type": "text/csv"})
    assert csv_to_json.status_code == 415


def test_vacancy_json_import(client: FlaskClient, session: Session, c: Concepts) -> None:
    employer = create_account(session, role="employer")
    rows = [vacancy_payload(c, external_id=f"V{n}") for n in range(3)]
    response = client.post("/api/v1/vacancies/import", json=rows,
                           headers=auth_headers(session, employer))
    assert response.json["created"] == 3

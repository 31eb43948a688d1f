"""The API finds skills and occupations by their Dutch words and says whose label it shows."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from goudenpoort.taxonomy.dutch_labels import (
    apply_layer,
    read_project_file,
    read_project_occupations,
)
from models import Skill

OCC = "http://data.europa.eu/esco/occupation/"
WELD = "http://data.europa.eu/esco/skill/2fcd95a4-1f9a-41cf-95a9-4701bde476b4"
WELDER = f"{OCC}7aedaa07-3884-4c5b-88f9-80997b2aa54b"


@pytest.fixture
def labels(app: Flask, session: Session) -> None:
    """Load the project's Dutch labels (skills and job titles) into this test's transaction."""
    apply_layer(session, project=read_project_file(app.config["PROJECT_LABELS_FILE"]),
                occupations=read_project_occupations(
                    app.config["PROJECT_OCCUPATION_LABELS_FILE"]))
    session.flush()


def english_label(session: Session, uri: str) -> str:
    return session.scalar(select(Skill.label_en).where(Skill.uri == uri)) or ""


def test_lassen_finds_a_welding_skill(client: FlaskClient, session: Session, labels: None
                                      ) -> None:
    """Once the labels are loaded, `lassen` finds welding skills, marked as ours."""
    response = client.get("/api/v1/skills", query_string={"q": "lassen", "lang": "nl",
                                                          "limit": 5})
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert items, "lassen found nothing"
    welding = [item for item in items if "weld" in english_label(session, item["uri"])]
    assert len(welding) >= 3
    assert all((item["label_lang"], item["label_origin"]) == ("nl", "project")
               for item in welding)
    assert WELD in [item["uri"] for item in items]


def test_skill_detail_shows_the_origin(client: FlaskClient, labels: None) -> None:
    """A project label is marked project in the detail and its labels; English stays esco."""
    ref = WELD.rsplit("/", 1)[1]
    body = client.get(f"/api/v1/skills/{ref}", query_string={"lang": "nl"}).get_json()
    assert (body["label_lang"], body["label_origin"]) == ("nl", "project")
    dutch = [label for label in body["labels"] if label["lang"] == "nl"]
    assert dutch and {label["origin"] for label in dutch} == {"project"}
    assert {label["origin"] for label in body["labels"] if label["lang"] == "en"} == {"esco"}
    english = client.get(f"/api/v1/skills/{ref}", query_string={"lang": "en"}).get_json()
    assert (english["label_lang"], english["label_origin"]) == ("en", "esco")


def test_official_dutch_label_is_marked_esco(client: FlaskClient, session: Session,
                                             labels: None) -> None:
    """A skill whose Dutch label comes from ESCO says esco."""
    uri = session.scalar(select(Skill.uri).where(Skill.kind == "skill",
                                                 Skill.label_nl_origin == "esco").limit(1))
    body = client.get(f"/api/v1/skills/{uri.rsplit('/', 1)[1]}",
                      query_string={"lang": "nl"}).get_json()
    assert (body["label_lang"], body["label_origin"]) == ("nl", "esco")


def test_occupation_skills_carry_their_origin(client: FlaskClient, labels: None) -> None:
    """The welder's essential skills are shown in Dutch where we have it, each with its origin."""
    body = client.get(f"/api/v1/occupations/{WELDER.rsplit('/', 1)[1]}",
                      query_string={"lang": "nl"}).get_json()
    assert body["label_origin"] == "esco"
    skills = body["essential_skills"]
    assert all(s["label_origin"] in {"esco", "project"} for s in skills)
    assert all(s["label_origin"] == "esco" for s in skills if s["label_lang"] == "en")
    dutch = [s for s in skills if s["label_lang"] == "nl"]
    assert len(dutch) / len(skills) >= 0.8
    assert any(s["label_origin"] == "project" for s in dutch)


@pytest.mark.parametrize(("title", "english"), [
    ("heftruckchauffeur", "eeac6251-1974-42f5-91ed-513c6c883755"),  # forklift operator
    ("kok", "90f75f67-495d-49fa-ab57-2f320e251d7e"),  # cook
    ("verkoper", "9ba74e8a-c40c-4228-9998-eb3c7a5c11df"),  # sales assistant (project title)
    ("schoonmaker", "303a1e34-cb16-4054-b323-81e5eec17397"),  # building cleaner
    ("kassamedewerker", "2b871272-bd61-4206-bd1a-0b96d7023098"),  # cashier
    ("magazijnmedewerker", "bea705fe-06ac-4147-b8e0-6e8ac1208d8f"),  # warehouse worker
])
def test_dutch_job_title_finds_the_occupation(client: FlaskClient, labels: None, title: str,
                                              english: str) -> None:
    """An everyday Dutch job title finds its ESCO occupation among the first three hits."""
    response = client.get("/api/v1/occupations", query_string={"q": title, "lang": "nl",
                                                               "limit": 3})
    items = response.get_json()["items"]
    assert f"{OCC}{english}" in [item["uri"] for item in items]
    assert items[0]["label_lang"] == "nl"
    assert items[0]["label_origin"] == "esco"  # occupation display labels are all official

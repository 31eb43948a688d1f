"""The ESCO skill and occupation endpoints: search, look-up, and their bad input."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Occupation, OccupationSkill, Skill, SkillBroader

ESCO = "http://data.europa.eu/esco/"


def skill_with_dutch_label(session: Session) -> Skill:
    """Return a skill (not a group) that has a Dutch preferred label."""
    return session.scalars(
        select(Skill).where(Skill.kind == "skill", Skill.label_nl_origin == "esco")
        .join(SkillBroader, SkillBroader.uri == Skill.uri).order_by(Skill.uri)
    ).first()


def skill_without_dutch_label(session: Session) -> Skill:
    """Return a skill without any Dutch label."""
    return session.scalars(
        select(Skill).where(Skill.kind == "skill", Skill.label_nl.is_(None)).order_by(Skill.uri)
    ).first()


def assert_error(response: Any, status: int, field: str | None = None) -> None:
    """Check the error envelope (and the failing field, when given)."""
    assert response.status_code == status
    body = response.get_json()
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"])
    if field is not None:
        assert field in body["error"]["details"]


def test_search_hits_have_the_contract_shape(client: FlaskClient, session: Session) -> None:
    skill = skill_without_dutch_label(session)
    response = client.get("/api/v1/skills", query_string={"q": skill.label_en, "lang": "en"})
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert items[0]["uri"] == skill.uri
    assert {"uri", "label", "label_lang", "score"} <= set(items[0])
    assert items[0]["label"] == skill.label_en
    assert items[0]["label_lang"] == "en"
    assert 0 < items[0]["score"] <= 1
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
    assert len(items) == len({i["uri"] for i in items}) <= 10


def test_search_is_tolerant_of_a_typo_and_word_order(client: FlaskClient,
                                                     session: Session) -> None:
    skill = session.scalars(select(Skill).where(Skill.label_en == "operate forklift")).one()
    for q in ("operate forkilft", "forklift operate"):
        items = client.get("/api/v1/skills", query_string={"q": q}).get_json()["items"]
        assert items[0]["uri"] == skill.uri


def test_search_label_is_dutch_with_english_fallback(client: FlaskClient,
                                                     session: Session) -> None:
    dutch = skill_with_dutch_label(session)
    english = skill_without_dutch_label(session)
    hit = client.get("/api/v1/skills", query_string={"q": dutch.label_en, "lang": "nl"}
                     ).get_json()["items"][0]
    assert (hit["uri"], hit["label"], hit["label_lang"]) == (dutch.uri, dutch.label_nl, "nl")
    hit = client.get("/api/v1/skills", query_string={"q": english.label_en}).get_json()["items"][0]
    assert (hit["uri"], hit["label"], hit["label_lang"]) == (english.uri, english.label_en, "en")


def test_search_limit(client: FlaskClient) -> None:
    items = client.get("/api/v1/skills", query_string={"q": "welding", "limit": 3}
                       ).get_json()["items"]
    assert len(items) == 3


def test_occupation_search_finds_dutch_and_english_titles(client: FlaskClient,
                                                          session: Session) -> None:
    occupation = session.scalars(
        select(Occupation).where(Occupation.label_nl.is_not(None)).order_by(Occupation.uri)
    ).first()
    for q in (occupation.label_nl, occupation.label_en):
        items = client.get("/api/v1/occupations", query_string={"q": q}).get_json()["items"]
        assert occupation.uri in [item["uri"] for item in items[:3]]
    assert items[0]["label"] and items[0]["label_lang"] in {"nl", "en"}


def test_skill_detail_by_id_and_by_uri(client: FlaskClient, session: Session) -> None:
    skill = skill_with_dutch_label(session)
    broader = session.scalars(select(SkillBroader.broader_uri)
                              .where(SkillBroader.uri == skill.uri)).all()
    by_id = client.get(f"/api/v1/skills/{skill.uri.rsplit('/', 1)[1]}")
    by_uri = client.get(f"/api/v1/skills/{skill.uri}", query_string={"lang": "en"})
    assert by_id.status_code == by_uri.status_code == 200
    body = by_id.get_json()
    assert body["uri"] == skill.uri
    assert (body["label"], body["label_lang"]) == (skill.label_nl, "nl")
    assert by_uri.get_json()["label"] == skill.label_en
    assert sorted(ref["uri"] for ref in body["broader"]) == sorted(broader)
    assert broader
    labels = {(lbl["label"], lbl["lang"], lbl["kind"]) for lbl in body["labels"]}
    assert (skill.label_en, "en", "preferred") in labels
    assert (skill.label_nl, "nl", "preferred") in labels
    assert all(lbl["origin"] == "esco" and lbl["kind"] != "hidden" for lbl in body["labels"])


def test_occupation_detail_lists_essential_and_optional_skills(client: FlaskClient,
                                                               session: Session) -> None:
    occupation = session.scalars(select(Occupation).where(Occupation.technical)
                                 .order_by(Occupation.uri)).first()
    links = session.execute(select(OccupationSkill.skill_uri, OccupationSkill.relation_type)
                            .where(OccupationSkill.occupation_uri == occupation.uri)).all()
    response = client.get(f"/api/v1/occupations/{occupation.uri.rsplit('/', 1)[1]}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["uri"] == occupation.uri
    assert body["technical"] is True
    for relation in ("essential", "optional"):
        expected = sorted(uri for uri, kind in links if kind == relation)
        assert sorted(ref["uri"] for ref in body[f"{relation}_skills"]) == expected
    assert body["essential_skills"]
    assert all({"uri", "label", "label_lang"} <= set(ref) for ref in body["essential_skills"])


@pytest.mark.parametrize("path", [
    "/api/v1/skills/00000000-0000-0000-0000-000000000000",
    f"/api/v1/skills/{ESCO}skill/not-a-skill",
    f"/api/v1/occupations/{ESCO}occupation/not-an-occupation",
    "/api/v1/occupations/nope",
])
def test_unknown_concepts_are_404_envelopes(client: FlaskClient, path: str) -> None:
    assert_error(client.get(path), 404)


@pytest.mark.parametrize("params,field", [
    ({}, "q"),
    ({"q": ""}, "q"),
    ({"q": "   "}, "q"),
    ({"q": "x" * 201}, "q"),
    ({"q": "lassen", "lang": "de"}, "lang"),
    ({"q": "lassen", "limit": 0}, "limit"),
    ({"q": "lassen", "limit": 51}, "limit"),
    ({"q": "lassen", "limit": "ten"}, "limit"),
    ({"q": "lassen", "sort": "score"}, "sort"),
])
@pytest.mark.parametrize("path", ["/api/v1/skills", "/api/v1/occupations"])
def test_bad_search_input_is_422(client: FlaskClient, path: str, params: dict[str, Any],
                                 field: str) -> None:
    assert_error(client.get(path, query_string=params), 422, field)


def test_detail_rejects_unknown_lang_and_params(client: FlaskClient, session: Session) -> None:
    skill = skill_with_dutch_label(session)
    assert_error(client.get(f"/api/v1/skills/{skill.uri}", query_string={"lang": "fr"}),
                 422, "lang")
    assert_error(client.get(f"/api/v1/skills/{skill.uri}", query_string={"x": "1"}), 422, "x")


def test_dutch_query_matches_dutch_labels_and_says_so(client: FlaskClient,
                                                      session: Session) -> None:
    skill = skill_with_dutch_label(session)
    body = client.get("/api/v1/skills", query_string={"q": skill.label_nl, "lang": "nl"}
                      ).get_json()
    assert body["items"][0]["uri"] == skill.uri
    assert body["items"][0]["matched_lang"] == "nl"
    assert body["lang_fallback"] is False


def test_english_match_under_dutch_is_flagged(client: FlaskClient, session: Session) -> None:
    skill = skill_without_dutch_label(session)
    body = client.get("/api/v1/skills", query_string={"q": skill.label_en, "lang": "nl"}
                      ).get_json()
    assert body["items"][0]["uri"] == skill.uri
    assert body["items"][0]["matched_lang"] == "en"
    assert body["items"][0]["label_lang"] == "en"
    assert body["lang_fallback"] is True
    english = client.get("/api/v1/skills", query_string={"q": skill.label_en, "lang": "en"}
                         ).get_json()
    assert english["lang_fallback"] is False

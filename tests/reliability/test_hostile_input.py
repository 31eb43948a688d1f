"""Regression cases the fuzzers found or aim at, pinned down one by one."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.factories import auth_headers, create_account
from tests.reliability.world import row_counts

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def adviser_headers(session: Session) -> dict[str, str]:
    """Headers of a signed-in adviser (flushed into the test's transaction)."""
    return {**auth_headers(session, create_account(session, role="adviser")), **JSON}


def candidate(**fields: object) -> dict[str, object]:
    """Return a valid new intake profile with some fields replaced."""
    return {"kind": "switcher", "given_name": "Ada", "family_name": "Jansen", **fields}


@pytest.mark.parametrize("value", ["a\x00b", "\x00", "tail \ud800", "\udfff"])
def test_nul_and_lone_surrogates_are_refused_with_422(
    client: FlaskClient, session: Session, adviser_headers: dict[str, str], value: str
) -> None:
    before = row_counts(session.connection())
    body = json.dumps(candidate(given_name=value))  # surrogates travel escaped (\ud800)
    response = client.post("/api/v1/candidates", data=body, headers=adviser_headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["details"] == {
        "given_name": ["Must not contain NUL characters or unpaired surrogates."]}
    assert row_counts(session.connection()) == before


def test_nested_unstorable_text_names_its_path(
    client: FlaskClient, adviser_headers: dict[str, str]
) -> None:
    body = json.dumps(candidate(interests={"sectors": ["ok", "b\x00d"]}))
    response = client.post("/api/v1/candidates", data=body, headers=adviser_headers)
    assert response.status_code == 422
    assert list(response.get_json()["error"]["details"]) == ["interests.sectors[1]"]


def test_odd_but_valid_unicode_is_kept(
    client: FlaskClient, adviser_headers: dict[str, str]
) -> None:
    name = "\u202eالعربية\u200f 👩🏽‍🔧 e\u0301"
    response = client.post("/api/v1/candidates", json=candidate(given_name=name),
                           headers=adviser_headers)
    assert response.status_code == 201
    assert response.get_json()["given_name"] == name


@pytest.mark.parametrize("raw", [
    '{"kind": NaN}', '{"kind": Infinity}', '{"kind": -Infinity}', '{"kind": 1e400}',
    '{"kind": ' + "1" + "0" * 5000 + "}", "[" * 100_000 + "]" * 100_000,
    '{"a":' * 50_000 + "1" + "}" * 50_000, "\ufeff{}", '{"kind": "switcher"',
])
def test_hostile_json_is_a_400_envelope(
    client: FlaskClient, session: Session, adviser_headers: dict[str, str], raw: str
) -> None:
    before = row_counts(session.connection())
    response = client.post("/api/v1/candidates", data=raw.encode(), headers=adviser_headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"
    assert row_counts(session.connection()) == before


def test_large_but_finite_numbers_are_validated_not_crashed(
    client: FlaskClient, adviser_headers: dict[str, str]
) -> None:
    for value in [10**400, 2**63, -(2**63) - 1, 1e308]:
        response = client.post("/api/v1/candidates", data=json.dumps(candidate(
            birth_year=value)), headers=adviser_headers)
        assert response.status_code == 422, value
        assert "birth_year" in response.get_json()["error"]["details"]


def test_unstorable_query_values_are_refused(
    client: FlaskClient, adviser_headers: dict[str, str]
) -> None:
    response = client.get("/api/v1/candidates?region=%00", headers=adviser_headers)
    assert response.status_code == 422
    assert "region" in response.get_json()["error"]["details"]


@pytest.mark.parametrize("path", ["/api/v1/skills/a%00b", "/api/v1/occupations/%00",
                                  "/api/v1/regions/%00", "/api/v1/skills/%ED%A0%80"])
def test_unstorable_path_values_are_not_found(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_sql_looking_text_is_stored_as_text(
    client: FlaskClient, adviser_headers: dict[str, str]
) -> None:
    name = "Robert'); DROP TABLE candidates;--"
    created = client.post("/api/v1/candidates", json=candidate(family_name=name),
                          headers=adviser_headers)
    assert created.status_code == 201
    listed = client.get("/api/v1/candidates", headers=adviser_headers)
    assert [item["family_name"] for item in listed.get_json()["items"]] == [name]


def test_a_foreign_request_id_is_replaced(client: FlaskClient) -> None:
    plain = client.get("/healthz", headers={"X-Request-Id": "abc123"})
    assert plain.headers["X-Request-Id"] == "abc123"
    odd = client.get("/healthz", headers={"X-Request-Id": "ªbc"})
    assert odd.headers["X-Request-Id"] != "ªbc" and odd.headers["X-Request-Id"].isascii()

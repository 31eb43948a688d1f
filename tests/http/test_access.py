"""Every endpoint of accounts, organisations, candidates and audit × every role (API.md roles).

403: the role may never do this. 404: the role may, but this candidate is not theirs (its
existence is private). 401: no token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from goudenpoort.services.tokens import issue_token
from models import Account, AuditEntry, Candidate, Organisation
from tests.factories import (
    auth_headers,
    create_account,
    create_candidate,
    create_candidate_account,
    create_organisation,
)

ROLES = ("admin", "adviser", "adviser_other", "candidate", "candidate_other", "provider",
         "employer", "anonymous")


@dataclass
class World:
    """Two desks, one profile P in desk A with its own account, and one of every role."""

    accounts: dict[str, Account]
    desk: Organisation
    candidate: Candidate
    token_id: str


def build(session: Session) -> World:
    desk = create_organisation(session, kind="desk")
    other_desk = create_organisation(session, kind="desk")
    adviser = create_account(session, role="adviser", organisation=desk)
    candidate = create_candidate(session, adviser=adviser,
                                 experience=[{"occupation": "http://data.europa.eu/esco/"
                                              "occupation/2ff73126-7aff-4233-9d9c-d8725e1c6822",
                                              "years": 4}])
    other = create_candidate(session, adviser=adviser)
    accounts = {
        "admin": create_account(session, role="admin"),
        "adviser": adviser,
        "adviser_other": create_account(session, role="adviser", organisation=other_desk),
        "candidate": create_candidate_account(session, candidate),
        "candidate_other": create_candidate_account(session, other),
        "provider": create_account(session, role="provider"),
        "employer": create_account(session, role="employer"),
    }
    _, token = issue_token(session, account=accounts["provider"])
    return World(accounts, desk, candidate, str(token.id))


# (method, path, body, expected per role in ROLES order)
A403 = (200, 403, 403, 403, 403, 403, 403, 401)
C201 = (201, 403, 403, 403, 403, 403, 403, 401)
PROFILE = (200, 200, 404, 200, 404, 403, 403, 401)
ENDPOINTS: list[tuple[str, str, Any, tuple[int, ...]]] = [
    ("GET", "/me", None, (200, 200, 200, 200, 200, 200, 200, 401)),
    ("GET", "/organisations", None, A403),
    ("POST", "/organisations", {"kind": "employer", "name": "Bouwbedrijf"}, C201),
    ("GET", "/organisations/{desk}", None, A403),
    ("PATCH", "/organisations/{desk}", {"name": "Werkplein"}, A403),
    ("GET", "/accounts", None, A403),
    ("POST", "/accounts", {"email": "new@example.nl", "name": "New", "role": "adviser",
                           "organisation_id": "{desk}"}, C201),
    ("GET", "/accounts/{provider}", None, A403),
    ("PATCH", "/accounts/{provider}", {"name": "Renamed"}, A403),
    ("GET", "/accounts/{provider}/tokens", None, A403),
    ("POST", "/accounts/{provider}/tokens", {"days": 7}, C201),
    ("DELETE", "/accounts/{provider}/tokens/{token}", None,
     (204, 403, 403, 403, 403, 403, 403, 401)),
    ("GET", "/candidates", None, (200, 200, 200, 200, 200, 403, 403, 401)),
    ("POST", "/candidates", {"kind": "starter", "given_name": "A", "family_name": "B",
                             "organisation_id": "{desk}"},
     (201, 201, 422, 403, 403, 403, 403, 401)),
    ("GET", "/candidates/{candidate}", None, PROFILE),
    ("PATCH", "/candidates/{candidate}", {"max_travel_km": 25}, PROFILE),
    ("DELETE", "/candidates/{candidate}", None, (204, 204, 404, 204, 404, 403, 403, 401)),
    ("GET", "/candidates/{candidate}/history", None, PROFILE),
    ("GET", "/candidates/{candidate}/audit", None, PROFILE),
    ("GET", "/candidates/{candidate}/export", None, PROFILE),
    ("POST", "/candidates/{candidate}/consent", {"audience": "providers", "granted": True},
     (403, 200, 404, 200, 404, 403, 403, 401)),
    ("POST", "/candidates/{candidate}/skills/proposals", None,
     (200, 200, 404, 403, 404, 403, 403, 401)),
    ("POST", "/candidates/{candidate}/skills/review", {"confirm": [], "drop": []},
     (200, 200, 404, 403, 404, 403, 403, 401)),
    ("GET", "/audit", None, A403),
]
CASES = [
    pytest.param(method, path, body, role, expected[index], id=f"{method} {path} as {role}")
    for method, path, body, expected in ENDPOINTS
    for index, role in enumerate(ROLES)
]


def fill(value: Any, names: dict[str, str]) -> Any:
    """Put the world's ids into a path or body template."""
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {k: fill(v, names) for k, v in value.items()}
    return value


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), CASES)
def test_endpoint_by_role(client: FlaskClient, session: Session, method: str, path: str,
                          body: Any, role: str, expected: int) -> None:
    world = build(session)
    names = {"desk": str(world.desk.id), "candidate": str(world.candidate.id),
             "provider": str(world.accounts["provider"].id), "token": world.token_id}
    headers = {} if role == "anonymous" else auth_headers(session, world.accounts[role])
    if method in {"PATCH", "DELETE"}:
        target = path.split("/")[1]
        version = {"organisations": world.desk.version, "accounts":
                   world.accounts["provider"].version, "candidates": world.candidate.version
                   }[target]
        headers["If-Match"] = f'"{version}"'
    before = session.scalar(select(func.count()).select_from(AuditEntry))
    response = client.open(f"/api/v1{fill(path, names)}", method=method,
                           json=fill(body, names), headers=headers)
    assert response.status_code == expected, response.get_json()
    if expected >= 400:
        assert set(response.get_json()["error"]) >= {"code", "message"}
        # A refused request leaves no trace of personal data being read.
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == before
    if expected == 404:
        assert response.get_json()["error"]["message"] == "No candidate with this id."


def test_unknown_candidate_is_404_for_profile_roles_and_403_for_others(
    client: FlaskClient, session: Session
) -> None:
    world = build(session)
    url = "/api/v1/candidates/00000000-0000-4000-8000-000000000000"
    for role, expected in (("admin", 404), ("adviser", 404), ("candidate", 404),
                           ("provider", 403), ("employer", 403)):
        response = client.get(url, headers=auth_headers(session, world.accounts[role]))
        assert response.status_code == expected, role
    # Another desk's existing candidate looks exactly like a missing one.
    other = client.get(f"/api/v1/candidates/{world.candidate.id}",
                       headers=auth_headers(session, world.accounts["adviser_other"]))
    missing = client.get(url, headers=auth_headers(session, world.accounts["adviser_other"]))
    assert other.get_json() == missing.get_json()

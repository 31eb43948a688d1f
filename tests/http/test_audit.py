"""The audit log: reads by others are logged without personal data; candidates read their own."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.factories import (
    auth_headers,
    create_account,
    create_candidate,
    create_candidate_account,
)


def test_reads_by_others_are_logged_and_the_candidate_sees_them(
    client: FlaskClient, session: Session
) -> None:
    adviser = create_account(session, role="adviser")
    admin = create_account(session, role="admin")
    candidate = create_candidate(session, adviser=adviser)
    own = create_candidate_account(session, candidate)
    url = f"/api/v1/candidates/{candidate.id}"
    client.get(url, headers=auth_headers(session, own))           # own read: not logged
    client.get(url, headers=auth_headers(session, adviser))
    client.get(f"{url}/history", headers=auth_headers(session, admin))
    client.get("/api/v1/candidates", headers=auth_headers(session, adviser))
    log = client.get(f"{url}/audit", headers=auth_headers(session, own)).get_json()["items"]
    assert [(e["actor_role"], e["endpoint"]) for e in log] == [
        ("adviser", "GET /api/v1/candidates"),
        ("admin", "GET /api/v1/candidates/<uuid:candidate_id>/history"),
        ("adviser", "GET /api/v1/candidates/<uuid:candidate_id>"),
    ]
    assert all(set(e) == {"id", "at", "actor_id", "actor_role", "candidate_id", "action",
                          "endpoint"} for e in log)
    admin_headers = auth_headers(session, admin)
    everything = client.get(f"/api/v1/audit?candidate_id={candidate.id}&limit=2",
                            headers=admin_headers).get_json()
    assert len(everything["items"]) == 2 and everything["next_cursor"]
    rest = client.get(f"/api/v1/audit?candidate_id={candidate.id}&limit=2"
                      f"&cursor={everything['next_cursor']}", headers=admin_headers).get_json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    by_admin = client.get(f"/api/v1/audit?actor_id={admin.id}", headers=admin_headers).get_json()
    assert [e["actor_role"] for e in by_admin["items"]] == ["admin"]
    assert client.get("/api/v1/audit?action=peek", headers=admin_headers).status_code == 422
    assert client.get("/api/v1/audit?since=yesterday", headers=admin_headers).status_code == 422
    later = client.get("/api/v1/audit?since=2999-01-01T00:00:00Z", headers=admin_headers)
    assert later.status_code == 200 and later.get_json()["items"] == []

"""Accounts, tokens and /me over HTTP (admin endpoints)."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.factories import (
    auth_headers,
    create_account,
    create_candidate,
    create_candidate_account,
    create_organisation,
)


def test_me_shows_role_organisation_and_own_profile(client: FlaskClient, session: Session) -> None:
    candidate = create_candidate(session)
    own = create_candidate_account(session, candidate)
    me = client.get("/api/v1/me", headers=auth_headers(session, own)).get_json()
    assert me["role"] == "candidate" and me["candidate_id"] == str(candidate.id)
    assert me["organisation"]["id"] == str(candidate.organisation_id)
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer gp_nope"}).status_code == 401


def test_admin_creates_accounts_and_roles_must_fit_the_organisation(
    client: FlaskClient, session: Session
) -> None:
    admin = auth_headers(session, create_account(session, role="admin"))
    desk = create_organisation(session, kind="desk")
    centre = create_organisation(session, kind="training_centre")
    made = client.post("/api/v1/accounts", json={"email": "Ann@Example.nl", "name": "Ann",
                                                 "role": "adviser",
                                                 "organisation_id": str(desk.id)},
                       headers=admin)
    assert made.status_code == 201 and made.get_json()["email"] == "ann@example.nl"
    again = client.post("/api/v1/accounts", json={"email": "ann@example.nl", "name": "Ann",
                                                  "role": "adviser",
                                                  "organisation_id": str(desk.id)},
                        headers=admin)
    assert again.status_code == 409
    wrong = client.post("/api/v1/accounts", json={"email": "b@example.nl", "name": "B",
                                                  "role": "adviser",
                                                  "organisation_id": str(centre.id)},
                        headers=admin)
    assert wrong.status_code == 422 and "organisation_id" in wrong.get_json()["error"]["details"]
    no_profile = client.post("/api/v1/accounts", json={"email": "c@example.nl", "name": "C",
                                                       "role": "candidate"}, headers=admin)
    assert no_profile.status_code == 422
    assert "candidate_id" in no_profile.get_json()["error"]["details"]
    candidate = create_candidate(session)
    linked = client.post("/api/v1/accounts", json={"email": "c@example.nl", "name": "C",
                                                   "role": "candidate",
                                                   "candidate_id": str(candidate.id)},
                         headers=admin)
    assert linked.status_code == 201
    assert linked.get_json()["candidate_id"] == str(candidate.id)
    assert linked.get_json()["organisation"]["id"] == str(candidate.organisation_id)


def test_tokens_are_shown_once_listed_by_prefix_and_revocable(
    client: FlaskClient, session: Session
) -> None:
    admin = auth_headers(session, create_account(session, role="admin"))
    target = create_account(session, role="employer")
    url = f"/api/v1/accounts/{target.id}/tokens"
    issued = client.post(url, json={"days": 7}, headers=admin)
    assert issued.status_code == 201
    token = issued.get_json()["token"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}
                      ).get_json()["id"] == str(target.id)
    listed = client.get(url, headers=admin).get_json()["items"]
    assert [t["prefix"] for t in listed] == [token[:10]]
    assert all("token" not in t for t in listed)
    revoked = client.delete(f"{url}/{issued.get_json()['id']}", headers=admin)
    assert revoked.status_code == 204
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 401
    assert client.get(url, headers=admin).get_json()["items"][0]["revoked_at"] is not None


def test_deactivating_an_account_needs_if_match_and_locks_it_out(
    client: FlaskClient, session: Session
) -> None:
    admin = auth_headers(session, create_account(session, role="admin"))
    target = create_account(session, role="provider")
    target_headers = auth_headers(session, target)
    url = f"/api/v1/accounts/{target.id}"
    etag = client.get(url, headers=admin).headers["ETag"]
    assert client.patch(url, json={"active": False}, headers=admin).status_code == 428
    assert client.patch(url, json={"active": "no"},
                        headers={**admin, "If-Match": etag}).status_code == 422
    assert client.patch(url, json={"role": "admin"},
                        headers={**admin, "If-Match": etag}).status_code == 422
    done = client.patch(url, json={"active": False}, headers={**admin, "If-Match": etag})
    assert done.status_code == 200 and done.headers["ETag"] != etag
    assert client.patch(url, json={"active": True},
                        headers={**admin, "If-Match": etag}).status_code == 412
    assert client.get("/api/v1/me", headers=target_headers).status_code == 401


def test_account_list_pages_with_filters(client: FlaskClient, session: Session) -> None:
    admin_account = create_account(session, role="admin")
    admin = auth_headers(session, admin_account)
    desk = create_organisation(session, kind="desk")
    advisers = [create_account(session, role="adviser", organisation=desk) for _ in range(5)]
    seen, cursor = [], None
    while True:
        query = f"/api/v1/accounts?organisation_id={desk.id}&limit=2"
        page = client.get(query + (f"&cursor={cursor}" if cursor else ""), headers=admin)
        body = page.get_json()
        seen += [a["id"] for a in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == [str(a.id) for a in advisers]
    admins = client.get("/api/v1/accounts?role=admin&limit=100", headers=admin).get_json()
    assert str(admin_account.id) in {a["id"] for a in admins["items"]}
    assert all(a["role"] == "admin" for a in admins["items"])

"""Organisations over HTTP (admin)."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.factories import auth_headers, create_account


def test_create_read_patch_and_list_organisations(client: FlaskClient, session: Session) -> None:
    admin = auth_headers(session, create_account(session, role="admin"))
    made = client.post("/api/v1/organisations", json={"kind": "training_centre",
                                                      "name": "Techniek Opleidingen",
                                                      "region": "twente",
                                                      "external_id": "kvk-123"}, headers=admin)
    assert made.status_code == 201
    url = f"/api/v1/organisations/{made.get_json()['id']}"
    got = client.get(url, headers=admin)
    assert got.get_json()["region"] == "twente" and got.headers["ETag"] == '"1"'
    patched = client.patch(url, json={"name": "TO Twente"}, headers={**admin, "If-Match": '"1"'})
    assert patched.status_code == 200 and patched.get_json()["version"] == 2
    assert client.patch(url, json={"name": "X"}, headers={**admin, "If-Match": '"1"'}
                        ).status_code == 412
    assert client.patch(url, json={"kind": "desk"}, headers={**admin, "If-Match": '"2"'}
                        ).status_code == 422
    listed = client.get("/api/v1/organisations?kind=training_centre", headers=admin).get_json()
    assert [o["name"] for o in listed["items"]] == ["TO Twente"]
    assert listed["next_cursor"] is None


def test_bad_organisations_are_refused(client: FlaskClient, session: Session) -> None:
    admin = auth_headers(session, create_account(session, role="admin"))
    cases = [({"kind": "school", "name": "X"}, "kind"),
             ({"kind": "desk", "name": "X", "region": "atlantis"}, "region"),
             ({"kind": "desk"}, "name"),
             ({"kind": "desk", "name": "X", "colour": "red"}, "colour")]
    for body, path in cases:
        response = client.post("/api/v1/organisations", json=body, headers=admin)
        assert response.status_code == 422 and path in response.get_json()["error"]["details"]
    first = client.post("/api/v1/organisations", json={"kind": "desk", "name": "A",
                                                       "external_id": "same"}, headers=admin)
    assert first.status_code == 201
    second = client.post("/api/v1/organisations", json={"kind": "desk", "name": "B",
                                                        "external_id": "same"}, headers=admin)
    assert second.status_code == 409
    missing = client.get("/api/v1/organisations/00000000-0000-4000-8000-000000000000",
                         headers=admin)
    assert missing.status_code == 404

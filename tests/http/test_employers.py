"""Employers and their profiles over HTTP."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.catalogue_factories import concepts, create_vacancy
from tests.factories import auth_headers, create_account, create_organisation


def profile(occupation: str) -> dict[str, Any]:
    """Return a valid profile body."""
    return {
        "description": "Installatiebedrijf",
        "size": "medium",
        "sectors": ["installatietechniek", "energie"],
        "places": [{"place": "Zwolle", "region": "zwolle", "lat": 52.5, "lon": 6.1},
                   {"place": "Deventer", "region": "veluwe-stedendriehoek"}],
        "occupations": [{"uri": occupation}],
    }


def test_profile_put_get_and_versions(client: FlaskClient, session: Session) -> None:
    c = concepts(session)
    account = create_account(session, role="employer")
    headers = auth_headers(session, account)
    url = f"/api/v1/employers/{account.organisation_id}"
    empty = client.get(url, headers=headers)
    assert empty.status_code == 200 and empty.headers["ETag"] == '"0"'
    assert empty.json["sectors"] == [] and empty.json["version"] == 0
    assert client.put(url, json=profile(c.electrician), headers=headers).status_code == 428
    # No profile yet is version "0", not "anything": `*` is refused here too.
    star = client.put(url, json=profile(c.electrician), headers={**headers, "If-Match": "*"})
    assert star.status_code == 428 and client.get(url, headers=headers).json["version"] == 0
    first = client.put(url, json=profile(c.electrician), headers={**headers, "If-Match": '"0"'})
    assert first.status_code == 200, first.json
    assert first.headers["ETag"] == '"1"'
    assert first.json["sectors"] == ["installatietechniek", "energie"]
    assert first.json["occupations"][0]["uri"] == c.electrician
    assert first.json["places"][1]["region"] == "veluwe-stedendriehoek"
    stale = client.put(url, json=profile(c.plumber), headers={**headers, "If-Match": '"0"'})
    assert stale.status_code == 412
    second = client.put(url, json=profile(c.plumber), headers={**headers, "If-Match": '"1"'})
    assert second.status_code == 200 and second.json["version"] == 2
    assert [o["uri"] for o in second.json["occupations"]] == [c.plumber]


def test_profile_ownership_and_validation(client: FlaskClient, session: Session) -> None:
    c = concepts(session)
    account = create_account(session, role="employer")
    url = f"/api/v1/employers/{account.organisation_id}"
    for role in ("employer", "provider", "adviser"):
        other = auth_headers(session, create_account(session, role=role))
        response = client.put(url, json=profile(c.electrician),
                              headers={**other, "If-Match": '"0"'})
        assert response.status_code == 403
    admin = auth_headers(session, create_account(session, role="admin"))
    assert client.put(url, json=profile(c.electrician),
                      headers={**admin, "If-Match": '"0"'}).status_code == 200
    bad = {**profile(c.electrician), "sectors": ["bakkerij"],
           "places": [{"place": "X", "region": "nowhere"}]}
    response = client.put(url, json=bad, headers={**admin, "If-Match": '"1"'})
    assert response.status_code == 422
    assert {"sectors[0]"} <= set(response.json["error"]["details"])


def test_list_filters_and_open_vacancies(client: FlaskClient, session: Session) -> None:
    c = concepts(session)
    admin = auth_headers(session, create_account(session, role="admin"))
    a = create_organisation(session, kind="employer", name="Aannemer Oost", region="twente")
    b = create_organisation(session, kind="employer", name="Bouwbedrijf West", region="zwolle")
    create_organisation(session, kind="training_centre", name="Not an employer")
    client.put(f"/api/v1/employers/{b.id}", json=profile(c.plumber),
               headers={**admin, "If-Match": '"0"'})
    create_vacancy(session, a, c)
    create_vacancy(session, a, c, external_id="closed", status="closed")

    def names(query: str) -> list[str]:
        response = client.get(f"/api/v1/employers?{query}", headers=admin)
        assert response.status_code == 200, response.json
        return [item["name"] for item in response.json["items"]]

    assert names("") == ["Aannemer Oost", "Bouwbedrijf West"]
    assert names("region=veluwe-stedendriehoek") == ["Bouwbedrijf West"]  # a second place
    assert names("region=twente") == ["Aannemer Oost"]
    assert names("sector=energie") == ["Bouwbedrijf West"]
    assert names(f"occupation={c.electrician}") == ["Aannemer Oost"]  # from its open vacancy
    assert names(f"occupation={c.plumber}") == ["Bouwbedrijf West"]  # from its profile
    first = client.get("/api/v1/employers?limit=1", headers=admin).json
    assert first["items"][0]["open_vacancies"] == 1
    second = client.get(f"/api/v1/employers?limit=1&cursor={first['next_cursor']}",
                        headers=admin).json
    assert [i["name"] for i in second["items"]] == ["Bouwbedrijf West"]
    assert second["next_cursor"] is None
    assert client.get(f"/api/v1/employers/{a.id}", headers=admin).json["open_vacancies"] == 1

"""Intake profiles over HTTP: fields, ETags, provenance, bad input, atomicity, export, erasure."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from goudenpoort.errors import Unavailable
from goudenpoort.services import candidates as candidate_service
from models import (
    Account,
    ApiToken,
    AuditEntry,
    Candidate,
    CandidateConsent,
    CandidateRevision,
    CandidateSkill,
)
from tests.factories import (
    PIPE_WELDER,
    WELDING_ENGINEER,
    auth_headers,
    create_account,
    create_candidate,
    create_candidate_account,
    skill_uris,
)

URL = "/api/v1/candidates"


def full_profile(skills: list[str]) -> dict[str, Any]:
    """Return the API.md example profile with real ESCO URIs."""
    return {
        "kind": "newcomer",
        "given_name": "Samira", "family_name": "Haddad",
        "email": "s.haddad@example.nl", "phone": "+31 6 12345678",
        "birth_year": 1988,
        "region": "zwolle",
        "max_travel_km": 40,
        "education": {"level": "mbo-2", "field": "logistiek", "foreign": True,
                      "recognition": "pending"},
        "languages": [{"code": "nl", "cefr": "B1"}, {"code": "ar", "cefr": "C2"}],
        "experience": [{"occupation": PIPE_WELDER, "years": 6}],
        "skills": [{"uri": skills[0], "level": 3, "source": "adviser"},
                   {"uri": skills[1], "level": 1, "source": "self"}],
        "interests": {"sectors": ["installatietechniek"], "occupations": [WELDING_ENGINEER]},
        "availability": {"hours_per_week": 32, "from": "2027-01-04"},
        "right_to_work": "yes",
        "notes": "Wil graag in de installatietechniek werken.",
        "consent": {"providers": True, "employers": False},
    }


@pytest.fixture
def adviser(session: Session) -> Account:
    return create_account(session, role="adviser")


@pytest.fixture
def headers(session: Session, adviser: Account) -> dict[str, str]:
    return auth_headers(session, adviser)


def count(session: Session, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_create_and_read_every_field(client: FlaskClient, session: Session,
                                     headers: dict[str, str], adviser: Account) -> None:
    skills = skill_uris(session, 2)
    body = full_profile(skills)
    created = client.post(URL, json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.headers["ETag"] == '"1"'
    doc = client.get(f"{URL}/{created.get_json()['id']}?lang=nl", headers=headers).get_json()
    for field in ("kind", "given_name", "family_name", "email", "phone", "birth_year", "region",
                  "max_travel_km", "right_to_work", "notes", "consent"):
        assert doc[field] == body[field], field
    assert doc["languages"] == sorted(body["languages"], key=lambda lang: lang["code"])
    assert doc["education"] == body["education"]
    assert doc["availability"] == body["availability"]
    assert doc["experience"] == [{"occupation": PIPE_WELDER, "label": "pijplasser",
                                  "label_lang": "nl", "years": 6.0}]
    assert [(s["uri"], s["level"], s["source"], s["confirmed"]) for s in doc["skills"]] == sorted(
        [(skills[0], 3, "adviser", True), (skills[1], 1, "self", True)])
    assert doc["interests"]["sectors"] == ["installatietechniek"]
    assert doc["interests"]["occupations"] == [WELDING_ENGINEER]
    assert doc["interests"]["occupation_labels"][0]["label"] == "lasingenieur"
    assert doc["adviser_id"] == str(adviser.id)
    assert doc["organisation_id"] == str(adviser.organisation_id)
    assert doc["completeness"] == {"complete": True, "missing": [], "score": 1.0}
    for forbidden in ("nationality", "ethnicity", "religion", "health"):
        assert forbidden not in doc


def test_profile_has_no_special_category_fields(client: FlaskClient, session: Session,
                                                headers: dict[str, str]) -> None:
    for field in ("nationality", "ethnicity", "religion", "health"):
        body = {"kind": "starter", "given_name": "A", "family_name": "B", field: "x"}
        response = client.post(URL, json=body, headers=headers)
        assert response.status_code == 422
        assert field in response.get_json()["error"]["details"]
    assert count(session, Candidate) == 0
    assert not {"nationality", "ethnicity", "religion", "health"} & set(
        Candidate.__table__.columns.keys())


def test_completeness_names_what_to_ask_next(client: FlaskClient,
                                             headers: dict[str, str]) -> None:
    response = client.post(URL, json={"kind": "newcomer", "given_name": "A",
                                      "family_name": "B"}, headers=headers)
    completeness = response.get_json()["completeness"]
    assert completeness["complete"] is False
    assert completeness["missing"] == ["skills", "education", "region", "availability",
                                       "dutch_level"]
    switcher = client.post(URL, json={"kind": "switcher", "given_name": "A", "family_name": "B",
                                      "region": "zwolle", "languages": []}, headers=headers)
    assert switcher.get_json()["completeness"]["missing"] == ["skills", "education",
                                                              "availability"]


def test_patch_needs_if_match_and_refuses_stale_versions(
    client: FlaskClient, session: Session, headers: dict[str, str]
) -> None:
    candidate = create_candidate(session, adviser=session.get(Account, _account_id(headers,
                                                                                   client)))
    url = f"{URL}/{candidate.id}"
    assert client.patch(url, json={"given_name": "X"}, headers=headers).status_code == 428
    star = client.patch(url, json={"given_name": "X"}, headers={**headers, "If-Match": "*"})
    assert star.status_code == 428
    stale = client.patch(url, json={"given_name": "X"}, headers={**headers, "If-Match": '"7"'})
    assert stale.status_code == 412
    assert stale.get_json()["error"]["code"] == "precondition_failed"
    # If-Match compares strongly (RFC 9110): a weak tag never matches, even of the version.
    weak = client.patch(url, json={"given_name": "X"}, headers={**headers, "If-Match": 'W/"1"'})
    assert weak.status_code == 412
    ok = client.patch(url, json={"given_name": "X"}, headers={**headers, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.headers["ETag"] == '"2"'
    assert client.delete(url, headers=headers).status_code == 428


def _account_id(headers: dict[str, str], client: FlaskClient) -> Any:
    import uuid

    return uuid.UUID(client.get("/api/v1/me", headers=headers).get_json()["id"])


def test_two_advisers_one_wins_the_other_gets_412(client: FlaskClient, session: Session) -> None:
    first = create_account(session, role="adviser")
    second = create_account(session, role="adviser", organisation=first.organisation)
    h1, h2 = auth_headers(session, first), auth_headers(session, second)
    candidate = create_candidate(session, adviser=first, region="zwolle")
    url = f"{URL}/{candidate.id}"
    tag1 = client.get(url, headers=h1).headers["ETag"]
    tag2 = client.get(url, headers=h2).headers["ETag"]
    assert tag1 == tag2
    won = client.patch(url, json={"region": "groot-amsterdam", "max_travel_km": 10},
                       headers={**h1, "If-Match": tag1})
    assert won.status_code == 200
    lost = client.patch(url, json={"region": "rijnmond", "max_travel_km": 99},
                        headers={**h2, "If-Match": tag2})
    assert lost.status_code == 412
    now = client.get(url, headers=h2)
    assert now.get_json()["region"] == "groot-amsterdam"
    assert now.get_json()["max_travel_km"] == 10
    assert now.headers["ETag"] == won.headers["ETag"]
    # The loser reloads and retries on the new version: that works.
    retry = client.patch(url, json={"max_travel_km": 99},
                         headers={**h2, "If-Match": now.headers["ETag"]})
    assert retry.status_code == 200 and retry.get_json()["region"] == "groot-amsterdam"


def test_adviser_correction_keeps_the_candidates_original_in_history(
    client: FlaskClient, session: Session
) -> None:
    adviser = create_account(session, role="adviser")
    skills = skill_uris(session, 1)
    candidate = create_candidate(session, adviser=adviser)
    own = create_candidate_account(session, candidate)
    as_adviser, as_candidate = auth_headers(session, adviser), auth_headers(session, own)
    url = f"{URL}/{candidate.id}"
    tag = client.get(url, headers=as_candidate).headers["ETag"]
    entered = client.patch(url, json={"phone": "0612345678", "skills": [
        {"uri": skills[0], "level": 2}]}, headers={**as_candidate, "If-Match": tag})
    assert entered.status_code == 200
    assert entered.get_json()["skills"][0]["source"] == "self"
    corrected = client.patch(url, json={"phone": "+31 6 12345678", "skills": [
        {"uri": skills[0], "level": 3}]},
        headers={**as_adviser, "If-Match": entered.headers["ETag"]})
    assert corrected.status_code == 200
    assert corrected.get_json()["skills"][0]["source"] == "adviser"
    history = client.get(f"{url}/history?field=phone", headers=as_candidate).get_json()["items"]
    assert [(h["actor_role"], h["changes"]["phone"]) for h in history] == [
        ("candidate", {"old": None, "new": "0612345678"}),
        ("adviser", {"old": "0612345678", "new": "+31 6 12345678"}),
    ]
    skill_history = client.get(f"{url}/history?field=skills", headers=as_adviser).get_json()
    changes = [item["changes"][f"skills[{skills[0]}]"] for item in skill_history["items"]]
    assert changes[-1]["old"] == {"level": 2, "source": "self", "confirmed": True}
    assert changes[-1]["new"] == {"level": 3, "source": "adviser", "confirmed": True}


@pytest.mark.parametrize(
    ("patch", "path"),
    [
        ({"skills": [{"uri": "http://data.europa.eu/esco/skill/nope", "level": 2}]},
         "skills[0].uri"),
        ({"skills": [{"uri": "S0", "level": 0}]}, "skills[0].level"),
        ({"skills": [{"uri": "S0", "level": 5}]}, "skills[0].level"),
        ({"skills": [{"uri": "S0", "level": "3"}]}, "skills[0].level"),
        ({"skills": [{"uri": "S0", "level": True}]}, "skills[0].level"),
        ({"skills": [{"uri": "S0", "level": 2, "source": "inferred"}]}, "skills[0].source"),
        ({"skills": [{"uri": "S0", "level": 2}, {"uri": "S1", "level": 2},
                     {"uri": "S0", "level": 3}]}, "skills[2].uri"),
        ({"languages": [{"code": "nl", "cefr": "B3"}]}, "languages[0].cefr"),
        ({"languages": [{"code": "xx", "cefr": "B1"}]}, "languages[0].code"),
        ({"languages": [{"code": "nl", "cefr": "B1"}, {"code": "nl", "cefr": "A2"}]},
         "languages[1].code"),
        ({"experience": [{"occupation": "http://data.europa.eu/esco/occupation/nope",
                          "years": 2}]}, "experience[0].occupation"),
        ({"experience": [{"occupation": PIPE_WELDER, "years": -1}]}, "experience[0].years"),
        ({"interests": {"occupations": ["http://example.org/x"]}}, "interests.occupations[0]"),
        ({"region": "atlantis"}, "region"),
        ({"birth_year": 2999}, "birth_year"),
        ({"birth_year": "1990"}, "birth_year"),
        ({"max_travel_km": 12.5}, "max_travel_km"),
        ({"education": {"level": "mbo-9"}}, "education.level"),
        ({"education": {"foreign": "yes"}}, "education.foreign"),
        ({"education": {"foreign": False, "recognition": "pending"}}, "education.recognition"),
        ({"availability": {"from": "soon"}}, "availability.from"),
        ({"availability": {"hours_per_week": 0}}, "availability.hours_per_week"),
        ({"kind": "retired"}, "kind"),
        ({"right_to_work": "yes"}, "right_to_work"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
        ({"education": {"level": "mbo-2", "grade": 8}}, "education.grade"),
        ({"given_name": None}, "given_name"),
    ],
)
def test_bad_input_is_422_with_the_field_path_and_writes_nothing(
    client: FlaskClient, session: Session, headers: dict[str, str], patch: dict[str, Any],
    path: str,
) -> None:
    real = skill_uris(session, 2)

    def resolve(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [resolve(v) for v in value]
        return {"S0": real[0], "S1": real[1]}.get(value, value) if isinstance(value, str) \
            else value

    patch = resolve(patch)
    body = {"kind": "switcher", "given_name": "A", "family_name": "B", **patch}
    created = client.post(URL, json=body, headers=headers)
    assert created.status_code == 422, created.get_json()
    assert created.get_json()["error"]["code"] == "validation_error"
    assert path in created.get_json()["error"]["details"], created.get_json()
    assert count(session, Candidate) == 0
    # The same change as a PATCH of an existing profile: 422, nothing changed.
    candidate = create_candidate(session, adviser=session.get(Account, _account_id(headers,
                                                                                   client)))
    before = client.get(f"{URL}/{candidate.id}", headers=headers).get_json()
    patched = client.patch(f"{URL}/{candidate.id}", json=patch,
                           headers={**headers, "If-Match": '"1"'})
    assert patched.status_code == 422
    assert path in patched.get_json()["error"]["details"]
    after = client.get(f"{URL}/{candidate.id}", headers=headers).get_json()
    assert after["version"] == before["version"] == 1
    assert count(session, CandidateRevision) == 1


def test_a_request_failing_after_its_first_write_writes_nothing(
    client: FlaskClient, session: Session, headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    skills = skill_uris(session, 2)
    real_record = candidate_service.record_revision

    def record_then_fail(*args: Any, **kwargs: Any) -> None:
        real_record(*args, **kwargs)
        args[0].flush()  # the profile, its skills and this revision are now in the database
        assert args[0].get(Candidate, args[2].id) is not None
        raise Unavailable("forced failure after the first write")

    monkeypatch.setattr(candidate_service, "record_revision", record_then_fail)
    response = client.post(URL, json=full_profile(skills), headers=headers)
    assert response.status_code == 503
    for model in (Candidate, CandidateSkill, CandidateRevision, CandidateConsent, AuditEntry):
        assert count(session, model) == 0, model

    monkeypatch.setattr(candidate_service, "record_revision", real_record)
    candidate = create_candidate(session, adviser=session.get(Account, _account_id(headers,
                                                                                   client)))
    monkeypatch.setattr(candidate_service, "record_revision", record_then_fail)
    failed = client.patch(f"{URL}/{candidate.id}", json={"given_name": "Changed", "skills": [
        {"uri": skills[0], "level": 2}]}, headers={**headers, "If-Match": '"1"'})
    assert failed.status_code == 503
    session.expire_all()
    stored = session.get(Candidate, candidate.id)
    assert stored is not None and stored.given_name != "Changed" and stored.version == 1
    assert stored.skills == []


def test_duplicate_skill_is_rejected_not_merged(client: FlaskClient, session: Session,
                                                headers: dict[str, str]) -> None:
    skill = skill_uris(session, 1)[0]
    body = {"kind": "starter", "given_name": "A", "family_name": "B",
            "skills": [{"uri": skill, "level": 2}, {"uri": skill, "level": 2}]}
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 422
    assert "index 0" in response.get_json()["error"]["details"]["skills[1].uri"][0]


def test_list_filters_and_cursor_pagination(client: FlaskClient, session: Session) -> None:
    adviser = create_account(session, role="adviser")
    colleague = create_account(session, role="adviser", organisation=adviser.organisation)
    headers = auth_headers(session, adviser)
    made = [create_candidate(session, adviser=adviser if i % 2 else colleague,
                             kind="newcomer" if i % 3 == 0 else "starter",
                             region="zwolle" if i < 5 else "groot-amsterdam") for i in range(7)]
    create_candidate(session)  # another desk: never listed
    seen, cursor = [], None
    while True:
        query = f"{URL}?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(query, headers=headers).get_json()
        assert len(page["items"]) <= 3
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [str(c.id) for c in made]
    newcomers = client.get(f"{URL}?kind=newcomer", headers=headers).get_json()["items"]
    assert {i["id"] for i in newcomers} == {str(c.id) for c in made if c.kind == "newcomer"}
    in_zwolle = client.get(f"{URL}?region=zwolle", headers=headers).get_json()["items"]
    assert len(in_zwolle) == 5
    mine = client.get(f"{URL}?adviser=me", headers=headers).get_json()["items"]
    assert {i["id"] for i in mine} == {str(c.id) for c in made if c.adviser_id == adviser.id}
    theirs = client.get(f"{URL}?adviser={colleague.id}", headers=headers).get_json()["items"]
    assert len(theirs) + len(mine) == 7
    assert client.get(f"{URL}?cursor=garbage", headers=headers).status_code == 422
    assert client.get(f"{URL}?limit=101", headers=headers).status_code == 422
    assert client.get(f"{URL}?colour=red", headers=headers).status_code == 422


def test_prefill_proposes_confirms_and_drops(client: FlaskClient, session: Session,
                                             headers: dict[str, str]) -> None:
    adviser = session.get(Account, _account_id(headers, client))
    candidate = create_candidate(session, adviser=adviser,
                                 experience=[{"occupation": PIPE_WELDER, "years": 2}])
    url = f"{URL}/{candidate.id}"
    proposed = client.post(f"{url}/skills/proposals", headers=headers)
    assert proposed.status_code == 200
    skills = proposed.get_json()["skills"]
    assert skills and all(s["source"] == "inferred" and not s["confirmed"] for s in skills)
    assert all(s["inferred_from"]["uri"] == PIPE_WELDER and s["level"] == 2 for s in skills)
    assert "skills" in proposed.get_json()["completeness"]["missing"]
    keep, drop = skills[0]["uri"], skills[1]["uri"]
    reviewed = client.post(f"{url}/skills/review",
                           json={"confirm": [{"uri": keep, "level": 3}], "drop": [drop]},
                           headers=headers)
    assert reviewed.status_code == 200, reviewed.get_json()
    after = {s["uri"]: s for s in reviewed.get_json()["skills"]}
    assert drop not in after
    assert after[keep]["confirmed"] is True and after[keep]["source"] == "inferred"
    assert after[keep]["inferred_from"]["uri"] == PIPE_WELDER
    assert after[keep]["confirmed_by"] == str(adviser.id) and after[keep]["level"] == 3
    assert "skills" not in reviewed.get_json()["completeness"]["missing"]
    again = client.post(f"{url}/skills/review", json={"drop": [drop, keep]}, headers=headers)
    assert again.status_code == 422
    assert set(again.get_json()["error"]["details"]) == {"drop[0]", "drop[1]"}
    # Proposing again adds nothing already on the profile.
    second = client.post(f"{url}/skills/proposals", headers=headers).get_json()["skills"]
    assert len(second) == len(skills)  # `drop` comes back as a proposal, `keep` stays confirmed


def test_consent_history_and_withdrawal(client: FlaskClient, session: Session) -> None:
    from goudenpoort.services.consent import consented_candidate_ids

    adviser = create_account(session, role="adviser")
    candidate = create_candidate(session, adviser=adviser)
    own = create_candidate_account(session, candidate)
    url = f"{URL}/{candidate.id}/consent"
    given = client.post(url, json={"audience": "employers", "granted": True},
                        headers=auth_headers(session, own))
    assert given.status_code == 200 and given.get_json() == {"providers": False,
                                                              "employers": True}
    assert candidate.id in consented_candidate_ids(session, "employers")
    assert candidate.id not in consented_candidate_ids(session, "providers")
    withdrawn = client.post(url, json={"audience": "employers", "granted": False},
                            headers=auth_headers(session, adviser))
    assert withdrawn.status_code == 200
    assert candidate.id not in consented_candidate_ids(session, "employers")
    bad = client.post(url, json={"audience": "neighbours", "granted": True},
                      headers=auth_headers(session, adviser))
    assert bad.status_code == 422
    export = client.get(f"{URL}/{candidate.id}/export",
                        headers=auth_headers(session, own)).get_json()
    assert [(c["audience"], c["granted"], c["actor_role"]) for c in export["consent_history"]] \
        == [("employers", True, "candidate"), ("employers", False, "adviser")]


def test_export_holds_everything_and_erasure_keeps_only_opaque_audit(
    client: FlaskClient, session: Session
) -> None:
    adviser = create_account(session, role="adviser")
    skills = skill_uris(session, 2)
    profile = {k: v for k, v in full_profile(skills).items() if k != "consent"}
    profile["availability"] = {"hours_per_week": 32, "from": date(2027, 1, 4)}
    candidate = create_candidate(session, adviser=adviser, **profile)
    own = create_candidate_account(session, candidate)
    as_adviser, as_candidate = auth_headers(session, adviser), auth_headers(session, own)
    url = f"{URL}/{candidate.id}"
    client.get(url, headers=as_adviser)
    client.post(f"{url}/consent", json={"audience": "providers", "granted": True},
                headers=as_candidate)
    export = client.get(f"{url}/export", headers=as_candidate)
    assert export.status_code == 200
    document = export.get_json()
    assert document["profile"]["given_name"] == "Samira"
    assert document["account"]["email"] == own.email
    assert document["history"] and document["consent_history"]
    assert [e["endpoint"] for e in document["audit"]] == [
        "GET /api/v1/candidates/<uuid:candidate_id>"]  # the candidate's own reads are not logged
    tag = client.get(url, headers=as_adviser).headers["ETag"]
    erased = client.delete(url, headers={**as_candidate, "If-Match": tag})
    assert erased.status_code == 204
    session.expunge_all()
    assert session.get(Candidate, candidate.id) is None
    assert session.get(Account, own.id) is None
    assert count(session, CandidateSkill) == count(session, CandidateConsent) == 0
    assert count(session, CandidateRevision) == 0
    assert session.scalar(select(func.count()).select_from(ApiToken)
                          .where(ApiToken.account_id == own.id)) == 0
    entries = list(session.scalars(select(AuditEntry).where(
        AuditEntry.candidate_id == candidate.id).order_by(AuditEntry.created_at)))
    assert [(e.action, e.actor_role) for e in entries] == [
        ("read", "adviser"), ("read", "adviser"), ("erase", "candidate")]
    for entry in entries:
        stored = " ".join(str(v) for v in (entry.actor_role, entry.action, entry.endpoint))
        assert "Samira" not in stored and "Haddad" not in stored and "@" not in stored
    assert client.get(url, headers=as_adviser).status_code == 404
    assert client.get("/api/v1/me", headers=as_candidate).status_code == 401

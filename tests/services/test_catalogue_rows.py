"""Reading catalogue items: ownership predicates, label look-up, row checks, digests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from goudenpoort.services import catalogue
from goudenpoort.services.catalogue_rows import digest, read_route, read_vacancy
from goudenpoort.services.concept_lookup import build_lookup
from goudenpoort.services.ownership import may_create, may_manage
from tests.catalogue_factories import concepts, route_payload, vacancy_payload


@dataclass
class Caller:
    role: str
    organisation_id: uuid.UUID


def test_ownership_matrix() -> None:
    own, other = uuid.uuid4(), uuid.uuid4()
    expected = {
        ("admin", "route", other): True,
        ("provider", "route", own): True,
        ("provider", "route", other): False,
        ("employer", "route", own): False,
        ("employer", "vacancy", own): True,
        ("employer", "vacancy", other): False,
        ("provider", "vacancy", own): False,
        ("employer", "employer_profile", own): True,
        ("employer", "employer_profile", other): False,
        ("adviser", "route", own): False,
        ("candidate", "vacancy", own): False,
    }
    for (role, item, owner), allowed in expected.items():
        assert may_manage(Caller(role, own), item, owner) is allowed, (role, item, owner)
    assert may_create(Caller("provider", own), "route")
    assert not may_create(Caller("adviser", own), "route")
    assert may_create(Caller("admin", own), "vacancy")


def test_lookup_by_uri_and_labels_in_both_languages(session: Session) -> None:
    c = concepts(session)
    en = c.labels_en[c.skills[1]]
    lookup = build_lookup(session, skill_refs=[c.skills[1], f"  {en.upper()} ", "no such skill"],
                          occupation_refs=["Loodgieter", "electrician"])
    assert lookup.skill(c.skills[1]) == c.skills[1]
    assert lookup.skill(f"  {en.upper()} ") == c.skills[1]
    assert lookup.occupation("Loodgieter") == c.plumber
    assert lookup.occupation("electrician") == c.electrician
    try:
        lookup.skill("no such skill")
    except LookupError as exc:
        assert "exact label" in str(exc)
    else:
        raise AssertionError("an unknown label must not resolve")


def test_digest_ignores_key_order_and_sees_changes(session: Session) -> None:
    c = concepts(session)
    raw = route_payload(c)
    context = catalogue.build_context(session, [raw])
    item, errors = read_route(raw, context)
    assert item is not None, errors
    reordered, _ = read_route(dict(reversed(list(raw.items()))), context)
    assert reordered is not None and reordered["digest"] == item["digest"]
    changed, _ = read_route({**raw, "seats": 17}, context)
    assert changed is not None and changed["digest"] != item["digest"]
    assert digest({"a": 1, "digest": "x"}) == digest({"a": 1})


def test_csv_strings_are_coerced_and_checked(session: Session) -> None:
    c = concepts(session)
    raw = vacancy_payload(c, positions="3", guarantee="nee", lat="52,2", lon="6.9",
                          hours_per_week="veertig", start_date="01-03-2027")
    item, errors = read_vacancy(raw, catalogue.build_context(session, [raw]))
    assert item is None
    assert set(errors) == {"hours_per_week", "start_date"}
    raw.update(hours_per_week="40", start_date="2027-03-01")
    item, errors = read_vacancy(raw, catalogue.build_context(session, [raw]))
    assert item is not None, errors
    assert (item["positions"], item["guarantee"], item["lat"]) == (3, False, 52.2)

"""The demo dataset: sizes, real technical ESCO concepts, idempotent loading, candidates."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from goudenpoort.demo import dataset
from goudenpoort.demo.bulk import generate
from goudenpoort.demo.candidates import candidates
from goudenpoort.demo.load import demo_tokens, load_demo
from goudenpoort.services.tokens import account_for_token
from models import (
    Account,
    Candidate,
    EmployerProfile,
    Occupation,
    Organisation,
    RouteOccupation,
    RouteSkill,
    Skill,
    TrainingRoute,
    Vacancy,
    VacancySkill,
)

DEMO_REGIONS = {"zwolle", "twente", "achterhoek", "veluwe-stedendriehoek", "midden-gelderland",
                "rijk-van-nijmegen", "rivierenland", "foodvalley"}


def snapshot(session: Session) -> dict[str, object]:
    """Return every demo row's version and digest (what a re-run must not change)."""
    return {
        "routes": sorted(session.execute(select(TrainingRoute.external_id, TrainingRoute.version,
                                                TrainingRoute.digest)).all()),
        "vacancies": sorted(session.execute(select(Vacancy.external_id, Vacancy.version,
                                                   Vacancy.digest)).all()),
        "organisations": sorted(session.execute(select(Organisation.external_id,
                                                       Organisation.version)).all()),
        "profiles": sorted(session.execute(select(EmployerProfile.organisation_id,
                                                  EmployerProfile.version)).all(), key=str),
        "accounts": sorted(session.execute(select(Account.email, Account.version)).all()),
    }


def test_load_is_complete_and_idempotent(session: Session) -> None:
    first = load_demo(session)
    assert first["routes"]["created"] >= 60
    assert first["vacancies"]["created"] >= 200
    assert first["employer_profiles"]["created"] >= 40
    assert first["candidates"]["created"] >= 60
    # Demo candidates went through the intake service: every kind, all in the demo desks.
    candidate_kinds = Counter(session.scalars(select(Candidate.kind)))
    assert set(candidate_kinds) == {"starter", "switcher", "newcomer", "experienced"}
    before = snapshot(session)
    second = load_demo(session)
    for table, counts in second.items():
        assert counts["created"] == counts["updated"] == 0, table
    assert snapshot(session) == before

    kinds = Counter(session.scalars(select(Organisation.kind)))
    assert kinds["employer"] >= 40 and kinds["training_centre"] >= 14
    assert kinds["desk"] == 3 and kinds["operator"] == 1
    assert {r for r in session.scalars(select(TrainingRoute.region))} <= DEMO_REGIONS
    levels = set(session.scalars(select(TrainingRoute.level)))
    assert {"mbo-2", "mbo-3", "mbo-4", "short-course", "in-company"} <= levels
    # Every occupation a route or vacancy names is a technical ESCO occupation.
    occupations = set(session.scalars(select(RouteOccupation.occupation_uri))) | set(
        session.scalars(select(Vacancy.occupation_uri)))
    technical = set(session.scalars(select(Occupation.uri).where(
        Occupation.uri.in_(occupations), Occupation.technical.is_(True))))
    assert occupations == technical
    skills = set(session.scalars(select(RouteSkill.skill_uri))) | set(
        session.scalars(select(VacancySkill.skill_uri)))
    known = session.scalar(select(func.count()).select_from(Skill).where(Skill.uri.in_(skills)))
    assert known == len(skills)
    guaranteed = session.scalar(select(func.count()).select_from(Vacancy).where(
        Vacancy.guarantee.is_(True)))
    assert guaranteed and guaranteed > 20


def test_demo_tokens_sign_in(session: Session) -> None:
    load_demo(session)
    issued = demo_tokens(session, role="provider")
    assert len(issued) == len(dataset.organisations()["training_centres"])
    account, token = issued[0]
    assert account_for_token(session, token) is account


def test_candidates_cover_every_kind_and_language() -> None:
    people = candidates()
    assert len(people) >= 60
    assert candidates() == people  # deterministic
    kinds = Counter(p["kind"] for p in people)
    assert {"starter", "switcher", "newcomer", "experienced"} == set(kinds)
    newcomer_languages = {lang["code"] for p in people if p["kind"] == "newcomer"
                          for lang in p["languages"]}
    assert {"ar", "ti", "fa", "uk"} <= newcomer_languages
    dutch = {lang["cefr"] for p in people if p["kind"] == "newcomer"
             for lang in p["languages"] if lang["code"] == "nl"}
    assert dutch == {"A2", "B1", "B2"}
    origins = {occ["uri"] for items in dataset.concepts()["origins"].values() for occ in items}
    for person in people:
        if person["kind"] == "switcher":
            assert person["experience"]
            assert all(e["occupation"] in origins for e in person["experience"])
        assert all(1 <= s["level"] <= 4 and s["source"] in {"self", "adviser", "certified"}
                   for s in person["skills"])
    assert len({p["email"] for p in people}) == len(people)


def test_candidate_concepts_exist(session: Session) -> None:
    people = candidates()
    skills = {s["uri"] for p in people for s in p["skills"]}
    occupations = {e["occupation"] for p in people for e in p["experience"]} | {
        uri for p in people for uri in p["interests"]["occupations"]}
    assert session.scalar(select(func.count()).select_from(Skill).where(
        Skill.uri.in_(skills))) == len(skills)
    assert session.scalar(select(func.count()).select_from(Occupation).where(
        Occupation.uri.in_(occupations))) == len(occupations)


def test_generate_is_deterministic_and_upserts(session: Session) -> None:
    first = generate(session, kind="vacancies", total=300, seed=5, size=100, owners=3)
    assert first == {"created": 300, "updated": 0, "unchanged": 0}
    again = generate(session, kind="vacancies", total=300, seed=5, size=100, owners=3)
    assert again == {"created": 0, "updated": 0, "unchanged": 300}
    routes = generate(session, kind="routes", total=50, seed=5, size=20)
    assert routes["created"] == 50

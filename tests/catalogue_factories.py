"""Test data for the catalogue: real ESCO concepts, route and vacancy payloads, saved items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from goudenpoort.services import catalogue
from goudenpoort.services.catalogue_rows import read_route, read_vacancy
from goudenpoort.services.routes import get_route, save_routes
from goudenpoort.services.vacancies import get_vacancy, save_vacancies
from models import Occupation, OccupationSkill, Organisation, Skill, TrainingRoute, Vacancy


@dataclass(frozen=True)
class Concepts:
    """ESCO concepts of the electrician and the plumber, read from the loaded taxonomy."""

    electrician: str
    plumber: str
    skills: list[str]  # essential skills of the electrician, by URI order
    labels_en: dict[str, str]
    labels_nl: dict[str, str | None]


def concepts(session: Session) -> Concepts:
    """Return real concepts to build catalogue items from."""
    electrician = session.scalars(
        select(Occupation.uri).where(Occupation.label_en == "electrician")).one()
    plumber = session.scalars(select(Occupation.uri).where(Occupation.label_en == "plumber")).one()
    rows = session.execute(
        select(Skill.uri, Skill.label_en, Skill.label_nl)
        .join(OccupationSkill, OccupationSkill.skill_uri == Skill.uri)
        .where(OccupationSkill.occupation_uri == electrician,
               OccupationSkill.relation_type == "essential", Skill.kind == "skill")
        .order_by(Skill.uri)
    ).all()
    return Concepts(
        electrician=electrician,
        plumber=plumber,
        skills=[uri for uri, _en, _nl in rows],
        labels_en={uri: en for uri, en, _nl in rows},
        labels_nl={uri: nl for uri, _en, nl in rows},
    )


def route_payload(c: Concepts, **overrides: Any) -> dict[str, Any]:
    """Return a valid route in API shape."""
    payload: dict[str, Any] = {
        "external_id": "R-1",
        "title": "Monteur elektrotechnische installaties (BBL)",
        "description": "Werken en leren bij een installatiebedrijf.",
        "level": "mbo-3",
        "mode": "bbl",
        "place": "Zwolle",
        "region": "zwolle",
        "lat": 52.5125,
        "lon": 6.0944,
        "duration_weeks": 104,
        "hours_per_week": 32,
        "start_dates": ["2027-09-01", "2027-02-01"],
        "seats": 16,
        "cost_eur": 0,
        "funding_notes": "Leerwerkbaan; STAP niet nodig.",
        "prerequisites": {"min_education": "vmbo", "min_dutch_cefr": "A2",
                          "skills": [{"uri": c.skills[0], "level": 1}]},
        "skills": [{"uri": c.skills[1], "level": 3}, {"uri": c.skills[2], "level": 2}],
        "modules": [{"title": "Basis", "hours": 80, "skills": [{"uri": c.skills[1]}]}],
        "occupations": [{"uri": c.electrician}],
    }
    payload.update(overrides)
    return payload


def vacancy_payload(c: Concepts, **overrides: Any) -> dict[str, Any]:
    """Return a valid vacancy in API shape."""
    payload: dict[str, Any] = {
        "external_id": "V-1",
        "title": "Elektromonteur",
        "occupation": {"uri": c.electrician},
        "skills": [{"uri": c.skills[1], "level": 3, "essential": True},
                   {"uri": c.skills[2], "level": 2, "essential": False}],
        "min_dutch_cefr": "B1",
        "min_education": "mbo-2",
        "hours_per_week": 38,
        "start_date": "2027-03-01",
        "place": "Enschede",
        "region": "twente",
        "lat": 52.2215,
        "lon": 6.8937,
        "positions": 2,
        "guarantee": True,
    }
    payload.update(overrides)
    return payload


def create_route(session: Session, provider: Organisation, c: Concepts, **overrides: Any
                 ) -> TrainingRoute:
    """Save a route through the bulk service and return it."""
    raw = route_payload(c, **overrides)
    item, errors = read_route(raw, catalogue.build_context(session, [raw]))
    assert item is not None, errors
    result = save_routes(session, provider_id=provider.id, items=[item])
    return get_route(session, result.ids[0])


def create_vacancy(session: Session, employer: Organisation, c: Concepts, **overrides: Any
                   ) -> Vacancy:
    """Save a vacancy through the bulk service and return it."""
    raw = vacancy_payload(c, **overrides)
    item, errors = read_vacancy(raw, catalogue.build_context(session, [raw]))
    assert item is not None, errors
    result = save_vacancies(session, employer_id=employer.id, items=[item])
    return get_vacancy(session, result.ids[0])

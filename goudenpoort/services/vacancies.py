"""Vacancies: what sets them apart in the catalogue (skills, start date, filters)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import exists, func
from sqlalchemy.orm import Session, selectinload

from goudenpoort.services import catalogue, catalogue_items
from goudenpoort.services.catalogue_rows import read_vacancy
from goudenpoort.services.taxonomy import expand_ref
from models import Vacancy, VacancySkill

PARENT_COLUMNS = (
    "external_id", "title", "description", "min_dutch_cefr", "min_education", "hours_per_week",
    "place", "lat", "lon", "region", "positions", "guarantee", "status", "digest",
)


def _parent(item: dict[str, Any]) -> dict[str, Any]:
    """Return the vacancies-table columns of a normalised vacancy."""
    row = {column: item[column] for column in PARENT_COLUMNS}
    row["occupation_uri"] = item["occupation"]
    row["start_date"] = date.fromisoformat(item["start_date"]) if item["start_date"] else None
    return row


def _child_rows(vacancy_id: uuid.UUID, item: dict[str, Any]) -> dict[Any, list[dict[str, Any]]]:
    """Return the skill rows of one normalised vacancy."""
    return {VacancySkill: [
        {"vacancy_id": vacancy_id, "skill_uri": uri, "level": level, "essential": essential,
         "position": position}
        for position, (uri, level, essential) in enumerate(item["skills"])
    ]}


def vacancy_input(vacancy: Vacancy) -> dict[str, Any]:
    """Return a vacancy in the API input shape (the base a PATCH is applied to)."""
    return {
        "external_id": vacancy.external_id,
        "title": vacancy.title,
        "description": vacancy.description,
        "occupation": {"uri": vacancy.occupation_uri},
        "skills": [{"uri": s.skill_uri, "level": s.level, "essential": s.essential}
                   for s in vacancy.skills],
        "min_dutch_cefr": vacancy.min_dutch_cefr,
        "min_education": vacancy.min_education,
        "hours_per_week": vacancy.hours_per_week,
        "start_date": vacancy.start_date.isoformat() if vacancy.start_date else None,
        "place": vacancy.place,
        "region": vacancy.region,
        "lat": vacancy.lat,
        "lon": vacancy.lon,
        "positions": vacancy.positions,
        "guarantee": vacancy.guarantee,
        "status": vacancy.status,
    }


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Apply a PATCH: top-level fields replace."""
    return {**base, **changes}


def vacancy_loader_options() -> list[Any]:
    """Return the eager loads that render a page of vacancies in a fixed number of queries."""
    return [
        selectinload(Vacancy.employer),
        selectinload(Vacancy.occupation),
        selectinload(Vacancy.skills).selectinload(VacancySkill.skill),
    ]


VACANCIES = catalogue_items.ItemKind(
    item="vacancy", noun="vacancy", plural="vacancies", owner_noun="employer",
    model=Vacancy, owner_column="employer_id", child_key="vacancy_id", children=(VacancySkill,),
    parent_row=_parent, child_rows=_child_rows, read=read_vacancy, as_input=vacancy_input,
    merge=_merge, loader_options=vacancy_loader_options,
)


def save_vacancies(
    session: Session, *, employer_id: uuid.UUID, items: Sequence[dict[str, Any]]
) -> catalogue.SaveResult:
    """Upsert normalised vacancies by external id: new ones inserted, changed ones rewritten."""
    return catalogue_items.save_items(session, VACANCIES, owner_id=employer_id, items=items)


def get_vacancy(session: Session, vacancy_id: uuid.UUID | str) -> Vacancy:
    """Return a live vacancy or raise NotFound."""
    return catalogue_items.get_item(session, VACANCIES, vacancy_id)


def list_vacancies(
    session: Session,
    *,
    limit: int = 20,
    cursor: str | None = None,
    region: str | None = None,
    employer: uuid.UUID | None = None,
    occupation: str | None = None,
    skill: str | None = None,
    status: str | None = None,
    guarantee: bool | None = None,
    q: str | None = None,
) -> tuple[list[Vacancy], str | None]:
    """Return one page of live vacancies ordered by title, and the cursor of the next page."""
    query = catalogue_items.live_items(VACANCIES, region=region, owner=employer)
    if occupation:
        query = query.where(Vacancy.occupation_uri == expand_ref(occupation, "occupation"))
    if skill:
        uri = expand_ref(skill, "skill")
        query = query.where(exists().where(VacancySkill.vacancy_id == Vacancy.id,
                                           VacancySkill.skill_uri == uri))
    if status:
        query = query.where(Vacancy.status == status)
    if guarantee is not None:
        query = query.where(Vacancy.guarantee.is_(guarantee))
    if q:
        query = query.where(func.lower(Vacancy.title).contains(q.lower(), autoescape=True))
    return catalogue_items.list_page(session, VACANCIES, query, cursor=cursor, limit=limit)

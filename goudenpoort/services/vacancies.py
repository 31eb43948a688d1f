"""Vacancies: create, read, change, delete (softly), list, and upsert in bulk."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from goudenpoort.errors import Conflict, Forbidden
from goudenpoort.services import catalogue
from goudenpoort.services.catalogue_rows import read_vacancy
from goudenpoort.services.match_changes import record_changes
from goudenpoort.services.ownership import Caller, may_manage
from goudenpoort.services.taxonomy import expand_ref
from models import Vacancy, VacancySkill
from models.base import utcnow

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


def write_vacancies(
    session: Session,
    *,
    employer_id: uuid.UUID,
    new: Sequence[tuple[uuid.UUID, dict[str, Any]]] = (),
    changed: Sequence[tuple[uuid.UUID, int, dict[str, Any]]] = (),
) -> None:
    """Insert new vacancies and rewrite changed ones (id, old version, item) with executemany."""
    now = utcnow()
    if new:
        session.execute(insert(Vacancy), [
            {"id": vacancy_id, "employer_id": employer_id, "version": 1, "created_at": now,
             "updated_at": now, **_parent(item)}
            for vacancy_id, item in new
        ])
    if changed:
        session.execute(update(Vacancy), [
            {"id": vacancy_id, "version": version + 1, "updated_at": now, **_parent(item)}
            for vacancy_id, version, item in changed
        ])
        for chunk in catalogue.chunks([vacancy_id for vacancy_id, _v, _i in changed]):
            session.execute(delete(VacancySkill).where(VacancySkill.vacancy_id.in_(chunk)))
    skills = [
        {"vacancy_id": vacancy_id, "skill_uri": uri, "level": level, "essential": essential,
         "position": position}
        for vacancy_id, item in [*new, *((v, i) for v, _ver, i in changed)]
        for position, (uri, level, essential) in enumerate(item["skills"])
    ]
    for chunk in catalogue.chunks(skills, 5000):
        session.execute(insert(VacancySkill), list(chunk))
    record_changes(session, "vacancy", [v for v, _i in new] + [v for v, _ver, _i in changed])
    session.flush()


def save_vacancies(
    session: Session, *, employer_id: uuid.UUID, items: Sequence[dict[str, Any]]
) -> catalogue.SaveResult:
    """Upsert normalised vacancies by external id: new ones inserted, changed ones rewritten."""
    external_ids = [item["external_id"] for item in items if item["external_id"]]
    existing: dict[str, tuple[uuid.UUID, str, int]] = {}
    for chunk in catalogue.chunks(external_ids):
        query = select(Vacancy.external_id, Vacancy.id, Vacancy.digest, Vacancy.version).where(
            Vacancy.employer_id == employer_id,
            Vacancy.deleted_at.is_(None),
            Vacancy.external_id.in_(chunk),
        )
        for external_id, vacancy_id, digest, version in session.execute(query):
            existing[external_id] = (vacancy_id, digest, version)
    new, changed, result = catalogue.plan_upsert(items, existing)
    write_vacancies(session, employer_id=employer_id, new=new, changed=changed)
    return result


def get_vacancy(session: Session, vacancy_id: uuid.UUID | str) -> Vacancy:
    """Return a live vacancy or raise NotFound."""
    return catalogue.get_owned(session, Vacancy, vacancy_id, "vacancy")


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


def _check_external_id(session: Session, employer_id: uuid.UUID, external_id: str | None,
                       vacancy_id: uuid.UUID | None) -> None:
    """Raise Conflict if another live vacancy of the employer has this external id."""
    if not external_id:
        return
    query = select(Vacancy.id).where(
        Vacancy.employer_id == employer_id, Vacancy.external_id == external_id,
        Vacancy.deleted_at.is_(None),
    )
    other = session.scalars(query).first()
    if other is not None and other != vacancy_id:
        raise Conflict(f"Another vacancy of this employer has external id {external_id!r}.",
                       details={"external_id": ["Already in use; import upserts by it."]})


def vacancy_loader_options() -> list[Any]:
    """Return the eager loads that render a page of vacancies in a fixed number of queries."""
    return [
        selectinload(Vacancy.employer),
        selectinload(Vacancy.occupation),
        selectinload(Vacancy.skills).selectinload(VacancySkill.skill),
    ]


def _reload(session: Session, vacancy_id: uuid.UUID) -> Vacancy:
    """Return the vacancy freshly loaded (the bulk statements bypass the identity map)."""
    return session.scalars(
        select(Vacancy).where(Vacancy.id == vacancy_id)
        .options(*vacancy_loader_options()).execution_options(populate_existing=True)
    ).one()


def create_vacancy(
    session: Session, *, caller: Caller, data: dict[str, Any], employer_id: uuid.UUID | None
) -> Vacancy:
    """Create a vacancy for the caller's employer (admins name the employer)."""
    owner = catalogue.owner_for_create(session, caller, "vacancy", employer_id)
    context = catalogue.build_context(session, [data])
    item, errors = read_vacancy(data, context)
    if item is None:
        raise catalogue.invalid(errors)
    _check_external_id(session, owner, item["external_id"], None)
    vacancy_id = uuid.uuid4()
    write_vacancies(session, employer_id=owner, new=[(vacancy_id, item)])
    return _reload(session, vacancy_id)


def update_vacancy(
    session: Session, *, caller: Caller, vacancy: Vacancy, changes: dict[str, Any],
    expected_version: Collection[int] | None,
) -> Vacancy:
    """Apply a partial change (top-level fields replace) to a vacancy."""
    if not may_manage(caller, "vacancy", vacancy.employer_id):
        raise Forbidden("You may only change your own organisation's vacancies.")
    catalogue.check_version(vacancy.version, expected_version)
    merged = {**vacancy_input(vacancy), **changes}
    context = catalogue.build_context(session, [merged])
    item, errors = read_vacancy(merged, context)
    if item is None:
        raise catalogue.invalid(errors)
    if item["digest"] == vacancy.digest:
        return vacancy
    _check_external_id(session, vacancy.employer_id, item["external_id"], vacancy.id)
    write_vacancies(session, employer_id=vacancy.employer_id,
                    changed=[(vacancy.id, vacancy.version, item)])
    return _reload(session, vacancy.id)


def delete_vacancy(
    session: Session, *, caller: Caller, vacancy: Vacancy, expected_version: Collection[int] | None
) -> None:
    """Delete a vacancy softly: it leaves the catalogue, match history can still name it."""
    if not may_manage(caller, "vacancy", vacancy.employer_id):
        raise Forbidden("You may only delete your own organisation's vacancies.")
    catalogue.check_version(vacancy.version, expected_version)
    vacancy.deleted_at = utcnow()
    vacancy.version += 1
    record_changes(session, "vacancy", [vacancy.id], "remove")
    session.flush()


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
    query = select(Vacancy).where(Vacancy.deleted_at.is_(None))
    if region:
        query = query.where(Vacancy.region == region)
    if employer:
        query = query.where(Vacancy.employer_id == employer)
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
    query = catalogue.page_by_title(query, Vacancy, cursor=cursor, limit=limit)
    items = list(session.scalars(query.options(*vacancy_loader_options())))
    return catalogue.split_page(items, limit)

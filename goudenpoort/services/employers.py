"""Employers: employer organisations with their profile (sectors, places, occupations)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from goudenpoort.errors import Forbidden, NotFound
from goudenpoort.services import catalogue
from goudenpoort.services.catalogue_rows import read_employer_profile
from goudenpoort.services.match_changes import record_changes
from goudenpoort.services.ownership import Caller, may_manage
from goudenpoort.services.taxonomy import expand_ref
from models import (
    EmployerOccupation,
    EmployerPlace,
    EmployerProfile,
    EmployerSector,
    Organisation,
    Vacancy,
)
from models.base import utcnow


def get_employer(session: Session, organisation_id: uuid.UUID | str) -> Organisation:
    """Return an employer organisation or raise NotFound."""
    try:
        key = uuid.UUID(str(organisation_id))
    except ValueError:
        raise NotFound("No employer with this id.") from None
    organisation = session.get(Organisation, key)
    if organisation is None or organisation.kind != "employer":
        raise NotFound("No employer with this id.")
    return organisation


def get_profile(session: Session, organisation_id: uuid.UUID) -> EmployerProfile | None:
    """Return the employer's profile, or None if it has none yet (version 0)."""
    return session.scalars(
        select(EmployerProfile).where(EmployerProfile.organisation_id == organisation_id)
        .options(*profile_loader_options())
    ).first()


def profile_loader_options() -> list[Any]:
    """Return the eager loads of a profile's lists."""
    return [
        selectinload(EmployerProfile.sectors),
        selectinload(EmployerProfile.places),
        selectinload(EmployerProfile.occupations).selectinload(EmployerOccupation.occupation),
    ]


def profiles_for(session: Session, organisation_ids: list[uuid.UUID]
                 ) -> dict[uuid.UUID, EmployerProfile]:
    """Return the profiles of several employers at once."""
    if not organisation_ids:
        return {}
    query = select(EmployerProfile).where(
        EmployerProfile.organisation_id.in_(organisation_ids)
    ).options(*profile_loader_options())
    return {profile.organisation_id: profile for profile in session.scalars(query)}


def open_vacancy_counts(session: Session, organisation_ids: list[uuid.UUID]
                        ) -> dict[uuid.UUID, int]:
    """Return the number of open, live vacancies of each employer."""
    if not organisation_ids:
        return {}
    query = (
        select(Vacancy.employer_id, func.count())
        .where(Vacancy.employer_id.in_(organisation_ids), Vacancy.status == "open",
               Vacancy.deleted_at.is_(None))
        .group_by(Vacancy.employer_id)
    )
    return {employer_id: count for employer_id, count in session.execute(query)}


def write_profile(session: Session, *, organisation_id: uuid.UUID, item: dict[str, Any],
                  profile: EmployerProfile | None) -> EmployerProfile:
    """Create or replace a profile with a normalised item (the version goes up by one)."""
    now = utcnow()
    if profile is None:
        profile = EmployerProfile(organisation_id=organisation_id, version=0, created_at=now)
        session.add(profile)
    profile.description = item["description"]
    profile.website = item["website"]
    profile.size = item["size"]
    profile.digest = item["digest"]
    profile.version = (profile.version or 0) + 1
    profile.updated_at = now
    profile.sectors = [EmployerSector(sector=s, position=i) for i, s in enumerate(item["sectors"])]
    profile.places = [EmployerPlace(position=i, **place) for i, place in enumerate(item["places"])]
    profile.occupations = [EmployerOccupation(occupation_uri=uri, position=i)
                           for i, uri in enumerate(item["occupations"])]
    # Replacing the lists must delete the old rows before the new ones are inserted.
    session.flush()
    record_changes(session, "employer", [organisation_id])
    return profile


def put_profile(
    session: Session, *, caller: Caller, organisation: Organisation, data: dict[str, Any],
    expected_version: Collection[int],
) -> EmployerProfile:
    """Replace an employer's profile; the first profile is written against version 0."""
    if not may_manage(caller, "employer_profile", organisation.id):
        raise Forbidden("You may only change your own organisation's profile.")
    profile = get_profile(session, organisation.id)
    catalogue.check_version(profile.version if profile else 0, expected_version)
    context = catalogue.build_context(session, [data])
    item, errors = read_employer_profile(data, context)
    if item is None:
        raise catalogue.invalid(errors)
    if profile is not None and profile.digest == item["digest"]:
        return profile
    return write_profile(session, organisation_id=organisation.id, item=item, profile=profile)


def list_employers(
    session: Session,
    *,
    limit: int = 20,
    cursor: str | None = None,
    region: str | None = None,
    sector: str | None = None,
    occupation: str | None = None,
    q: str | None = None,
) -> tuple[list[Organisation], str | None]:
    """Return one page of employer organisations ordered by name, and the next cursor."""
    query = select(Organisation).where(Organisation.kind == "employer")
    if region:
        query = query.where(or_(
            Organisation.region == region,
            exists().where(EmployerPlace.organisation_id == Organisation.id,
                           EmployerPlace.region == region),
        ))
    if sector:
        query = query.where(exists().where(EmployerSector.organisation_id == Organisation.id,
                                           EmployerSector.sector == sector))
    if occupation:
        uri = expand_ref(occupation, "occupation")
        query = query.where(or_(
            exists().where(EmployerOccupation.organisation_id == Organisation.id,
                           EmployerOccupation.occupation_uri == uri),
            exists().where(Vacancy.employer_id == Organisation.id, Vacancy.occupation_uri == uri,
                           Vacancy.deleted_at.is_(None), Vacancy.status == "open"),
        ))
    if q:
        query = query.where(func.lower(Organisation.name).contains(q.lower(), autoescape=True))
    if cursor:
        name, last_id = catalogue.decode_cursor(cursor, 2)
        try:
            after = uuid.UUID(last_id)
        except ValueError:
            raise catalogue.invalid({"cursor": ["Not a valid cursor."]}) from None
        query = query.where(or_(Organisation.name > name,
                                and_(Organisation.name == name, Organisation.id > after)))
    items = list(session.scalars(query.order_by(Organisation.name, Organisation.id)
                                 .limit(limit + 1)))
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    return items, catalogue.encode_cursor([items[-1].name, items[-1].id])

"""Organisations: adviser desks, training centres, employers and the operator."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from goudenpoort.errors import Conflict, NotFound, PreconditionFailed, ValidationFailed
from goudenpoort.services.pagination import Page, paginate
from models import Organisation, Region
from models.organisations import ORGANISATION_KINDS

EDITABLE = ("name", "region", "external_id")


def _check(session: Session, values: dict[str, Any]) -> None:
    """Raise a 422 for an unknown kind or region, a 409 for a taken external id."""
    details: dict[str, list[str]] = {}
    if "kind" in values and values["kind"] not in ORGANISATION_KINDS:
        details["kind"] = [f"Must be one of: {', '.join(ORGANISATION_KINDS)}."]
    region = values.get("region")
    if region is not None and session.get(Region, region) is None:
        details["region"] = ["Unknown labour-market region; see GET /api/v1/regions."]
    if details:
        raise ValidationFailed(details=details)


def _check_external_id(session: Session, external_id: str | None,
                       exclude: uuid.UUID | None = None) -> None:
    """Raise Conflict when another organisation already has this external id."""
    if external_id is None:
        return
    query = select(Organisation.id).where(Organisation.external_id == external_id)
    if exclude is not None:
        query = query.where(Organisation.id != exclude)
    if session.scalars(query).first() is not None:
        raise Conflict("Another organisation has this external_id.",
                       details={"external_id": ["Already in use."]})


def create_organisation(
    session: Session,
    *,
    kind: str,
    name: str,
    region: str | None = None,
    external_id: str | None = None,
) -> Organisation:
    """Create an organisation."""
    _check(session, {"kind": kind, "region": region})
    _check_external_id(session, external_id)
    organisation = Organisation(kind=kind, name=name, region=region, external_id=external_id)
    session.add(organisation)
    session.flush()
    return organisation


def get_organisation(session: Session, organisation_id: uuid.UUID) -> Organisation:
    """Return an organisation or raise NotFound."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("No organisation with this id.")
    return organisation


def find_organisation(session: Session, ref: str) -> Organisation:
    """Return an organisation by id or by exact name (the CLI's way of naming one)."""
    try:
        return get_organisation(session, uuid.UUID(ref))
    except ValueError:
        pass
    matches = list(session.scalars(select(Organisation).where(Organisation.name == ref)))
    if not matches:
        raise NotFound(f"No organisation with id or name {ref!r}.")
    if len(matches) > 1:
        raise Conflict(f"{len(matches)} organisations are named {ref!r}; use the id.")
    return matches[0]


def list_organisations(
    session: Session, *, kind: str | None = None, limit: int = 20, cursor: str | None = None
) -> Page[Organisation]:
    """Return a page of organisations, oldest first, optionally of one kind."""
    query = select(Organisation)
    if kind is not None:
        query = query.where(Organisation.kind == kind)
    return paginate(session, query, created_at=Organisation.created_at,
                    row_id=Organisation.id, limit=limit, cursor=cursor)


def update_organisation(
    session: Session, organisation: Organisation, *, expected_version: int, changes: dict[str, Any]
) -> Organisation:
    """Change name, region or external id if the caller saw the current version."""
    if organisation.version != expected_version:
        raise PreconditionFailed()
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(details={field: ["Cannot be changed."] for field in unknown})
    _check(session, changes)
    if "external_id" in changes:
        _check_external_id(session, changes["external_id"], exclude=organisation.id)
    for field, value in changes.items():
        setattr(organisation, field, value)
    organisation.version += 1
    session.flush()
    return organisation

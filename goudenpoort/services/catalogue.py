"""Mechanics shared by routes, vacancies and employer profiles: context, owners, versions, pages."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from goudenpoort.batches import chunks
from goudenpoort.errors import Conflict, Forbidden, NotFound, PreconditionFailed, ValidationFailed
from goudenpoort.services import catalogue_rows as rows
from goudenpoort.services.concept_lookup import build_lookup
from goudenpoort.services.ownership import Caller, may_create
from models import Organisation, Region

OWNER_KIND = {"route": "training_centre", "vacancy": "employer", "employer_profile": "employer"}


def build_context(session: Session, raws: Iterable[Any]) -> rows.Context:
    """Resolve every reference of the raw items with one pass of chunked queries."""
    raws = list(raws)
    skill_refs = {ref for raw in raws for ref in rows.skill_refs(raw)}
    occupation_refs = {ref for raw in raws for ref in rows.occupation_refs(raw)}
    partner_ids = sorted({ref for raw in raws for ref in rows.partner_refs(raw)})
    lookup = build_lookup(session, skill_refs=skill_refs, occupation_refs=occupation_refs)
    employers: set[str] = set()
    for chunk in chunks(partner_ids):
        employers.update(
            str(org_id) for org_id in session.scalars(
                select(Organisation.id).where(
                    Organisation.id.in_([uuid.UUID(i) for i in chunk]),
                    Organisation.kind == "employer",
                )
            )
        )
    regions = session.scalars(select(Region.slug)).all()
    return rows.Context(lookup, regions, employers)


def owner_for_create(
    session: Session, caller: Caller, item: str, requested: uuid.UUID | None
) -> uuid.UUID:
    """Return the organisation a new item belongs to, or raise Forbidden/ValidationFailed."""
    if not may_create(caller, item):
        raise Forbidden(f"Only admins and {OWNER_KIND[item].replace('_', ' ')} staff may do this.")
    if caller.role != "admin":
        if requested is not None and requested != caller.organisation_id:
            raise Forbidden("You may only manage your own organisation's catalogue.")
        return caller.organisation_id
    if requested is None:
        raise ValidationFailed(details={"organisation": ["Admins must name the organisation."]})
    organisation = session.get(Organisation, requested)
    if organisation is None or organisation.kind != OWNER_KIND[item]:
        kind = OWNER_KIND[item].replace("_", " ")
        raise ValidationFailed(details={"organisation": [f"No {kind} with this id."]})
    return organisation.id


def check_version(current: int, expected: Collection[int]) -> None:
    """Raise PreconditionFailed unless the current version is one the caller's If-Match names.

    The edge has already refused a missing If-Match and `*` (428): one rule for every write.
    """
    if current not in expected:
        raise PreconditionFailed(
            f"The item is now at version {current} (ETag \"{current}\"); reload it and try again."
        )


def invalid(errors: dict[str, list[str]]) -> ValidationFailed:
    """Return the 422 for one item's field errors."""
    return ValidationFailed(details=errors)


def encode_cursor(values: Sequence[Any]) -> str:
    """Return an opaque cursor for a keyset position."""
    raw = json.dumps([str(v) for v in values], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[str]:
    """Return the keyset position of a cursor, or raise ValidationFailed."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if not isinstance(values, list) or len(values) != size or \
                not all(isinstance(v, str) for v in values):
            raise ValueError
        return values
    except (ValueError, binascii.Error, UnicodeError):
        raise ValidationFailed(details={"cursor": ["Not a valid cursor."]}) from None


def page_by_title(query: Any, model: Any, *, cursor: str | None, limit: int) -> Any:
    """Order a query by (title, id) and start it after the cursor's position."""
    if cursor:
        title, last_id = decode_cursor(cursor, 2)
        try:
            after = uuid.UUID(last_id)
        except ValueError:
            raise ValidationFailed(details={"cursor": ["Not a valid cursor."]}) from None
        query = query.where(or_(model.title > title,
                                and_(model.title == title, model.id > after)))
    return query.order_by(model.title, model.id).limit(limit + 1)


def split_page(items: list[Any], limit: int) -> tuple[list[Any], str | None]:
    """Cut the extra item fetched to tell whether there is a next page; return the cursor."""
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    last = items[-1]
    return items, encode_cursor([last.title, last.id])


def get_owned(session: Session, model: Any, item_id: uuid.UUID | str, what: str) -> Any:
    """Return a live (not deleted) item by id or raise NotFound."""
    try:
        key = item_id if isinstance(item_id, uuid.UUID) else uuid.UUID(str(item_id))
    except ValueError:
        raise NotFound(f"No {what} with this id.") from None
    item = session.get(model, key)
    if item is None or getattr(item, "deleted_at", None) is not None:
        raise NotFound(f"No {what} with this id.")
    return item


@dataclass
class SaveResult:
    """What a bulk save did, and the id of every item in input order."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: list[uuid.UUID] = field(default_factory=list)


def plan_upsert(
    items: Sequence[dict[str, Any]], existing: dict[str, tuple[uuid.UUID, str, int]]
) -> tuple[list[tuple[uuid.UUID, dict[str, Any]]],
           list[tuple[uuid.UUID, int, dict[str, Any]]], SaveResult]:
    """Split items into new and changed by external id and digest; unchanged ones are skipped.

    `existing` maps external id to (id, digest, version) of the owner's live items.
    """
    result = SaveResult()
    new: list[tuple[uuid.UUID, dict[str, Any]]] = []
    changed: list[tuple[uuid.UUID, int, dict[str, Any]]] = []
    seen: set[str] = set()
    for item in items:
        external_id = item["external_id"]
        if external_id in seen:
            # Callers report duplicates per row; reaching here would write one item twice.
            raise Conflict(f"External id {external_id!r} occurs twice in one batch.")
        if external_id:
            seen.add(external_id)
        found = existing.get(external_id) if external_id else None
        if found is None:
            item_id = uuid.uuid4()
            new.append((item_id, item))
            result.created += 1
        elif found[1] == item["digest"]:
            item_id = found[0]
            result.unchanged += 1
        else:
            item_id = found[0]
            changed.append((item_id, found[2], item))
            result.updated += 1
        if external_id:
            existing[external_id] = (item_id, item["digest"], found[2] + 1 if found else 1)
        result.ids.append(item_id)
    return new, changed, result

"""Catalogue items (routes, vacancies): one set of use cases, told apart by an ItemKind.

Create, read, change, delete (softly), bulk write and upsert work the same for every item
kind; what differs (table, owner column, child tables, how input is read and merged) is
described once per kind in its own module (`services/routes.py`, `services/vacancies.py`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from goudenpoort.batches import chunks
from goudenpoort.errors import Conflict, Forbidden
from goudenpoort.services import catalogue
from goudenpoort.services.catalogue_rows import Context
from goudenpoort.services.match_changes import record_changes
from goudenpoort.services.ownership import Caller, may_manage
from models.base import utcnow

# (id, normalised item) of a new item; (id, version it had, normalised item) of a changed one.
New = tuple[uuid.UUID, dict[str, Any]]
Changed = tuple[uuid.UUID, int, dict[str, Any]]


@dataclass(frozen=True)
class ItemKind:
    """What sets one kind of catalogue item apart from the others."""

    item: str  # ownership and change-log key: "route", "vacancy"
    noun: str  # in messages: "training route", "vacancy"
    plural: str  # "routes", "vacancies"
    owner_noun: str  # "provider", "employer"
    model: Any  # the ORM class of the parent table
    owner_column: str  # "provider_id", "employer_id"
    child_key: str  # the children's foreign key column: "route_id", "vacancy_id"
    children: tuple[Any, ...]  # child ORM classes, rewritten whole on every change
    parent_row: Callable[[dict[str, Any]], dict[str, Any]]  # normalised item -> parent columns
    child_rows: Callable[[uuid.UUID, dict[str, Any]], dict[Any, list[dict[str, Any]]]]
    read: Callable[[Any, Context], tuple[dict[str, Any] | None, dict[str, list[str]]]]
    as_input: Callable[[Any], dict[str, Any]]  # a stored item in the API input shape
    merge: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]  # PATCH semantics
    loader_options: Callable[[], list[Any]]


def write_items(session: Session, kind: ItemKind, *, owner_id: uuid.UUID,
                new: Sequence[New] = (), changed: Sequence[Changed] = ()) -> None:
    """Insert new items and rewrite changed ones with their children, by executemany."""
    model = kind.model
    now = utcnow()
    if new:
        session.execute(insert(model), [
            {"id": item_id, kind.owner_column: owner_id, "version": 1, "created_at": now,
             "updated_at": now, **kind.parent_row(item)}
            for item_id, item in new
        ])
    if changed:
        session.execute(update(model), [
            {"id": item_id, "version": version + 1, "updated_at": now, **kind.parent_row(item)}
            for item_id, version, item in changed
        ])
        changed_ids = [item_id for item_id, _v, _i in changed]
        for child in kind.children:
            key = getattr(child, kind.child_key)
            for chunk in chunks(changed_ids):
                session.execute(delete(child).where(key.in_(chunk)))
    children: dict[Any, list[dict[str, Any]]] = {child: [] for child in kind.children}
    for item_id, item in [*new, *((i, item) for i, _v, item in changed)]:
        for child, rows in kind.child_rows(item_id, item).items():
            children[child].extend(rows)
    for child in kind.children:
        for chunk in chunks(children[child], 5000):
            session.execute(insert(child), list(chunk))
    record_changes(session, kind.item, [i for i, _n in new] + [i for i, _v, _c in changed])
    session.flush()


def save_items(session: Session, kind: ItemKind, *, owner_id: uuid.UUID,
               items: Sequence[dict[str, Any]]) -> catalogue.SaveResult:
    """Upsert normalised items by external id: new ones inserted, changed ones rewritten."""
    model = kind.model
    external_ids = [item["external_id"] for item in items if item["external_id"]]
    existing: dict[str, tuple[uuid.UUID, str, int]] = {}
    for chunk in chunks(external_ids):
        query = select(model.external_id, model.id, model.digest, model.version).where(
            getattr(model, kind.owner_column) == owner_id,
            model.deleted_at.is_(None),
            model.external_id.in_(chunk),
        )
        for external_id, item_id, digest, version in session.execute(query):
            existing[external_id] = (item_id, digest, version)
    new, changed, result = catalogue.plan_upsert(items, existing)
    write_items(session, kind, owner_id=owner_id, new=new, changed=changed)
    return result


def get_item(session: Session, kind: ItemKind, item_id: uuid.UUID | str) -> Any:
    """Return a live item or raise NotFound."""
    return catalogue.get_owned(session, kind.model, item_id, kind.noun)


def _check_external_id(session: Session, kind: ItemKind, owner_id: uuid.UUID,
                       external_id: str | None, item_id: uuid.UUID | None) -> None:
    """Raise Conflict if another live item of the owner has this external id."""
    if not external_id:
        return
    model = kind.model
    query = select(model.id).where(
        getattr(model, kind.owner_column) == owner_id, model.external_id == external_id,
        model.deleted_at.is_(None),
    )
    other = session.scalars(query).first()
    if other is not None and other != item_id:
        raise Conflict(
            f"Another {kind.item} of this {kind.owner_noun} has external id {external_id!r}.",
            details={"external_id": ["Already in use; import upserts by it."]})


def _reload(session: Session, kind: ItemKind, item_id: uuid.UUID) -> Any:
    """Return the item freshly loaded (the bulk statements bypass the identity map)."""
    return session.scalars(
        select(kind.model).where(kind.model.id == item_id)
        .options(*kind.loader_options()).execution_options(populate_existing=True)
    ).one()


def _read(session: Session, kind: ItemKind, data: dict[str, Any]) -> dict[str, Any]:
    """Return an item normalised against the taxonomy and catalogue, or raise 422."""
    item, errors = kind.read(data, catalogue.build_context(session, [data]))
    if item is None:
        raise catalogue.invalid(errors)
    return item


def create_item(session: Session, kind: ItemKind, *, caller: Caller, data: dict[str, Any],
                owner_id: uuid.UUID | None) -> Any:
    """Create an item for the caller's organisation (admins name the owner)."""
    owner = catalogue.owner_for_create(session, caller, kind.item, owner_id)
    item = _read(session, kind, data)
    _check_external_id(session, kind, owner, item["external_id"], None)
    item_id = uuid.uuid4()
    write_items(session, kind, owner_id=owner, new=[(item_id, item)])
    return _reload(session, kind, item_id)


def _check_may_manage(kind: ItemKind, caller: Caller, row: Any, verb: str) -> None:
    """Raise Forbidden unless the caller may manage this item."""
    if not may_manage(caller, kind.item, getattr(row, kind.owner_column)):
        raise Forbidden(f"You may only {verb} your own organisation's {kind.plural}.")


def update_item(session: Session, kind: ItemKind, *, caller: Caller, row: Any,
                changes: dict[str, Any], expected_version: Collection[int]) -> Any:
    """Apply a partial change to an item; a change that changes nothing keeps the version."""
    _check_may_manage(kind, caller, row, "change")
    catalogue.check_version(row.version, expected_version)
    item = _read(session, kind, kind.merge(kind.as_input(row), changes))
    if item["digest"] == row.digest:
        return row
    owner_id = getattr(row, kind.owner_column)
    _check_external_id(session, kind, owner_id, item["external_id"], row.id)
    write_items(session, kind, owner_id=owner_id, changed=[(row.id, row.version, item)])
    return _reload(session, kind, row.id)


def delete_item(session: Session, kind: ItemKind, *, caller: Caller, row: Any,
                expected_version: Collection[int]) -> None:
    """Delete an item softly: it leaves the catalogue, match history can still name it."""
    _check_may_manage(kind, caller, row, "delete")
    catalogue.check_version(row.version, expected_version)
    row.deleted_at = utcnow()
    row.version += 1
    record_changes(session, kind.item, [row.id], "remove")
    session.flush()


def live_items(kind: ItemKind, *, region: str | None = None,
               owner: uuid.UUID | None = None) -> Any:
    """Return the select of an item kind's live rows, in a region and of an owner if given."""
    query = select(kind.model).where(kind.model.deleted_at.is_(None))
    if region:
        query = query.where(kind.model.region == region)
    if owner:
        query = query.where(getattr(kind.model, kind.owner_column) == owner)
    return query


def list_page(session: Session, kind: ItemKind, query: Any, *, cursor: str | None,
              limit: int) -> tuple[list[Any], str | None]:
    """Return one page of a filtered query ordered by title, and the cursor of the next page."""
    query = catalogue.page_by_title(query, kind.model, cursor=cursor, limit=limit)
    items = list(session.scalars(query.options(*kind.loader_options())))
    return catalogue.split_page(items, limit)

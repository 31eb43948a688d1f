"""Bring a table in line with a list of rows: insert what is new, update what changed, delete
what is gone. Running it twice with the same rows writes nothing the second time."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, delete, insert, select, tuple_, update
from sqlalchemy.orm import Session

from goudenpoort.batches import chunks

BATCH = 2000
Progress = Callable[[int], None]


@dataclass
class SyncResult:
    """What a sync did to one table."""

    table: str
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        """Tell whether anything was written."""
        return bool(self.inserted or self.updated or self.deleted)


@dataclass
class TableSpec:
    """A model, the columns that identify a row, and the rows it should hold."""

    model: Any
    key: Sequence[str]
    rows: list[dict[str, Any]]
    scope: ColumnElement[bool] | None = None  # limit the sync to part of the table
    columns: Sequence[str] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not self.columns:
            self.columns = tuple(self.rows[0]) if self.rows else tuple(self.key)


def sync_table(session: Session, spec: TableSpec, progress: Progress | None = None) -> SyncResult:
    """Make the table (within its scope) hold exactly spec.rows; return the counts."""
    model = spec.model
    table = model.__table__
    result = SyncResult(table.name)
    pk_names = [c.name for c in table.primary_key.columns]
    key_cols = [table.c[name] for name in spec.key]
    value_names = [n for n in spec.columns if n not in spec.key]
    query = select(*key_cols, *[table.c[n] for n in value_names], *[table.c[n] for n in pk_names])
    if spec.scope is not None:
        query = query.where(spec.scope)
    existing: dict[tuple, tuple[tuple, dict[str, Any]]] = {}
    width = len(spec.key)
    for row in session.execute(query):
        values = tuple(row[width : width + len(value_names)])
        pks = {n: row[width + len(value_names) + i] for i, n in enumerate(pk_names)}
        existing[tuple(row[:width])] = (values, pks)

    wanted: dict[tuple, dict[str, Any]] = {}
    for row in spec.rows:
        wanted[tuple(row[k] for k in spec.key)] = row

    to_insert: list[dict[str, Any]] = []
    to_update: list[dict[str, Any]] = []
    for key, row in wanted.items():
        current = existing.get(key)
        if current is None:
            to_insert.append(row)
        elif tuple(row[n] for n in value_names) != current[0]:
            to_update.append({**current[1], **{n: row[n] for n in value_names}})
        else:
            result.unchanged += 1
    gone = [key for key in existing if key not in wanted]

    for chunk in chunks(gone, BATCH):
        statement = delete(model).where(tuple_(*key_cols).in_(chunk))
        if spec.scope is not None:  # the same key may exist outside the scope: leave it
            statement = statement.where(spec.scope)
        session.execute(statement)
        result.deleted += len(chunk)
        if progress:
            progress(len(chunk))
    for chunk in chunks(to_update, BATCH):
        session.execute(update(model), chunk)
        result.updated += len(chunk)
        if progress:
            progress(len(chunk))
    for chunk in chunks(to_insert, BATCH):
        session.execute(insert(model), chunk)
        result.inserted += len(chunk)
        if progress:
            progress(len(chunk))
    if progress:
        progress(result.unchanged)
    return result

"""Keyset (cursor) pagination over (created_at, id): stable under inserts, no OFFSET scans."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute, Session

from goudenpoort.errors import ValidationFailed

T = TypeVar("T")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows and the cursor of the next page (None on the last)."""

    items: list[T]
    next_cursor: str | None


def _naive_utc(moment: datetime) -> datetime:
    """Normalise to naive UTC so cursors compare alike on SQLite (no zone) and PostgreSQL."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def encode_cursor(created_at: datetime, row_id: uuid.UUID) -> str:
    """Return the opaque cursor pointing after this row."""
    raw = json.dumps([_naive_utc(created_at).isoformat(), str(row_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    """Return (created_at, id) of a cursor, or raise a 422 naming the `cursor` parameter."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        stamp, row_id = json.loads(raw)
        moment = datetime.fromisoformat(stamp)
        return moment.replace(tzinfo=UTC), uuid.UUID(row_id)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise ValidationFailed(details={"cursor": ["Not a valid cursor."]}) from exc


def paginate(
    session: Session,
    query: Select[Any],
    *,
    created_at: InstrumentedAttribute[datetime],
    row_id: InstrumentedAttribute[uuid.UUID],
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    newest_first: bool = False,
) -> Page[Any]:
    """Return one page of the query ordered by (created_at, id)."""
    limit = max(1, min(limit, MAX_LIMIT))
    if cursor:
        after_at, after_id = decode_cursor(cursor)
        if newest_first:
            query = query.where(or_(created_at < after_at,
                                    and_(created_at == after_at, row_id < after_id)))
        else:
            query = query.where(or_(created_at > after_at,
                                    and_(created_at == after_at, row_id > after_id)))
    order = (created_at.desc(), row_id.desc()) if newest_first else (created_at, row_id)
    rows = list(session.scalars(query.order_by(*order).limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(getattr(last, created_at.key), getattr(last, row_id.key))
    return Page(rows, next_cursor)


def paginate_list(
    items: list[T],
    *,
    key: Any,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[T]:
    """Page through an already sorted (oldest first) short list; `key(item)` is (created_at, id)."""
    limit = max(1, min(limit, MAX_LIMIT))
    if cursor:
        after = decode_cursor(cursor)
        after_key = (_naive_utc(after[0]), after[1])
        items = [item for item in items
                 if (_naive_utc(key(item)[0]), key(item)[1]) > after_key]
    if len(items) <= limit:
        return Page(items, None)
    page = items[:limit]
    return Page(page, encode_cursor(*key(page[-1])))

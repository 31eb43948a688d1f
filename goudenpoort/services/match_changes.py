"""Append to the match change log in the writer's own transaction (one row per changed item).

The write services call `record_changes` once per write path; a bulk import writes one row per
changed item in one executemany. Workers read the log to refresh their matching index, so a
change is seen by the next match request on every worker, and a rolled-back write leaves no row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from models import MatchChange
from models.base import utcnow
from models.matching import MATCH_OPS, MATCH_SIDES

BATCH = 5000


def record_changes(session: Session, side: str, item_ids: Iterable[uuid.UUID | str],
                   op: str = "upsert") -> None:
    """Log that these items of one side changed (`upsert`) or left the catalogue (`remove`)."""
    if side not in MATCH_SIDES or op not in MATCH_OPS:
        raise ValueError(f"unknown match change {side!r}/{op!r}")
    now = utcnow()
    rows = [{"side": side, "item_id": str(item_id), "op": op, "at": now} for item_id in item_ids]
    for start in range(0, len(rows), BATCH):
        session.execute(insert(MatchChange), rows[start : start + BATCH])


def last_change_id(session: Session) -> int:
    """Return the id of the newest change (0 when the log is empty)."""
    return int(session.scalar(select(func.max(MatchChange.id))) or 0)

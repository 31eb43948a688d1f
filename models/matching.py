"""The match change log: which profile, route, vacancy or employer changed, in commit order.

Every write to something the matching index holds appends a row in the same transaction, so
each gunicorn worker can bring its in-memory index up to date by reading the rows after the
last one it applied (see goudenpoort/services/match_index.py).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamp

MATCH_SIDES = ("candidate", "route", "vacancy", "employer")
MATCH_OPS = ("upsert", "remove")


class MatchChange(Base):
    """One change of one indexed thing; the id only grows (PostgreSQL sequence, SQLite rowid)."""

    __tablename__ = "match_changes"
    __table_args__ = (
        CheckConstraint(f"side IN {MATCH_SIDES!r}", name="side"),
        CheckConstraint(f"op IN {MATCH_OPS!r}", name="op"),
    )

    # INTEGER PRIMARY KEY on SQLite is the rowid (autoincrementing); BIGINT identity elsewhere.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    side: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[str] = mapped_column(String(255))
    op: Mapped[str] = mapped_column(String(8))
    at: Mapped[Timestamp] = mapped_column(index=True)

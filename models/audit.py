"""The audit log of reads of candidates' personal data.

Entries hold only opaque identifiers and the endpoint, never personal data, and have no
foreign keys: they outlive the erasure of the candidate (and of accounts) they refer to.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamp, UuidPk

AUDIT_ACTIONS = ("read", "export", "erase")


class AuditEntry(Base):
    """Who touched which candidate's data, through which endpoint, when."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_created_at_id", "created_at", "id"),
        Index("ix_audit_entries_candidate_id_created_at", "candidate_id", "created_at"),
    )

    id: Mapped[UuidPk]
    actor_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    actor_role: Mapped[str] = mapped_column(String(16))
    candidate_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(String(16))
    endpoint: Mapped[str] = mapped_column(String(200))  # e.g. "GET /api/v1/candidates/<id>"
    created_at: Mapped[Timestamp]

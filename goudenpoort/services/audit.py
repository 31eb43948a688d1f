"""The audit log: every read of a candidate's personal data by anyone but the candidate."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from goudenpoort.services.pagination import Page, paginate
from models import Account, AuditEntry
from models.base import utcnow


def record_read(
    session: Session,
    *,
    actor: Account,
    candidate_id: uuid.UUID,
    endpoint: str,
    action: str = "read",
    account_id: uuid.UUID | None = None,
) -> None:
    """Log that the actor read a candidate's data through an endpoint (the candidate: no log).

    `endpoint` is the route, e.g. "GET /api/v1/candidates/<uuid:candidate_id>", never a URL
    with query values. `account_id` is the candidate's own account, when the caller knows it;
    without it every read by a non-candidate role is logged (candidates only read themselves).
    """
    record_reads(session, actor=actor, candidate_ids=[candidate_id], endpoint=endpoint,
                 action=action, account_ids={candidate_id: account_id})


def record_reads(
    session: Session,
    *,
    actor: Account,
    candidate_ids: Iterable[uuid.UUID],
    endpoint: str,
    action: str = "read",
    account_ids: dict[uuid.UUID, uuid.UUID | None] | None = None,
) -> None:
    """Log one read per candidate in one statement (a listed page is a read of each)."""
    account_ids = account_ids or {}
    now = utcnow()
    rows = []
    for candidate_id in candidate_ids:
        # The candidate reading themself is not logged; unknown link: candidates only ever
        # reach their own profile (policy), so a candidate's read is their own.
        if actor.role == "candidate" and account_ids.get(candidate_id) in (None, actor.id):
            continue
        rows.append({"id": uuid.uuid4(), "actor_id": actor.id, "actor_role": actor.role,
                     "candidate_id": candidate_id, "action": action, "endpoint": endpoint,
                     "created_at": now})
    if rows:
        session.execute(insert(AuditEntry), rows)


def record_erasure(
    session: Session, *, actor: Account, candidate_id: uuid.UUID, endpoint: str
) -> None:
    """Log an erasure, also the candidate's own: proof that it happened, with no personal data."""
    session.add(AuditEntry(actor_id=actor.id, actor_role=actor.role, candidate_id=candidate_id,
                           action="erase", endpoint=endpoint, created_at=utcnow()))


def list_entries(
    session: Session,
    *,
    candidate_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 20,
    cursor: str | None = None,
) -> Page[AuditEntry]:
    """Return a page of audit entries, newest first, with optional filters."""
    query = select(AuditEntry)
    if candidate_id is not None:
        query = query.where(AuditEntry.candidate_id == candidate_id)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if since is not None:
        query = query.where(AuditEntry.created_at >= since)
    if until is not None:
        query = query.where(AuditEntry.created_at < until)
    return paginate(session, query, created_at=AuditEntry.created_at, row_id=AuditEntry.id,
                    limit=limit, cursor=cursor, newest_first=True)


def entries_for(session: Session, candidate_id: uuid.UUID) -> list[AuditEntry]:
    """Return every audit entry about one candidate, oldest first (for the export)."""
    query = (select(AuditEntry).where(AuditEntry.candidate_id == candidate_id)
             .order_by(AuditEntry.created_at, AuditEntry.id))
    return list(session.scalars(query))

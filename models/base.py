"""Declarative base, naming convention and shared column types for every ORM model."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import DateTime, MetaData, String, Uuid
from sqlalchemy.orm import DeclarativeBase, mapped_column

# A fixed naming convention keeps constraint names identical on SQLite and PostgreSQL, so
# Alembic autogenerate and batch migrations can find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base class of every ORM model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# ESCO concept URIs are the natural keys of the taxonomy; the longest in v1.1.1 is 81 chars.
ConceptUri = Annotated[str, mapped_column(String(255))]
# Opaque, non-sequential identifiers for people and organisations (API.md: nobody can count).
UuidPk = Annotated[uuid.UUID, mapped_column(Uuid, primary_key=True, default=uuid.uuid4)]
Timestamp = Annotated[datetime, mapped_column(DateTime(timezone=True), default=utcnow)]

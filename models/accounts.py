"""Accounts (one role each, in one organisation) and their bearer tokens (stored as hashes)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamp, UuidPk
from models.organisations import Organisation

ROLES = ("admin", "adviser", "candidate", "provider", "employer")
# Which organisation kinds each role may belong to.
ROLE_ORGANISATION_KINDS = {
    "admin": ("operator",),
    "adviser": ("desk",),
    "candidate": ("desk",),  # a candidate belongs to the desk whose adviser made the intake
    "provider": ("training_centre",),
    "employer": ("employer",),
}


class Account(Base):
    """A person who signs in; the role decides what they may do."""

    __tablename__ = "accounts"
    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role"),)

    id: Mapped[UuidPk]
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[Timestamp]

    organisation: Mapped[Organisation] = relationship(back_populates="accounts")
    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="account", cascade="all, delete-orphan"
    )


class ApiToken(Base):
    """A bearer token: only its SHA-256 is stored; the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[UuidPk]
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # first characters, to tell tokens apart
    created_at: Mapped[Timestamp]
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    account: Mapped[Account] = relationship(back_populates="tokens")

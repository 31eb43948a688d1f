"""Organisations: adviser desks, training centres, employers and the operator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamp, UuidPk

if TYPE_CHECKING:
    from models.accounts import Account

ORGANISATION_KINDS = ("desk", "training_centre", "employer", "operator")


class Organisation(Base):
    """An organisation that accounts belong to."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(f"kind IN {ORGANISATION_KINDS!r}", name="kind"),
    )

    id: Mapped[UuidPk]
    kind: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(ForeignKey("regions.slug"))
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)  # ETag source
    created_at: Mapped[Timestamp]

    accounts: Mapped[list[Account]] = relationship(back_populates="organisation")

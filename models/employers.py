"""Employer profiles: one per employer organisation, with sectors, places and occupations."""

from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, ConceptUri, Timestamp
from models.organisations import Organisation
from models.taxonomy import Occupation

# Sectors of the Dutch technical branch, as slugs (candidates' interests use the same ones).
SECTORS = (
    "installatietechniek",
    "elektrotechniek",
    "metaal",
    "mechatronica",
    "procesindustrie",
    "energie",
    "bouw",
    "infra",
    "automotive",
    "maritiem",
)
# Company size after the EU definition: <10, <50, <250, 250+ employees.
EMPLOYER_SIZES = ("micro", "small", "medium", "large")


class EmployerProfile(Base):
    """The profile of an employer organisation (one-to-one, keyed by the organisation)."""

    __tablename__ = "employer_profiles"
    __table_args__ = (
        CheckConstraint(f"size IN {EMPLOYER_SIZES!r}", name="size"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    size: Mapped[str | None] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)  # ETag source
    created_at: Mapped[Timestamp]
    updated_at: Mapped[Timestamp]

    organisation: Mapped[Organisation] = relationship()
    sectors: Mapped[list[EmployerSector]] = relationship(
        cascade="all, delete-orphan", order_by="EmployerSector.position"
    )
    places: Mapped[list[EmployerPlace]] = relationship(
        cascade="all, delete-orphan", order_by="EmployerPlace.position"
    )
    occupations: Mapped[list[EmployerOccupation]] = relationship(
        cascade="all, delete-orphan", order_by="EmployerOccupation.position"
    )


class EmployerSector(Base):
    """A sector an employer works in."""

    __tablename__ = "employer_sectors"
    __table_args__ = (CheckConstraint(f"sector IN {SECTORS!r}", name="sector"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employer_profiles.organisation_id", ondelete="CASCADE"), primary_key=True
    )
    sector: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class EmployerPlace(Base):
    """A place where an employer has work (a site, a depot, a workshop)."""

    __tablename__ = "employer_places"

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employer_profiles.organisation_id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    place: Mapped[str] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(ForeignKey("regions.slug"), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)


class EmployerOccupation(Base):
    """An ESCO occupation the employer hires for, with or without an open vacancy."""

    __tablename__ = "employer_occupations"

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employer_profiles.organisation_id", ondelete="CASCADE"), primary_key=True
    )
    occupation_uri: Mapped[ConceptUri] = mapped_column(
        ForeignKey("occupations.uri"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    occupation: Mapped[Occupation] = relationship()

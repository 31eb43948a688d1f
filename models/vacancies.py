"""Employers' vacancies with the ESCO occupation and the skills they require."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, ConceptUri, Timestamp, UuidPk
from models.organisations import Organisation
from models.taxonomy import Occupation, Skill

VACANCY_STATUSES = ("open", "closed")


class Vacancy(Base):
    """A vacancy; deleting one only sets `deleted_at`, so match history keeps its target."""

    __tablename__ = "vacancies"
    __table_args__ = (
        CheckConstraint(f"status IN {VACANCY_STATUSES!r}", name="status"),
        Index(
            "uq_vacancies_employer_external_id",
            "employer_id", "external_id",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[UuidPk]
    employer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    occupation_uri: Mapped[ConceptUri] = mapped_column(ForeignKey("occupations.uri"), index=True)
    min_dutch_cefr: Mapped[str | None] = mapped_column(String(2))
    min_education: Mapped[str | None] = mapped_column(String(32))
    hours_per_week: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(100), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    region: Mapped[str | None] = mapped_column(ForeignKey("regions.slug"), index=True)
    positions: Mapped[int] = mapped_column(Integer, default=1)
    # The Gouden Poort's 10-year work-and-development guarantee comes with this job.
    guarantee: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    digest: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)  # ETag source
    created_at: Mapped[Timestamp]
    updated_at: Mapped[Timestamp]
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    employer: Mapped[Organisation] = relationship(foreign_keys=[employer_id])
    occupation: Mapped[Occupation] = relationship()
    skills: Mapped[list[VacancySkill]] = relationship(
        cascade="all, delete-orphan", order_by="VacancySkill.position"
    )


class VacancySkill(Base):
    """A skill a vacancy asks for: essential or optional, at a level from 1 to 4."""

    __tablename__ = "vacancy_skills"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 4", name="level"),)

    vacancy_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True
    )
    skill_uri: Mapped[ConceptUri] = mapped_column(
        ForeignKey("skills.uri"), primary_key=True, index=True
    )
    essential: Mapped[bool] = mapped_column(Boolean, default=True)
    level: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)

    skill: Mapped[Skill] = relationship()

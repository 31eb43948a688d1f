"""Intake profiles of candidates with their skills, work history, languages and consents.

No column holds nationality, ethnicity, religion or health: the profile records only what
placement needs (data minimisation, GDPR art. 5(1)(c); art. 9 data is never asked).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, ConceptUri, Timestamp, UuidPk, utcnow
from models.scales import CEFR_LEVELS, EDUCATION_LEVELS

CANDIDATE_KINDS = ("starter", "switcher", "newcomer", "experienced")
# Evaluation of a foreign diploma (e.g. by Nuffic/IDW or SBB).
RECOGNITION_STATUSES = ("not_requested", "pending", "recognised", "partially_recognised",
                        "not_recognised")
RIGHT_TO_WORK = ("yes", "pending", "no")
SKILL_SOURCES = ("self", "adviser", "certified", "inferred")
CONSENT_AUDIENCES = ("providers", "employers")
INTEREST_KINDS = ("sector", "occupation")


class Candidate(Base):
    """A candidate's intake profile, owned by the adviser desk that made the intake."""

    __tablename__ = "candidates"
    __table_args__ = (
        CheckConstraint(f"kind IN {CANDIDATE_KINDS!r}", name="kind"),
        CheckConstraint(f"education_level IN {EDUCATION_LEVELS!r}", name="education_level"),
        CheckConstraint(f"education_recognition IN {RECOGNITION_STATUSES!r}",
                        name="education_recognition"),
        CheckConstraint(f"right_to_work IN {RIGHT_TO_WORK!r}", name="right_to_work"),
        Index("ix_candidates_organisation_id_created_at", "organisation_id", "created_at", "id"),
        Index("ix_candidates_created_at_id", "created_at", "id"),
    )

    id: Mapped[UuidPk]
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    adviser_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    # The candidate's own account, if they have one (it is erased with the profile).
    account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(16), index=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    region: Mapped[str | None] = mapped_column(ForeignKey("regions.slug"), index=True)
    max_travel_km: Mapped[int | None] = mapped_column(Integer)
    education_level: Mapped[str | None] = mapped_column(String(32))
    education_field: Mapped[str | None] = mapped_column(String(200))
    education_foreign: Mapped[bool | None] = mapped_column(Boolean)
    education_recognition: Mapped[str | None] = mapped_column(String(32))
    right_to_work: Mapped[str | None] = mapped_column(String(16))  # newcomers only
    hours_per_week: Mapped[int | None] = mapped_column(Integer)
    available_from: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    # Current consent per audience; every change is also kept in candidate_consents.
    consent_providers: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    consent_employers: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[Timestamp]
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    # The version is a compare-and-set in the UPDATE itself (WHERE version = old), so two
    # concurrent writers cannot both pass an If-Match check; the services bump it explicitly.
    __mapper_args__: dict[str, Any] = {"version_id_col": version, "version_id_generator": False}

    skills: Mapped[list[CandidateSkill]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", passive_deletes=True,
        order_by="CandidateSkill.skill_uri",
    )
    experience: Mapped[list[CandidateExperience]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="CandidateExperience.position"
    )
    languages: Mapped[list[CandidateLanguage]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="CandidateLanguage.code"
    )
    interests: Mapped[list[CandidateInterest]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="CandidateInterest.position"
    )
    consents: Mapped[list[CandidateConsent]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True,
        order_by="[CandidateConsent.created_at, CandidateConsent.id]",
    )
    revisions: Mapped[list[CandidateRevision]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True,
        order_by="[CandidateRevision.created_at, CandidateRevision.id]",
    )


class CandidateSkill(Base):
    """An ESCO skill of a candidate with level 1-4 and where it came from."""

    __tablename__ = "candidate_skills"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="level"),
        CheckConstraint(f"source IN {SKILL_SOURCES!r}", name="source"),
    )

    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True
    )
    skill_uri: Mapped[ConceptUri] = mapped_column(ForeignKey("skills.uri"), primary_key=True,
                                                  index=True)
    level: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    # Inferred skills start unconfirmed; an adviser confirms (keeping the provenance) or drops.
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    inferred_from: Mapped[str | None] = mapped_column(String(255))  # occupation URI
    confirmed_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[Timestamp]

    candidate: Mapped[Candidate] = relationship(back_populates="skills")


class CandidateExperience(Base):
    """A past occupation (ESCO) with the years worked in it."""

    __tablename__ = "candidate_experience"
    __table_args__ = (CheckConstraint("years >= 0", name="years"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    occupation_uri: Mapped[ConceptUri] = mapped_column(ForeignKey("occupations.uri"))
    years: Mapped[float] = mapped_column(Float)


class CandidateLanguage(Base):
    """A language (ISO 639-1) with the candidate's CEFR level."""

    __tablename__ = "candidate_languages"
    __table_args__ = (CheckConstraint(f"cefr IN {CEFR_LEVELS!r}", name="cefr"),)

    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    cefr: Mapped[str] = mapped_column(String(2))


class CandidateInterest(Base):
    """An interest: a sector (free slug) or an ESCO occupation."""

    __tablename__ = "candidate_interests"
    __table_args__ = (CheckConstraint(f"kind IN {INTEREST_KINDS!r}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(255))


class CandidateConsent(Base):
    """One change of consent for one audience: kept for the record, never updated."""

    __tablename__ = "candidate_consents"
    __table_args__ = (CheckConstraint(f"audience IN {CONSENT_AUDIENCES!r}", name="audience"),)

    id: Mapped[UuidPk]
    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    audience: Mapped[str] = mapped_column(String(16))
    granted: Mapped[bool] = mapped_column(Boolean)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    actor_role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[Timestamp]


class CandidateRevision(Base):
    """One write to a profile: which fields changed from what to what, by whom (provenance)."""

    __tablename__ = "candidate_revisions"

    id: Mapped[UuidPk]
    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    actor_role: Mapped[str] = mapped_column(String(16))
    # {"field path": {"old": ..., "new": ...}}; skills and languages keyed per item.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[Timestamp]

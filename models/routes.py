"""Training routes offered by training centres, with their modules, skills and occupations."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
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

ROUTE_LEVELS = (
    "mbo-1", "mbo-2", "mbo-3", "mbo-4", "associate-degree", "hbo", "short-course", "in-company",
)
ROUTE_MODES = ("bbl", "bol", "part-time", "hybrid", "e-learning")
ROUTE_SKILL_RELATIONS = ("taught", "required")


class TrainingRoute(Base):
    """A training route; deleting one only sets `deleted_at`, so match history keeps its target."""

    __tablename__ = "training_routes"
    __table_args__ = (
        CheckConstraint(f"level IN {ROUTE_LEVELS!r}", name="level"),
        CheckConstraint(f"mode IN {ROUTE_MODES!r}", name="mode"),
        # An external id names one live route per provider; a deleted route frees its id.
        Index(
            "uq_training_routes_provider_external_id",
            "provider_id", "external_id",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[UuidPk]
    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(String(32))
    mode: Mapped[str] = mapped_column(String(32))
    place: Mapped[str] = mapped_column(String(100), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    region: Mapped[str | None] = mapped_column(ForeignKey("regions.slug"), index=True)
    duration_weeks: Mapped[int | None] = mapped_column(Integer)
    hours_per_week: Mapped[int | None] = mapped_column(Integer)
    start_dates: Mapped[list[Any]] = mapped_column(JSON, default=list)  # ISO dates, ascending
    seats: Mapped[int | None] = mapped_column(Integer)
    cost_eur: Mapped[int | None] = mapped_column(Integer)
    funding_notes: Mapped[str] = mapped_column(Text, default="")
    min_education: Mapped[str | None] = mapped_column(String(32))
    min_dutch_cefr: Mapped[str | None] = mapped_column(String(2))
    # SHA-256 of the canonical content: an import of an unchanged row writes nothing.
    digest: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)  # ETag source
    created_at: Mapped[Timestamp]
    updated_at: Mapped[Timestamp]
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    provider: Mapped[Organisation] = relationship(foreign_keys=[provider_id])
    skills: Mapped[list[RouteSkill]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (RouteSkill.relation, RouteSkill.position)
    )
    modules: Mapped[list[RouteModule]] = relationship(
        cascade="all, delete-orphan", order_by="RouteModule.position"
    )
    module_skills: Mapped[list[RouteModuleSkill]] = relationship(
        cascade="all, delete-orphan",
        order_by=lambda: (RouteModuleSkill.module_position, RouteModuleSkill.position),
    )
    occupations: Mapped[list[RouteOccupation]] = relationship(
        cascade="all, delete-orphan", order_by="RouteOccupation.position"
    )
    partners: Mapped[list[RoutePartner]] = relationship(
        cascade="all, delete-orphan", order_by="RoutePartner.position"
    )


class RouteSkill(Base):
    """A skill a route teaches (with target level) or requires beforehand (with minimum level)."""

    __tablename__ = "route_skills"
    __table_args__ = (
        CheckConstraint(f"relation IN {ROUTE_SKILL_RELATIONS!r}", name="relation"),
        CheckConstraint("level BETWEEN 1 AND 4", name="level"),
    )

    route_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_routes.id", ondelete="CASCADE"), primary_key=True
    )
    relation: Mapped[str] = mapped_column(String(16), primary_key=True)
    skill_uri: Mapped[ConceptUri] = mapped_column(
        ForeignKey("skills.uri"), primary_key=True, index=True
    )
    level: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)

    skill: Mapped[Skill] = relationship()


class RouteModule(Base):
    """One module of a modular route: switchers can take only the modules they need."""

    __tablename__ = "route_modules"

    route_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_routes.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    hours: Mapped[int | None] = mapped_column(Integer)


class RouteModuleSkill(Base):
    """A skill taught by one module (keyed by the module's position in its route)."""

    __tablename__ = "route_module_skills"

    route_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_routes.id", ondelete="CASCADE"), primary_key=True
    )
    module_position: Mapped[int] = mapped_column(Integer, primary_key=True)
    skill_uri: Mapped[ConceptUri] = mapped_column(
        ForeignKey("skills.uri"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    skill: Mapped[Skill] = relationship()


class RouteOccupation(Base):
    """An ESCO occupation the route prepares for."""

    __tablename__ = "route_occupations"

    route_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_routes.id", ondelete="CASCADE"), primary_key=True
    )
    occupation_uri: Mapped[ConceptUri] = mapped_column(
        ForeignKey("occupations.uri"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    occupation: Mapped[Occupation] = relationship()


class RoutePartner(Base):
    """An employer that guarantees a job to those who finish the route."""

    __tablename__ = "route_partners"

    route_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_routes.id", ondelete="CASCADE"), primary_key=True
    )
    employer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    employer: Mapped[Organisation] = relationship()

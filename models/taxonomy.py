"""ESCO taxonomy: skills (and skill groups), occupations, ISCO groups and their relations."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, ConceptUri


class Skill(Base):
    """An ESCO skill, knowledge item or skill group (kind `group`), keyed by its URI."""

    __tablename__ = "skills"

    uri: Mapped[ConceptUri] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # skill | group
    skill_type: Mapped[str] = mapped_column(String(32), default="")
    reuse_level: Mapped[str] = mapped_column(String(32), default="")
    code: Mapped[str] = mapped_column(String(32), default="")
    label_en: Mapped[str] = mapped_column(Text)
    label_nl: Mapped[str | None] = mapped_column(Text)
    # Where label_nl comes from: esco (official) or project (data/labels); None if no label_nl.
    label_nl_origin: Mapped[str | None] = mapped_column(String(16))

    labels: Mapped[list[SkillLabel]] = relationship(
        back_populates="skill", cascade="all, delete-orphan", order_by="SkillLabel.id"
    )


class SkillLabel(Base):
    """A preferred, alternative or hidden label of a skill in one language, with its origin."""

    __tablename__ = "skill_labels"
    __table_args__ = (Index("ix_skill_labels_skill_uri_lang", "skill_uri", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    skill_uri: Mapped[ConceptUri] = mapped_column(ForeignKey("skills.uri", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))  # preferred | alt | hidden
    label: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16), default="esco")  # esco | project
    # Which loader owns the row, so each one syncs only its own rows: `release` (data/esco),
    # `import` (an official file loaded by `flask taxonomy import-labels`), `project`
    # (data/labels). `release` and `import` rows have origin esco, `project` rows origin project.
    source: Mapped[str] = mapped_column(
        String(16), default="release", server_default="release", index=True
    )

    skill: Mapped[Skill] = relationship(back_populates="labels")


class SkillBroader(Base):
    """A broader relation: skill to skill group, skill to skill, group to group."""

    __tablename__ = "skill_broader"

    uri: Mapped[ConceptUri] = mapped_column(
        ForeignKey("skills.uri", ondelete="CASCADE"), primary_key=True
    )
    broader_uri: Mapped[ConceptUri] = mapped_column(
        ForeignKey("skills.uri", ondelete="CASCADE"), primary_key=True, index=True
    )


class SkillRelation(Base):
    """ESCO's skill-to-skill relation (`essential` or `optional`) between two skills."""

    __tablename__ = "skill_relations"

    uri: Mapped[ConceptUri] = mapped_column(
        ForeignKey("skills.uri", ondelete="CASCADE"), primary_key=True
    )
    related_uri: Mapped[ConceptUri] = mapped_column(
        ForeignKey("skills.uri", ondelete="CASCADE"), primary_key=True, index=True
    )
    relation_type: Mapped[str] = mapped_column(String(16))


class IscoGroup(Base):
    """An ISCO-08 group as published with ESCO."""

    __tablename__ = "isco_groups"

    uri: Mapped[ConceptUri] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), index=True)
    label_en: Mapped[str] = mapped_column(Text)
    label_nl: Mapped[str | None] = mapped_column(Text)


class Occupation(Base):
    """An ESCO occupation; `technical` marks the 937 occupations of the technical sector."""

    __tablename__ = "occupations"

    uri: Mapped[ConceptUri] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    isco_group: Mapped[str] = mapped_column(String(8), index=True)
    technical: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    label_en: Mapped[str] = mapped_column(Text)
    label_nl: Mapped[str | None] = mapped_column(Text)

    labels: Mapped[list[OccupationLabel]] = relationship(
        back_populates="occupation", cascade="all, delete-orphan", order_by="OccupationLabel.id"
    )
    skill_links: Mapped[list[OccupationSkill]] = relationship(
        back_populates="occupation", cascade="all, delete-orphan"
    )


class OccupationLabel(Base):
    """A preferred, alternative or hidden label of an occupation in one language."""

    __tablename__ = "occupation_labels"
    __table_args__ = (Index("ix_occupation_labels_occupation_uri_lang", "occupation_uri", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occupation_uri: Mapped[ConceptUri] = mapped_column(
        ForeignKey("occupations.uri", ondelete="CASCADE")
    )
    lang: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16), default="esco")

    occupation: Mapped[Occupation] = relationship(back_populates="labels")


class OccupationBroader(Base):
    """A broader relation of the occupation pillar (occupation or ISCO group to its parent)."""

    __tablename__ = "occupation_broader"

    uri: Mapped[ConceptUri] = mapped_column(primary_key=True)
    broader_uri: Mapped[ConceptUri] = mapped_column(primary_key=True, index=True)


class OccupationSkill(Base):
    """An occupation's essential or optional skill."""

    __tablename__ = "occupation_skills"

    occupation_uri: Mapped[ConceptUri] = mapped_column(
        ForeignKey("occupations.uri", ondelete="CASCADE"), primary_key=True
    )
    skill_uri: Mapped[ConceptUri] = mapped_column(
        ForeignKey("skills.uri", ondelete="CASCADE"), primary_key=True, index=True
    )
    relation_type: Mapped[str] = mapped_column(String(16))  # essential | optional

    occupation: Mapped[Occupation] = relationship(back_populates="skill_links")


class TaxonomyRelease(Base):
    """The taxonomy release loaded into this database, with the manifest digest it came from."""

    __tablename__ = "taxonomy_releases"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[str] = mapped_column(String(32))
    digest: Mapped[str] = mapped_column(String(64))

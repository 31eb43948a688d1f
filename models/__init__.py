"""Pure SQLAlchemy 2.0 ORM models; importing this package registers every table on Base."""

from models.base import Base
from models.regions import Region
from models.taxonomy import (
    IscoGroup,
    Occupation,
    OccupationBroader,
    OccupationLabel,
    OccupationSkill,
    Skill,
    SkillBroader,
    SkillLabel,
    SkillRelation,
    TaxonomyRelease,
)

__all__ = [
    "Base",
    "IscoGroup",
    "Occupation",
    "OccupationBroader",
    "OccupationLabel",
    "OccupationSkill",
    "Region",
    "Skill",
    "SkillBroader",
    "SkillLabel",
    "SkillRelation",
    "TaxonomyRelease",
]

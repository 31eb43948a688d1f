"""Pure SQLAlchemy 2.0 ORM models; importing this package registers every table on Base."""

from models.accounts import Account, ApiToken
from models.base import Base
from models.organisations import Organisation
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
    "Account",
    "ApiToken",
    "Base",
    "IscoGroup",
    "Occupation",
    "OccupationBroader",
    "OccupationLabel",
    "OccupationSkill",
    "Organisation",
    "Region",
    "Skill",
    "SkillBroader",
    "SkillLabel",
    "SkillRelation",
    "TaxonomyRelease",
]

"""Pure SQLAlchemy 2.0 ORM models; importing this package registers every table on Base."""

from models.accounts import Account, ApiToken
from models.audit import AuditEntry
from models.base import Base
from models.candidates import (
    Candidate,
    CandidateConsent,
    CandidateExperience,
    CandidateInterest,
    CandidateLanguage,
    CandidateRevision,
    CandidateSkill,
)
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
    "AuditEntry",
    "Base",
    "Candidate",
    "CandidateConsent",
    "CandidateExperience",
    "CandidateInterest",
    "CandidateLanguage",
    "CandidateRevision",
    "CandidateSkill",
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

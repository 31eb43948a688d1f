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
from models.employers import EmployerOccupation, EmployerPlace, EmployerProfile, EmployerSector
from models.matching import MatchChange
from models.organisations import Organisation
from models.regions import Region
from models.routes import (
    RouteModule,
    RouteModuleSkill,
    RouteOccupation,
    RoutePartner,
    RouteSkill,
    TrainingRoute,
)
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
from models.vacancies import Vacancy, VacancySkill

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
    "EmployerOccupation",
    "EmployerPlace",
    "EmployerProfile",
    "EmployerSector",
    "IscoGroup",
    "MatchChange",
    "Occupation",
    "OccupationBroader",
    "OccupationLabel",
    "OccupationSkill",
    "Organisation",
    "Region",
    "RouteModule",
    "RouteModuleSkill",
    "RouteOccupation",
    "RoutePartner",
    "RouteSkill",
    "Skill",
    "SkillBroader",
    "SkillLabel",
    "SkillRelation",
    "TaxonomyRelease",
    "TrainingRoute",
    "Vacancy",
    "VacancySkill",
]

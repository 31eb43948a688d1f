"""Test data for matching: a small world of real ESCO skills, two routes, a vacancy, people."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from goudenpoort.index_registry import EXTENSION
from goudenpoort.services.match_index import MatchRegistry
from models import Account, Occupation, OccupationSkill, Organisation, Skill, TrainingRoute, Vacancy
from tests.catalogue_factories import Concepts, concepts, create_route, create_vacancy
from tests.factories import create_account, create_candidate, create_organisation


def fresh_registry(app: Flask, index_dir: Path | None = None) -> MatchRegistry:
    """Give the app a new, empty registry (no artifacts unless a directory is given)."""
    registry = MatchRegistry(index_dir)
    app.extensions[EXTENSION] = registry
    return registry


def essential_skills(session: Session, occupation_label: str, count: int) -> list[str]:
    """Return the first `count` essential skills (URI order) of an occupation by English label."""
    uri = session.scalars(select(Occupation.uri).where(
        Occupation.label_en == occupation_label)).one()
    return list(session.scalars(
        select(OccupationSkill.skill_uri).join(Skill, Skill.uri == OccupationSkill.skill_uri)
        .where(OccupationSkill.occupation_uri == uri, OccupationSkill.relation_type == "essential",
               Skill.kind == "skill").order_by(OccupationSkill.skill_uri).limit(count)))


def skills(uris: list[str], level: int = 3) -> list[dict[str, Any]]:
    """Return profile skills at one level."""
    return [{"uri": uri, "level": level} for uri in uris]


@dataclass
class World:
    """Two routes (electrician, plumber), one vacancy, their owners and a desk."""

    c: Concepts
    plumbing: list[str]
    desk: Organisation
    adviser: Account
    provider: Organisation
    provider_staff: Account
    employer: Organisation
    employer_staff: Account
    electric_route: TrainingRoute
    plumbing_route: TrainingRoute
    vacancy: Vacancy

    def candidate(self, session: Session, uris: list[str], **fields: Any) -> Any:
        """Create a candidate of the world's desk with these skills at level 3."""
        fields.setdefault("region", "zwolle")
        return create_candidate(session, adviser=self.adviser, skills=skills(uris), **fields)


def build_world(session: Session) -> World:
    """Create the world: electrician route in Zwolle, plumbing route in Twente, a vacancy."""
    c = concepts(session)
    plumbing = essential_skills(session, "plumber", 6)
    desk = create_organisation(session, kind="desk")
    adviser = create_account(session, role="adviser", organisation=desk)
    provider = create_organisation(session, kind="training_centre")
    provider_staff = create_account(session, role="provider", organisation=provider)
    employer = create_organisation(session, kind="employer", region="twente")
    employer_staff = create_account(session, role="employer", organisation=employer)
    electric = create_route(session, provider, c, external_id="R-E", title="Elektromonteur",
                            skills=[{"uri": u, "level": 3} for u in c.skills[1:6]],
                            modules=[{"title": "Basis", "hours": 80,
                                      "skills": [{"uri": c.skills[1]}, {"uri": c.skills[4]}]}])
    plumber = create_route(session, provider, c, external_id="R-P", title="Loodgieter",
                           skills=[{"uri": u, "level": 3} for u in plumbing],
                           modules=[], region="twente", place="Enschede", lat=52.22, lon=6.89,
                           prerequisites={"min_education": None, "min_dutch_cefr": None,
                                          "skills": []})
    vacancy = create_vacancy(session, employer, c, external_id="V-E", title="Elektricien",
                             skills=[{"uri": u, "level": 3, "essential": True}
                                     for u in c.skills[1:8]])
    return World(c, plumbing, desk, adviser, provider, provider_staff, employer, employer_staff,
                 electric, plumber, vacancy)

"""Prefill from work history: propose the essential skills of past occupations, then review.

Proposals are skills with source `inferred`, unconfirmed; they do not count as the
candidate's skills (completeness, matching) until an adviser confirms them. A confirmed
proposal keeps its provenance: source `inferred`, the occupation it came from, who confirmed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from goudenpoort import policy
from goudenpoort.errors import Forbidden, ValidationFailed
from goudenpoort.services.candidates import bump_version, record_revision, skill_value
from models import Account, Candidate, CandidateSkill, OccupationSkill, Skill
from models.base import utcnow


def level_from_years(years: float) -> int:
    """Propose a level from years in the occupation; never 4, expertise needs a judgement."""
    if years < 1:
        return 1
    if years < 3:
        return 2
    return 3


def essential_skills(session: Session, occupation_uris: list[str]) -> dict[str, list[str]]:
    """Return occupation URI -> its essential ESCO skills (not skill groups), in URI order."""
    if not occupation_uris:
        return {}
    query = (
        select(OccupationSkill.occupation_uri, OccupationSkill.skill_uri)
        .join(Skill, Skill.uri == OccupationSkill.skill_uri)
        .where(OccupationSkill.occupation_uri.in_(occupation_uris),
               OccupationSkill.relation_type == "essential", Skill.kind == "skill")
        .order_by(OccupationSkill.occupation_uri, OccupationSkill.skill_uri)
    )
    grouped: dict[str, list[str]] = {}
    for occupation_uri, skill_uri in session.execute(query):
        grouped.setdefault(occupation_uri, []).append(skill_uri)
    return grouped


def propose_skills(session: Session, *, actor: Account, candidate: Candidate
                   ) -> list[CandidateSkill]:
    """Add the essential skills of the candidate's past occupations as unconfirmed proposals.

    Skills already on the profile (from any source) are left alone; a skill shared by
    several past occupations is credited to the one with the most years.
    """
    if not policy.may_review_skills(actor, candidate):
        raise Forbidden("Only the candidate's adviser may prefill skills.")
    years = {item.occupation_uri: item.years for item in candidate.experience}
    by_occupation = essential_skills(session, sorted(years))
    present = {skill.skill_uri for skill in candidate.skills}
    best: dict[str, str] = {}
    for occupation_uri, skill_uris in by_occupation.items():
        for skill_uri in skill_uris:
            if skill_uri in present:
                continue
            held = best.get(skill_uri)
            # Occupations come in URI order, so a tie keeps the first: deterministic.
            if held is None or years[occupation_uri] > years[held]:
                best[skill_uri] = occupation_uri
    if not best:
        return []
    proposals = []
    changes: dict[str, Any] = {}
    now = utcnow()
    for skill_uri in sorted(best):
        occupation_uri = best[skill_uri]
        row = CandidateSkill(skill_uri=skill_uri, level=level_from_years(years[occupation_uri]),
                             source="inferred", confirmed=False, inferred_from=occupation_uri,
                             created_at=now)
        candidate.skills.append(row)
        proposals.append(row)
        changes[f"skills[{skill_uri}]"] = {"old": None, "new": {**skill_value(row),
                                                                "inferred_from": occupation_uri}}
    bump_version(session, candidate)
    record_revision(session, actor, candidate, changes)
    session.flush()
    return proposals


def review_skills(
    session: Session,
    *,
    actor: Account,
    candidate: Candidate,
    confirm: list[dict[str, Any]],
    drop: list[str],
) -> None:
    """Confirm (optionally at another level) or drop proposed skills; all or nothing."""
    if not policy.may_review_skills(actor, candidate):
        raise Forbidden("Only the candidate's adviser may review proposed skills.")
    pending = {s.skill_uri: s for s in candidate.skills if s.source == "inferred"
               and not s.confirmed}
    details: dict[str, list[str]] = {}
    seen: set[str] = set()
    for path, uri in [(f"confirm[{i}].uri", item["uri"]) for i, item in enumerate(confirm)] + [
        (f"drop[{i}]", uri) for i, uri in enumerate(drop)
    ]:
        if uri not in pending:
            details.setdefault(path, []).append("Not a pending proposal of this candidate.")
        elif uri in seen:
            details.setdefault(path, []).append("Given more than once.")
        seen.add(uri)
    if details:
        raise ValidationFailed(details=details)
    if not confirm and not drop:
        return
    changes: dict[str, Any] = {}
    now = utcnow()
    for item in confirm:
        row = pending[item["uri"]]
        old = skill_value(row)
        row.confirmed = True
        row.level = item.get("level") or row.level
        row.confirmed_by = actor.id
        row.confirmed_at = now
        changes[f"skills[{row.skill_uri}]"] = {"old": old, "new": skill_value(row)}
    for uri in drop:
        row = pending[uri]
        changes[f"skills[{uri}]"] = {"old": skill_value(row), "new": None}
        candidate.skills.remove(row)
    bump_version(session, candidate)
    record_revision(session, actor, candidate, changes)
    session.flush()

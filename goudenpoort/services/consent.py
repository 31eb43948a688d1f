"""Consent per audience (providers, employers): current state on the profile, every change kept."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from goudenpoort import policy
from goudenpoort.errors import Forbidden, ValidationFailed
from models import Account, Candidate, CandidateConsent
from models.base import utcnow
from models.candidates import CONSENT_AUDIENCES

COLUMNS = {"providers": Candidate.consent_providers, "employers": Candidate.consent_employers}


def current_consent(candidate: Candidate) -> dict[str, bool]:
    """Return the candidate's current consent per audience."""
    return {"providers": candidate.consent_providers, "employers": candidate.consent_employers}


def set_consent(
    session: Session, *, actor: Account, candidate: Candidate, audience: str, granted: bool,
    new_version: bool = True,
) -> bool:
    """Give or withdraw consent for one audience; return whether anything changed.

    Every call is kept in the history, even one that repeats the current state, because the
    candidate's confirmation at that moment is itself worth recording.
    """
    if audience not in CONSENT_AUDIENCES:
        allowed = ", ".join(CONSENT_AUDIENCES)
        raise ValidationFailed(details={"audience": [f"Must be one of: {allowed}."]})
    if not policy.may_give_consent(actor, candidate):
        raise Forbidden("Only the candidate or their adviser may give or withdraw consent.")
    changed = current_consent(candidate)[audience] != granted
    setattr(candidate, f"consent_{audience}", granted)
    session.add(CandidateConsent(candidate_id=candidate.id, audience=audience, granted=granted,
                                 actor_id=actor.id, actor_role=actor.role, created_at=utcnow()))
    if changed and new_version:
        candidate.version += 1
        candidate.updated_at = utcnow()
        session.flush()  # the version bump is a compare-and-set: fail here, not later
    return changed


def consented_query(audience: str) -> Select[tuple[uuid.UUID]]:
    """Return a SELECT of the ids of candidates who currently consent to share with `audience`.

    Use it as a subquery in matching queries (`Candidate.id.in_(consented_query("employers"))`);
    it reads the committed state on every request, so a withdrawal counts from the next one.
    """
    if audience not in COLUMNS:
        raise ValueError(f"unknown audience {audience!r}")
    return select(Candidate.id).where(COLUMNS[audience].is_(True))


def consented_candidate_ids(session: Session, audience: str) -> set[uuid.UUID]:
    """Return the ids of candidates who currently consent to share with `audience`."""
    return set(session.scalars(consented_query(audience)))


def history(candidate: Candidate) -> list[CandidateConsent]:
    """Return every consent change of the candidate, oldest first."""
    return list(candidate.consents)

"""May they: pure predicates over an account and a candidate (no I/O, no HTTP, no session).

The role table of API.md in code. Two questions are kept apart on purpose: whether a role may
ever touch candidate profiles here (no → 403), and whether this account may touch this one
candidate (no → 404, because another desk's candidate's existence is private).
"""

from __future__ import annotations

import uuid
from typing import Protocol


class Actor(Protocol):
    """What the policy needs to know of an account."""

    id: uuid.UUID
    role: str
    organisation_id: uuid.UUID


class Subject(Protocol):
    """What the policy needs to know of a candidate profile."""

    organisation_id: uuid.UUID
    account_id: uuid.UUID | None


# Roles that may work with intake profiles at all; providers and employers see candidates
# only through matching, and only those who consented.
PROFILE_ROLES = frozenset({"admin", "adviser", "candidate"})


def may_use_profiles(actor: Actor) -> bool:
    """Tell whether the actor's role may ever read or write intake profiles."""
    return actor.role in PROFILE_ROLES


def is_own_profile(actor: Actor, candidate: Subject) -> bool:
    """Tell whether the actor is the candidate themself."""
    return actor.role == "candidate" and candidate.account_id == actor.id


def is_their_adviser(actor: Actor, candidate: Subject) -> bool:
    """Tell whether the actor is an adviser of the desk the candidate belongs to."""
    return actor.role == "adviser" and candidate.organisation_id == actor.organisation_id


def may_create_candidate(actor: Actor) -> bool:
    """Tell whether the actor may create intake profiles (advisers and the admin)."""
    return actor.role in {"admin", "adviser"}


def may_read_candidate(actor: Actor, candidate: Subject) -> bool:
    """Tell whether the actor may read this candidate's profile."""
    return (
        actor.role == "admin"
        or is_their_adviser(actor, candidate)
        or is_own_profile(actor, candidate)
    )


def may_edit_candidate(actor: Actor, candidate: Subject) -> bool:
    """Tell whether the actor may edit (or, for the candidate, correct) this profile."""
    return may_read_candidate(actor, candidate)


def may_erase_candidate(actor: Actor, candidate: Subject) -> bool:
    """Tell whether the actor may erase this candidate (right to erasure, or their desk)."""
    return may_read_candidate(actor, candidate)


def may_export_candidate(actor: Actor, candidate: Subject) -> bool:
    """Tell whether the actor may export everything stored about this candidate."""
    return may_read_candidate(actor, candidate)


def may_give_consent(actor: Actor, candidate: Subject) -> bool:
    """Tell whether the actor may give or withdraw consent: the candidate or their adviser."""
    # Not the admin: consent is the candidate's choice, recorded by them or their adviser.
    return is_own_profile(actor, candidate) or is_their_adviser(actor, candidate)


def may_review_skills(actor: Actor, candidate: Subject) -> bool:
    """Tell whether the actor may propose skills from work history and confirm or drop them."""
    return actor.role == "admin" or is_their_adviser(actor, candidate)


def may_set_adviser_fields(actor: Actor) -> bool:
    """Tell whether the actor may write adviser-only fields (notes, adviser, organisation)."""
    return actor.role in {"admin", "adviser"}


def may_read_candidate_audit(actor: Actor, candidate: Subject) -> bool:
    """Tell whether the actor may read who read this candidate's data."""
    return may_read_candidate(actor, candidate)


def may_read_audit(actor: Actor) -> bool:
    """Tell whether the actor may read the whole audit log (admin only)."""
    return actor.role == "admin"


def may_manage_organisations(actor: Actor) -> bool:
    """Tell whether the actor may create and edit organisations (admin only)."""
    return actor.role == "admin"


def may_manage_accounts(actor: Actor) -> bool:
    """Tell whether the actor may create accounts and issue or revoke their tokens."""
    return actor.role == "admin"


def is_audited_read(actor: Actor, candidate: Subject) -> bool:
    """Tell whether a read of this candidate's data by the actor must be audited."""
    return not is_own_profile(actor, candidate)

"""The access policy is a pure function of the actor and the candidate."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from goudenpoort import policy

DESK, OTHER_DESK = uuid.uuid4(), uuid.uuid4()
ME, SOMEONE = uuid.UUID(int=1), uuid.UUID(int=2)


@dataclass
class Actor:
    role: str
    organisation_id: uuid.UUID = DESK
    id: uuid.UUID = ME


@dataclass
class Subject:
    organisation_id: uuid.UUID = DESK
    account_id: uuid.UUID | None = ME


def test_candidates_see_only_themselves() -> None:
    me = Actor("candidate")
    assert policy.may_read_candidate(me, Subject())
    assert not policy.may_read_candidate(me, Subject(account_id=uuid.UUID(int=2)))
    assert not policy.may_read_candidate(me, Subject(account_id=None))
    assert policy.may_give_consent(me, Subject())
    assert not policy.may_review_skills(me, Subject())
    assert not policy.may_set_adviser_fields(me)
    assert not policy.is_audited_read(me, Subject())


def test_advisers_see_their_own_desk_only() -> None:
    adviser = Actor("adviser", id=uuid.UUID(int=9))
    assert policy.may_read_candidate(adviser, Subject())
    assert policy.may_edit_candidate(adviser, Subject())
    assert policy.may_review_skills(adviser, Subject())
    assert not policy.may_read_candidate(adviser, Subject(organisation_id=OTHER_DESK))
    assert policy.is_audited_read(adviser, Subject())


@pytest.mark.parametrize("role", ["provider", "employer"])
def test_providers_and_employers_see_no_profiles(role: str) -> None:
    actor = Actor(role)
    assert not policy.may_use_profiles(actor)
    assert not policy.may_read_candidate(actor, Subject())
    assert not policy.may_create_candidate(actor)


def test_admin_manages_but_does_not_consent_for_candidates() -> None:
    admin = Actor("admin", organisation_id=OTHER_DESK, id=uuid.UUID(int=5))
    assert policy.may_read_candidate(admin, Subject())
    assert policy.may_manage_accounts(admin) and policy.may_manage_organisations(admin)
    assert policy.may_read_audit(admin)
    assert not policy.may_give_consent(admin, Subject())
    for role in ("adviser", "candidate", "provider", "employer"):
        assert not policy.may_read_audit(Actor(role))
        assert not policy.may_manage_accounts(Actor(role))

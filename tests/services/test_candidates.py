"""Profile services: compare-and-set versions, provenance, prefill, consent, erasure."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from goudenpoort.errors import Forbidden, PreconditionFailed, ValidationFailed
from goudenpoort.services import audit, candidates, consent, prefill
from models import AuditEntry, Candidate
from tests.factories import (
    PIPE_WELDER,
    WELDING_ENGINEER,
    create_account,
    create_candidate,
    create_candidate_account,
    skill_uris,
)


def test_a_concurrent_write_between_check_and_flush_is_412(session: Session) -> None:
    adviser = create_account(session, role="adviser")
    candidate = create_candidate(session, adviser=adviser)
    # Another transaction bumps the version after we read it but before we write.
    session.execute(update(Candidate).where(Candidate.id == candidate.id).values(version=2)
                    .execution_options(synchronize_session=False))
    with pytest.raises(PreconditionFailed):
        candidates.update_candidate(session, actor=adviser, candidate=candidate,
                                    expected_version=1, data={"given_name": "Lost"})


def test_candidate_may_not_set_adviser_fields_or_claim_adviser_skills(session: Session) -> None:
    candidate = create_candidate(session)
    own = create_candidate_account(session, candidate)
    with pytest.raises(Forbidden) as info:
        candidates.update_candidate(session, actor=own, candidate=candidate,
                                    expected_version=candidate.version, data={"notes": "x"})
    assert "notes" in info.value.details
    skill = skill_uris(session, 1)[0]
    with pytest.raises(ValidationFailed) as invalid:
        candidates.update_candidate(session, actor=own, candidate=candidate,
                                    expected_version=candidate.version,
                                    data={"skills": [{"uri": skill, "level": 4,
                                                      "source": "certified"}]})
    assert "skills[0].source" in invalid.value.details


def test_kind_change_clears_right_to_work_and_history_keeps_it(session: Session) -> None:
    adviser = create_account(session, role="adviser")
    candidate = create_candidate(session, adviser=adviser, kind="newcomer", right_to_work="pending")
    candidates.update_candidate(session, actor=adviser, candidate=candidate, expected_version=1,
                                data={"kind": "switcher"})
    assert candidate.right_to_work is None and candidate.version == 2
    last = candidates.revisions(candidate)[-1]["changes"]
    assert last["right_to_work"] == {"old": "pending", "new": None}


def test_unchanged_patch_writes_no_revision(session: Session) -> None:
    adviser = create_account(session, role="adviser")
    candidate = create_candidate(session, adviser=adviser, region="zwolle")
    candidates.update_candidate(session, actor=adviser, candidate=candidate, expected_version=1,
                                data={"region": "zwolle"})
    assert candidate.version == 1 and len(candidates.revisions(candidate)) == 1


def test_prefill_credits_the_longest_occupation_and_caps_level(session: Session) -> None:
    adviser = create_account(session, role="adviser")
    candidate = create_candidate(session, adviser=adviser, experience=[
        {"occupation": PIPE_WELDER, "years": 0.5}, {"occupation": WELDING_ENGINEER, "years": 12}])
    proposals = prefill.propose_skills(session, actor=adviser, candidate=candidate)
    essential = prefill.essential_skills(session, [PIPE_WELDER, WELDING_ENGINEER])
    assert {p.skill_uri for p in proposals} == set(essential[PIPE_WELDER]) | set(
        essential[WELDING_ENGINEER])
    for proposal in proposals:
        if proposal.skill_uri in essential[WELDING_ENGINEER]:
            assert (proposal.inferred_from, proposal.level) == (WELDING_ENGINEER, 3)
        else:
            assert (proposal.inferred_from, proposal.level) == (PIPE_WELDER, 1)
    assert prefill.propose_skills(session, actor=adviser, candidate=candidate) == []
    assert [prefill.level_from_years(y) for y in (0, 0.9, 1, 2.9, 3, 40)] == [1, 1, 2, 2, 3, 3]


def test_consented_ids_follow_the_latest_change(session: Session) -> None:
    adviser = create_account(session, role="adviser")
    yes = create_candidate(session, adviser=adviser, consent={"providers": True})
    no = create_candidate(session, adviser=adviser)
    assert yes.id in consent.consented_candidate_ids(session, "providers")
    assert no.id not in consent.consented_candidate_ids(session, "providers")
    consent.set_consent(session, actor=adviser, candidate=yes, audience="providers",
                        granted=False)
    assert yes.id not in consent.consented_candidate_ids(session, "providers")
    assert [(c.granted, c.actor_role) for c in consent.history(yes)] == [
        (True, "adviser"), (False, "adviser")]


def test_record_read_skips_only_the_candidate_themself(session: Session) -> None:
    adviser = create_account(session, role="adviser")
    candidate = create_candidate(session, adviser=adviser)
    own = create_candidate_account(session, candidate)
    for actor in (own, adviser):
        audit.record_read(session, actor=actor, candidate_id=candidate.id,
                          endpoint="GET /api/v1/candidates/<uuid:candidate_id>/matches/routes",
                          account_id=candidate.account_id)
    entries = audit.entries_for(session, candidate.id)
    assert [(e.actor_id, e.action) for e in entries] == [(adviser.id, "read")]
    assert isinstance(entries[0], AuditEntry)

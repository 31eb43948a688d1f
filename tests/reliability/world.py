"""A small populated world: one account per role with a token, two desks, their candidates."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from goudenpoort.services.tokens import issue_token
from models import Base, Skill
from tests.catalogue_factories import concepts, create_route, create_vacancy
from tests.factories import (
    auth_headers,
    create_account,
    create_candidate,
    create_candidate_account,
    create_organisation,
    skill_uris,
)

ROLES = ("admin", "adviser", "candidate", "provider", "employer")


@dataclass
class World:
    """Who can call, and the ids of things that exist (to aim requests at real records)."""

    headers: dict[str, dict[str, str]]
    account_ids: dict[str, uuid.UUID]
    organisation_ids: list[uuid.UUID]
    own_candidate_id: uuid.UUID  # in the adviser's desk, linked to the candidate account
    other_candidate_id: uuid.UUID  # in another desk
    spare_token_id: uuid.UUID  # a token of the adviser that no test request signs in with
    skill_uri: str
    known: dict[str, list[str]] = field(default_factory=dict)


def build_world(session: Session) -> World:
    """Create the accounts, tokens and candidates of the world; flush, never commit."""
    desk = create_organisation(session, kind="desk")
    other_desk = create_organisation(session, kind="desk", region="midden-utrecht")
    adviser = create_account(session, role="adviser", organisation=desk)
    other_adviser = create_account(session, role="adviser", organisation=other_desk)
    accounts = {role: create_account(session, role=role) for role in ROLES if role not in
                {"adviser", "candidate"}}
    accounts["adviser"] = adviser
    skills = skill_uris(session, 3)
    own = create_candidate(session, adviser=adviser, email="own@example.nl",
                           skills=[{"uri": skills[0], "level": 2}])
    other = create_candidate(session, adviser=other_adviser)
    accounts["candidate"] = create_candidate_account(session, own)
    headers = {role: auth_headers(session, account) for role, account in accounts.items()}
    _, spare = issue_token(session, account=adviser)
    provider, employer = accounts["provider"].organisation, accounts["employer"].organisation
    catalogue = concepts(session)
    route = create_route(session, provider, catalogue)
    vacancy = create_vacancy(session, employer, catalogue)
    session.flush()
    skill = session.get(Skill, skills[0])
    assert skill is not None
    world = World(
        headers=headers,
        account_ids={role: account.id for role, account in accounts.items()},
        organisation_ids=[desk.id, other_desk.id, accounts["provider"].organisation_id],
        own_candidate_id=own.id,
        other_candidate_id=other.id,
        spare_token_id=spare.id,
        skill_uri=skills[0],
    )
    world.known = {
        "candidate_id": [str(own.id), str(other.id)],
        "account_id": [str(i) for i in world.account_ids.values()],
        "organisation_id": [str(i) for i in world.organisation_ids],
        "token_id": [str(spare.id)],
        "slug": ["zwolle", "midden-utrecht"],
        "ref": [skills[0], skills[0].rsplit("/", 1)[-1]],
        "route_id": [str(route.id)],
        "vacancy_id": [str(vacancy.id)],
        "employer_id": [str(employer.id), str(provider.id)],
    }
    return world


def row_counts(connection: Connection) -> dict[str, int]:
    """Count the rows of every table (to prove a refused request wrote nothing)."""
    return {
        table.name: connection.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }


def aim_at_known_records(case: Any, world: World, data: st.DataObject) -> None:
    """Swap some generated path ids for ids of records that exist, and send an ETag sometimes."""
    for name in list(case.path_parameters or {}):
        # Three in four requests aim at a real record; random ids only ever reach the 404.
        if name in world.known and data.draw(st.integers(0, 3), label=f"known {name}") > 0:
            case.path_parameters[name] = data.draw(st.sampled_from(world.known[name]),
                                                   label=name)
    if case.method.upper() in {"PATCH", "DELETE", "POST"}:
        # Records start at version 1: mostly the current ETag, sometimes a stale, weak or `*`.
        etag = data.draw(st.sampled_from(['"1"', '"1"', None, '"2"', "*", 'W/"1"']),
                         label="if-match")
        if etag is not None:
            case.headers = {**(case.headers or {}), "If-Match": etag}

"""Factory functions for test data: `create_x(session, **overrides)` with sensible defaults."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from goudenpoort.services.tokens import issue_token
from models import Account, Organisation

_seq = itertools.count(1)

DEFAULT_KIND_FOR_ROLE = {
    "admin": "operator",
    "adviser": "desk",
    "candidate": "desk",
    "provider": "training_centre",
    "employer": "employer",
}


def create_organisation(session: Session, **overrides: Any) -> Organisation:
    """Create an organisation (default: an adviser desk in Regio Zwolle)."""
    n = next(_seq)
    values: dict[str, Any] = {"kind": "desk", "name": f"Organisation {n}", "region": "zwolle"}
    values.update(overrides)
    organisation = Organisation(**values)
    session.add(organisation)
    session.flush()
    return organisation


def create_account(session: Session, *, role: str = "adviser", **overrides: Any) -> Account:
    """Create an account; makes a fitting organisation unless one is given."""
    n = next(_seq)
    organisation = overrides.pop("organisation", None) or create_organisation(
        session, kind=DEFAULT_KIND_FOR_ROLE[role]
    )
    values: dict[str, Any] = {
        "role": role,
        "email": f"user{n}@example.nl",
        "name": f"User {n}",
        "organisation": organisation,
    }
    values.update(overrides)
    account = Account(**values)
    session.add(account)
    session.flush()
    return account


def auth_headers(session: Session, account: Account) -> dict[str, str]:
    """Issue a token for the account and return the Authorization header."""
    token, _ = issue_token(session, account=account)
    return {"Authorization": f"Bearer {token}"}


PIPE_WELDER = "http://data.europa.eu/esco/occupation/2ff73126-7aff-4233-9d9c-d8725e1c6822"
WELDING_ENGINEER = "http://data.europa.eu/esco/occupation/16cb1f72-3d8c-4404-84ec-9c31fbd7c86c"


def skill_uris(session: Session, count: int = 3) -> list[str]:
    """Return the first `count` real ESCO skill URIs (kind `skill`), in URI order."""
    from sqlalchemy import select

    from models import Skill

    query = select(Skill.uri).where(Skill.kind == "skill").order_by(Skill.uri).limit(count)
    return list(session.scalars(query))


def create_candidate(session: Session, *, adviser: Account | None = None,
                     **fields: Any) -> Any:
    """Create an intake profile through the service, by an adviser (made if not given)."""
    from goudenpoort.services.candidates import create_candidate as create

    adviser = adviser or create_account(session, role="adviser")
    n = next(_seq)
    data: dict[str, Any] = {"kind": "switcher", "given_name": f"Given{n}",
                            "family_name": f"Family{n}"}
    data.update(fields)
    return create(session, actor=adviser, data=data)


def create_candidate_account(session: Session, candidate: Any) -> Account:
    """Create the candidate's own account, linked to the profile."""
    from goudenpoort.services.accounts import create_account as create

    n = next(_seq)
    return create(session, email=f"candidate{n}@example.nl", name=f"Candidate {n}",
                  role="candidate", candidate=candidate)

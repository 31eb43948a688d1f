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

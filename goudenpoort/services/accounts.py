"""Accounts: one role each, in an organisation of a fitting kind; candidates linked to a profile."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from goudenpoort.errors import Conflict, NotFound, PreconditionFailed, ValidationFailed
from goudenpoort.services.pagination import Page, paginate
from goudenpoort.services.tokens import DEFAULT_LIFETIME, issue_token
from models import Account, ApiToken, Candidate, Organisation
from models.accounts import ROLE_ORGANISATION_KINDS, ROLES

EDITABLE = ("name", "active")


def normalise_email(email: str) -> str:
    """Return the e-mail address as stored: trimmed and lower-case."""
    return email.strip().lower()


def create_account(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    organisation: Organisation | None = None,
    candidate: Candidate | None = None,
) -> Account:
    """Create an account; a candidate account is linked to (and in the desk of) its profile."""
    details: dict[str, list[str]] = {}
    if role not in ROLES:
        details["role"] = [f"Must be one of: {', '.join(ROLES)}."]
    elif role == "candidate":
        if candidate is None:
            details["candidate_id"] = ["A candidate account needs the profile it belongs to."]
        elif candidate.account_id is not None:
            details["candidate_id"] = ["This profile already has an account."]
        elif organisation is not None and organisation.id != candidate.organisation_id:
            details["organisation_id"] = ["Must be the desk of the candidate's profile."]
        else:
            organisation = session.get(Organisation, candidate.organisation_id)
    elif candidate is not None:
        details["candidate_id"] = ["Only candidate accounts are linked to a profile."]
    if organisation is None and "organisation_id" not in details and role != "candidate":
        details["organisation_id"] = ["Required."]
    elif (organisation is not None and role in ROLE_ORGANISATION_KINDS
          and organisation.kind not in ROLE_ORGANISATION_KINDS[role]):
        allowed = ", ".join(ROLE_ORGANISATION_KINDS[role])
        details["organisation_id"] = [f"A {role} belongs to an organisation of kind {allowed}."]
    if details:
        raise ValidationFailed(details=details)
    email = normalise_email(email)
    if session.scalars(select(Account.id).where(Account.email == email)).first():
        raise Conflict("An account with this e-mail address exists.",
                       details={"email": ["Already in use."]})
    assert organisation is not None
    account = Account(email=email, name=name, role=role, organisation=organisation)
    session.add(account)
    session.flush()
    if candidate is not None:
        candidate.account_id = account.id
        candidate.version += 1
        session.flush()
    return account


def get_account(session: Session, account_id: uuid.UUID) -> Account:
    """Return an account or raise NotFound."""
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound("No account with this id.")
    return account


def find_account(session: Session, ref: str) -> Account:
    """Return an account by id or e-mail address."""
    try:
        return get_account(session, uuid.UUID(ref))
    except ValueError:
        pass
    account = session.scalars(select(Account).where(Account.email == normalise_email(ref))).first()
    if account is None:
        raise NotFound(f"No account with id or e-mail {ref!r}.")
    return account


def linked_candidate_id(session: Session, account: Account) -> uuid.UUID | None:
    """Return the id of the profile a candidate account belongs to."""
    if account.role != "candidate":
        return None
    return session.scalars(select(Candidate.id).where(Candidate.account_id == account.id)).first()


def list_accounts(
    session: Session,
    *,
    organisation_id: uuid.UUID | None = None,
    role: str | None = None,
    limit: int = 20,
    cursor: str | None = None,
) -> Page[Account]:
    """Return a page of accounts, oldest first, optionally of one organisation or role."""
    query = select(Account)
    if organisation_id is not None:
        query = query.where(Account.organisation_id == organisation_id)
    if role is not None:
        query = query.where(Account.role == role)
    return paginate(session, query, created_at=Account.created_at, row_id=Account.id,
                    limit=limit, cursor=cursor)


def update_account(
    session: Session, account: Account, *, expected_version: int, changes: dict[str, Any]
) -> Account:
    """Rename or (de)activate an account if the caller saw the current version."""
    if account.version != expected_version:
        raise PreconditionFailed()
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(details={field: ["Cannot be changed."] for field in unknown})
    for field, value in changes.items():
        setattr(account, field, value)
    account.version += 1
    session.flush()
    return account


def issue_account_token(
    session: Session, account: Account, *, days: int | None = None
) -> tuple[str, ApiToken]:
    """Issue a token for the account; the plain token is returned once and never stored."""
    lifetime = timedelta(days=days) if days else DEFAULT_LIFETIME
    return issue_token(session, account=account, lifetime=lifetime)


def list_tokens(
    session: Session, account: Account, *, limit: int = 20, cursor: str | None = None
) -> Page[ApiToken]:
    """Return a page of the account's tokens (prefix and dates only), oldest first."""
    query = select(ApiToken).where(ApiToken.account_id == account.id)
    return paginate(session, query, created_at=ApiToken.created_at, row_id=ApiToken.id,
                    limit=limit, cursor=cursor)


def get_token(session: Session, account: Account, token_id: uuid.UUID) -> ApiToken:
    """Return one token of the account or raise NotFound."""
    token = session.get(ApiToken, token_id)
    if token is None or token.account_id != account.id:
        raise NotFound("No token with this id for this account.")
    return token

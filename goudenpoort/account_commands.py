"""`flask accounts ...`: create accounts, issue and revoke bearer tokens from the shell."""

from __future__ import annotations

import uuid

import click
from flask.cli import AppGroup

from goudenpoort.db import session_scope
from goudenpoort.errors import DomainError
from goudenpoort.services import accounts, organisations, tokens
from models import Candidate
from models.accounts import ROLES
from models.organisations import ORGANISATION_KINDS

accounts_cli = AppGroup("accounts", help="Accounts and bearer tokens.")


def _fail(exc: DomainError) -> click.ClickException:
    """Turn a domain error into a CLI error with its details."""
    details = "".join(f"\n  {path}: {' '.join(texts)}"
                      for path, texts in (exc.details or {}).items())
    return click.ClickException(f"{exc.message}{details} (nothing was changed)")


@accounts_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--organisation", "organisation_ref", default=None,
              help="Organisation id or exact name (a candidate's comes from the profile).")
@click.option("--new-organisation", "new_kind", type=click.Choice(ORGANISATION_KINDS),
              default=None, help="Create the organisation named by --organisation, of this kind.")
@click.option("--region", default=None, help="Region slug of a new organisation.")
@click.option("--candidate", "candidate_id", default=None,
              help="Profile id a candidate account belongs to.")
def create(email: str, name: str, role: str, organisation_ref: str | None,
           new_kind: str | None, region: str | None, candidate_id: str | None) -> None:
    """Create an account (and, with --new-organisation, its organisation)."""
    try:
        with session_scope() as session:
            organisation = None
            if new_kind:
                if not organisation_ref:
                    raise click.UsageError("--new-organisation needs --organisation NAME")
                organisation = organisations.create_organisation(
                    session, kind=new_kind, name=organisation_ref, region=region)
            elif organisation_ref:
                organisation = organisations.find_organisation(session, organisation_ref)
            candidate = None
            if candidate_id:
                try:
                    candidate = session.get(Candidate, uuid.UUID(candidate_id))
                except ValueError:
                    candidate = None
                if candidate is None:
                    raise click.ClickException(f"no candidate profile {candidate_id}")
            account = accounts.create_account(session, email=email, name=name, role=role,
                                              organisation=organisation, candidate=candidate)
            click.echo(f"account {account.id} ({account.role}) in organisation "
                       f"{account.organisation.id} {account.organisation.name!r}")
    except DomainError as exc:
        raise _fail(exc) from exc


@accounts_cli.command("issue-token")
@click.argument("account_ref")
@click.option("--days", type=click.IntRange(1, 366), default=90, show_default=True)
def issue(account_ref: str, days: int) -> None:
    """Issue a bearer token for ACCOUNT_REF (id or e-mail); it is printed once, never stored."""
    try:
        with session_scope() as session:
            account = accounts.find_account(session, account_ref)
            token, row = accounts.issue_account_token(session, account, days=days)
    except DomainError as exc:
        raise _fail(exc) from exc
    click.echo(token)
    click.echo(f"token {row.id} (prefix {row.prefix}) for {account.email}, expires "
               f"{row.expires_at:%Y-%m-%d}; store it now, it is not shown again", err=True)


@accounts_cli.command("revoke")
@click.argument("token_ref")
def revoke(token_ref: str) -> None:
    """Revoke a token by its prefix (first 10 characters) or id."""
    try:
        with session_scope() as session:
            row = tokens.revoke_token(session, prefix_or_id=token_ref)
            click.echo(f"token {row.id} (prefix {row.prefix}) revoked at {row.revoked_at}")
    except DomainError as exc:
        raise _fail(exc) from exc

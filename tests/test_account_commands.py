"""`flask accounts create | issue-token | revoke`."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from goudenpoort.services.tokens import account_for_token
from models import Account, Organisation
from tests.factories import create_candidate


def test_create_issue_and_revoke(app: Flask, connection: Connection, session: Session) -> None:
    runner = app.test_cli_runner()
    made = runner.invoke(args=["accounts", "create", "--email", "Desk@Example.nl", "--name",
                               "Ann", "--role", "adviser", "--organisation", "Werkplein Zwolle",
                               "--new-organisation", "desk", "--region", "zwolle"])
    assert made.exit_code == 0, made.output
    desk = session.scalars(select(Organisation).where(Organisation.name == "Werkplein Zwolle")
                           ).one()
    assert desk.kind == "desk"
    second = runner.invoke(args=["accounts", "create", "--email", "bob@example.nl", "--name",
                                 "Bob", "--role", "adviser", "--organisation",
                                 "Werkplein Zwolle"])
    assert second.exit_code == 0, second.output
    wrong = runner.invoke(args=["accounts", "create", "--email", "c@example.nl", "--name", "C",
                                "--role", "employer", "--organisation", str(desk.id)])
    assert wrong.exit_code != 0 and "organisation_id" in wrong.output
    issued = runner.invoke(args=["accounts", "issue-token", "desk@example.nl", "--days", "3"])
    assert issued.exit_code == 0, issued.output
    token = issued.stdout.strip().splitlines()[0]
    account = account_for_token(session, token)
    assert account is not None and account.email == "desk@example.nl"
    revoked = runner.invoke(args=["accounts", "revoke", token[:10]])
    assert revoked.exit_code == 0, revoked.output
    session.expire_all()
    assert account_for_token(session, token) is None


def test_candidate_account_is_linked_to_its_profile(app: Flask, connection: Connection,
                                                    session: Session) -> None:
    candidate = create_candidate(session)
    result = app.test_cli_runner().invoke(args=[
        "accounts", "create", "--email", "me@example.nl", "--name", "Me", "--role", "candidate",
        "--candidate", str(candidate.id)])
    assert result.exit_code == 0, result.output
    session.expire_all()
    account = session.scalars(select(Account).where(Account.email == "me@example.nl")).one()
    assert session.get(type(candidate), candidate.id).account_id == account.id
    missing = app.test_cli_runner().invoke(args=[
        "accounts", "create", "--email", "x@example.nl", "--name", "X", "--role", "candidate",
        "--candidate", "not-an-id"])
    assert missing.exit_code != 0

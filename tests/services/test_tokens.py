"""Bearer tokens resolve only while valid, and only their hash is stored."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from goudenpoort.services.tokens import account_for_token, hash_token, issue_token, revoke_token
from tests.factories import create_account


def test_issued_token_resolves_to_its_account(session: Session) -> None:
    account = create_account(session, role="adviser")
    token, row = issue_token(session, account=account)
    assert account_for_token(session, token) is account
    assert row.token_hash == hash_token(token)
    assert token not in (row.token_hash, row.prefix)


def test_revoked_expired_inactive_and_unknown_tokens_fail(session: Session) -> None:
    account = create_account(session, role="provider")
    revoked, _ = issue_token(session, account=account)
    revoke_token(session, prefix_or_id=revoked[:10])
    expired, _ = issue_token(session, account=account, lifetime=timedelta(seconds=-1))
    assert account_for_token(session, revoked) is None
    assert account_for_token(session, expired) is None
    assert account_for_token(session, "gp_" + "x" * 43) is None
    assert account_for_token(session, "not-a-token") is None
    valid, _ = issue_token(session, account=account)
    account.active = False
    assert account_for_token(session, valid) is None

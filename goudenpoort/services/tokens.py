"""Bearer tokens: random, shown once, stored only as a SHA-256 hash, with expiry and revocation."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from goudenpoort.errors import NotFound
from models import Account, ApiToken
from models.base import utcnow

TOKEN_PREFIX = "gp_"
DEFAULT_LIFETIME = timedelta(days=90)


def hash_token(token: str) -> str:
    """Return the hex SHA-256 of a token (tokens are 256 random bits: no salt or KDF needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(
    session: Session, *, account: Account, lifetime: timedelta = DEFAULT_LIFETIME
) -> tuple[str, ApiToken]:
    """Create a token for the account; return the plain token (shown once) and its row."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        account=account,
        token_hash=hash_token(token),
        prefix=token[:10],
        expires_at=utcnow() + lifetime,
    )
    session.add(row)
    session.flush()
    return token, row


def _aware(moment: datetime) -> datetime:
    """Treat naive datetimes (SQLite drops the zone) as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def account_for_token(session: Session, token: str) -> Account | None:
    """Return the active account of a valid, unexpired, unrevoked token, else None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    digest = hash_token(token)
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == digest)).first()
    # The lookup is by hash (an index); compare again in constant time for defence in depth.
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return None
    if row.revoked_at is not None or _aware(row.expires_at) <= utcnow():
        return None
    account = row.account
    return account if account.active else None


def revoke_token(session: Session, *, prefix_or_id: str) -> ApiToken:
    """Revoke a token by its shown prefix or its id."""
    query = select(ApiToken).where(ApiToken.prefix == prefix_or_id)
    row = session.scalars(query).first()
    if row is None:
        try:
            row = session.get(ApiToken, uuid.UUID(prefix_or_id))
        except ValueError:
            row = None
    if row is None:
        raise NotFound("No token with this prefix or id.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
    return row

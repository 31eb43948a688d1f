"""Who is calling: the bearer token of the request, resolved to an account."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, request

from goudenpoort.db import get_session
from goudenpoort.errors import Forbidden, Unauthorized
from goudenpoort.ratelimit import check_auth_failures, record_auth_failure
from goudenpoort.services.tokens import account_for_token
from models import Account

F = TypeVar("F", bound=Callable[..., Any])


def current_account() -> Account:
    """Return the signed-in account of this request, or raise Unauthorized (401)."""
    cached = g.get("account")
    if cached is not None:
        return cached
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send `Authorization: Bearer <token>`.")
    check_auth_failures()
    account = account_for_token(get_session(), token.strip())
    if account is None:
        record_auth_failure()
        raise Unauthorized("The token is unknown, expired or revoked.")
    g.account = account
    return account


def requires(*roles: str) -> Callable[[F], F]:
    """Decorate a view: a valid token is needed, and (if roles are given) one of these roles."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            account = current_account()
            if roles and account.role not in roles:
                raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate

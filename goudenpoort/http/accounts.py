"""Accounts and their tokens (admin), and `GET /me` (anyone signed in)."""

from __future__ import annotations

import uuid
from typing import Any

import marshmallow as ma
from flask.views import MethodView

from goudenpoort.auth import current_account, requires
from goudenpoort.db import get_session
from goudenpoort.errors import NotFound, ValidationFailed
from goudenpoort.http.blueprint import Blueprint
from goudenpoort.http.etags import IF_MATCH, etag_header, require_if_match
from goudenpoort.http.fields import StrictBoolean, StrictInteger, UtcDateTime
from goudenpoort.http.schemas import Args, OrganisationRefSchema, PageArgs, Schema
from goudenpoort.services import accounts, candidates, organisations, tokens
from models import Account
from models.accounts import ROLES

blp = Blueprint("accounts", __name__, description="Accounts, tokens and the caller")
SECURITY = [{"bearer": []}]




class AccountSchema(Schema):
    """An account."""

    id = ma.fields.UUID(required=True)
    email = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    role = ma.fields.String(required=True)
    active = ma.fields.Boolean(required=True)
    organisation = ma.fields.Nested(OrganisationRefSchema, required=True)
    candidate_id = ma.fields.UUID(allow_none=True,
                                  metadata={"description": "The own profile (candidates)"})
    version = ma.fields.Integer(required=True)
    created_at = UtcDateTime(required=True)


class AccountListSchema(Schema):
    """A page of accounts."""

    items = ma.fields.List(ma.fields.Nested(AccountSchema), required=True)
    next_cursor = ma.fields.String(allow_none=True, required=True)


class AccountArgs(Args):
    """A new account."""

    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ROLES))
    organisation_id = ma.fields.UUID()
    candidate_id = ma.fields.UUID(metadata={"description": "The profile of a candidate account"})


class AccountPatchArgs(Args):
    """Editable fields of an account."""

    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    active = StrictBoolean()


class AccountQueryArgs(PageArgs):
    """Filters of the account list."""

    organisation_id = ma.fields.UUID()
    role = ma.fields.String(validate=ma.validate.OneOf(ROLES))


class TokenSchema(Schema):
    """A token's metadata; the token itself is never stored or shown again."""

    id = ma.fields.UUID(required=True)
    prefix = ma.fields.String(required=True)
    created_at = UtcDateTime(required=True)
    expires_at = UtcDateTime(required=True)
    revoked_at = UtcDateTime(allow_none=True)


class IssuedTokenSchema(TokenSchema):
    """A newly issued token: `token` is shown this once."""

    token = ma.fields.String(required=True)


class TokenListSchema(Schema):
    """A page of tokens."""

    items = ma.fields.List(ma.fields.Nested(TokenSchema), required=True)
    next_cursor = ma.fields.String(allow_none=True, required=True)


class TokenArgs(Args):
    """How long a new token lives."""

    days = StrictInteger(load_default=None, validate=ma.validate.Range(min=1, max=366))


def account_document(account: Account) -> dict[str, Any]:
    """Return the API view of an account."""
    organisation = account.organisation
    return {
        "id": account.id, "email": account.email, "name": account.name, "role": account.role,
        "active": account.active,
        "organisation": {"id": organisation.id, "name": organisation.name,
                         "kind": organisation.kind},
        "candidate_id": accounts.linked_candidate_id(get_session(), account),
        "version": account.version, "created_at": account.created_at,
    }


@blp.route("/me")
class Me(MethodView):
    """The caller."""

    @requires()
    @blp.doc(security=SECURITY)
    @blp.arguments(Args, location="query")
    @blp.response(200, AccountSchema)
    def get(self, _args: dict[str, Any]) -> dict[str, Any]:
        """Return the caller's account, role and organisation."""
        return account_document(current_account())


@blp.route("/accounts")
class Accounts(MethodView):
    """The accounts."""

    @requires("admin")
    @blp.doc(security=SECURITY)
    @blp.arguments(AccountQueryArgs, location="query")
    @blp.response(200, AccountListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List accounts, oldest first."""
        page = accounts.list_accounts(get_session(), organisation_id=args.get("organisation_id"),
                                      role=args.get("role"), limit=args["limit"],
                                      cursor=args["cursor"])
        return {"items": [account_document(a) for a in page.items],
                "next_cursor": page.next_cursor}

    @requires("admin")
    @blp.doc(security=SECURITY)
    @blp.arguments(AccountArgs)
    @blp.response(201, AccountSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create an account (a candidate account names its profile)."""
        session = get_session()
        organisation = candidate = None
        if data.get("organisation_id") is not None:
            try:
                organisation = organisations.get_organisation(session, data["organisation_id"])
            except NotFound as exc:
                raise _unknown("organisation_id", "No organisation with this id.") from exc
        if data.get("candidate_id") is not None:
            try:
                candidate = candidates.get_candidate(session, actor=current_account(),
                                                     candidate_id=data["candidate_id"])
            except NotFound as exc:
                raise _unknown("candidate_id", "No candidate with this id.") from exc
        account = accounts.create_account(session, email=data["email"], name=data["name"],
                                          role=data["role"], organisation=organisation,
                                          candidate=candidate)
        return account_document(account), 201, etag_header(account.version)


def _unknown(field: str, message: str) -> Exception:
    """Return a 422 for a body field that names nothing."""
    return ValidationFailed(details={field: [message]})


@blp.route("/accounts/<uuid:account_id>")
class AccountItem(MethodView):
    """One account."""

    @requires("admin")
    @blp.doc(security=SECURITY)
    @blp.arguments(Args, location="query")
    @blp.response(200, AccountSchema)
    def get(self, _args: dict[str, Any], account_id: uuid.UUID) -> Any:
        """Return one account."""
        account = accounts.get_account(get_session(), account_id)
        return account_document(account), 200, etag_header(account.version)

    @requires("admin")
    @blp.doc(security=SECURITY, parameters=IF_MATCH)
    @blp.arguments(AccountPatchArgs)
    @blp.response(200, AccountSchema)
    def patch(self, data: dict[str, Any], account_id: uuid.UUID) -> Any:
        """Rename or (de)activate an account (If-Match required)."""
        session = get_session()
        account = accounts.get_account(session, account_id)
        version = require_if_match(account.version)
        account = accounts.update_account(session, account, expected_version=version,
                                          changes=data)
        return account_document(account), 200, etag_header(account.version)


@blp.route("/accounts/<uuid:account_id>/tokens")
class AccountTokens(MethodView):
    """The tokens of an account."""

    @requires("admin")
    @blp.doc(security=SECURITY)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, TokenListSchema)
    def get(self, args: dict[str, Any], account_id: uuid.UUID) -> dict[str, Any]:
        """List an account's tokens (prefixes and dates, never the tokens)."""
        session = get_session()
        page = accounts.list_tokens(session, accounts.get_account(session, account_id),
                                    limit=args["limit"], cursor=args["cursor"])
        return {"items": page.items, "next_cursor": page.next_cursor}

    @requires("admin")
    @blp.doc(security=SECURITY)
    @blp.arguments(TokenArgs)
    @blp.response(201, IssuedTokenSchema)
    def post(self, data: dict[str, Any], account_id: uuid.UUID) -> Any:
        """Issue a token for the account; it is shown in this response only."""
        session = get_session()
        token, row = accounts.issue_account_token(
            session, accounts.get_account(session, account_id), days=data.get("days"))
        return {"token": token, "id": row.id, "prefix": row.prefix, "created_at": row.created_at,
                "expires_at": row.expires_at, "revoked_at": row.revoked_at}, 201


@blp.route("/accounts/<uuid:account_id>/tokens/<uuid:token_id>")
class AccountTokenItem(MethodView):
    """One token of an account."""

    @requires("admin")
    @blp.doc(security=SECURITY)
    @blp.response(204)
    def delete(self, account_id: uuid.UUID, token_id: uuid.UUID) -> None:
        """Revoke a token (it stays listed, with its revocation time)."""
        session = get_session()
        row = accounts.get_token(session, accounts.get_account(session, account_id), token_id)
        tokens.revoke_token(session, prefix_or_id=str(row.id))

"""Organisations (admin): adviser desks, training centres, employers, the operator."""

from __future__ import annotations

import uuid
from typing import Any

import marshmallow as ma
from flask.views import MethodView

from goudenpoort.auth import requires
from goudenpoort.db import get_session
from goudenpoort.http.blueprint import Blueprint
from goudenpoort.http.etags import IF_MATCH, etag_header, require_if_match
from goudenpoort.http.fields import UtcDateTime
from goudenpoort.http.schemas import Args, PageArgs, Schema
from goudenpoort.services import organisations
from models.organisations import ORGANISATION_KINDS

blp = Blueprint("organisations", __name__, description="Organisations (admin)")
SECURITY = [{"bearer": []}]


class OrganisationSchema(Schema):
    """An organisation."""

    id = ma.fields.UUID(required=True)
    kind = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    region = ma.fields.String(allow_none=True)
    external_id = ma.fields.String(allow_none=True)
    version = ma.fields.Integer(required=True)
    created_at = UtcDateTime(required=True)


class OrganisationListSchema(Schema):
    """A page of organisations."""

    items = ma.fields.List(ma.fields.Nested(OrganisationSchema), required=True)
    next_cursor = ma.fields.String(allow_none=True, required=True)


class OrganisationPatchArgs(Args):
    """Editable fields of an organisation."""

    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    region = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=64))
    external_id = ma.fields.String(allow_none=True, validate=ma.validate.Length(min=1, max=100))


class OrganisationArgs(OrganisationPatchArgs):
    """A new organisation."""

    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(ORGANISATION_KINDS))
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))


class OrganisationQueryArgs(PageArgs):
    """Filters of the organisation list."""

    kind = ma.fields.String(validate=ma.validate.OneOf(ORGANISATION_KINDS))


@blp.route("/organisations")
class Organisations(MethodView):
    """The organisations."""

    @requires("admin")
    @blp.doc(security=SECURITY)
    @blp.arguments(OrganisationQueryArgs, location="query")
    @blp.response(200, OrganisationListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List organisations, oldest first."""
        page = organisations.list_organisations(get_session(), kind=args.get("kind"),
                                                limit=args["limit"], cursor=args["cursor"])
        return {"items": page.items, "next_cursor": page.next_cursor}

    @requires("admin")
    @blp.doc(security=SECURITY)
    @blp.arguments(OrganisationArgs)
    @blp.response(201, OrganisationSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create an organisation."""
        organisation = organisations.create_organisation(get_session(), **data)
        return organisation, 201, etag_header(organisation.version)


@blp.route("/organisations/<uuid:organisation_id>")
class OrganisationItem(MethodView):
    """One organisation."""

    @requires("admin")
    @blp.doc(security=SECURITY)
    @blp.arguments(Args, location="query")
    @blp.response(200, OrganisationSchema)
    def get(self, _args: dict[str, Any], organisation_id: uuid.UUID) -> Any:
        """Return one organisation."""
        organisation = organisations.get_organisation(get_session(), organisation_id)
        return organisation, 200, etag_header(organisation.version)

    @requires("admin")
    @blp.doc(security=SECURITY, parameters=IF_MATCH)
    @blp.arguments(OrganisationPatchArgs)
    @blp.response(200, OrganisationSchema)
    def patch(self, data: dict[str, Any], organisation_id: uuid.UUID) -> Any:
        """Change an organisation's name, region or external id (If-Match required)."""
        session = get_session()
        organisation = organisations.get_organisation(session, organisation_id)
        version = require_if_match(organisation.version)
        organisation = organisations.update_organisation(
            session, organisation, expected_version=version, changes=data)
        return organisation, 200, etag_header(organisation.version)

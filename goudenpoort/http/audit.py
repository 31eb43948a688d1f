"""The audit log: who read which candidate's data, through which endpoint, when."""

from __future__ import annotations

import uuid
from typing import Any

import marshmallow as ma
from flask.views import MethodView

from goudenpoort import policy
from goudenpoort.auth import requires
from goudenpoort.db import get_session
from goudenpoort.http.blueprint import Blueprint
from goudenpoort.http.candidates import AuditEntrySchema, load
from goudenpoort.http.schemas import PageArgs, Schema
from goudenpoort.services import audit
from models.audit import AUDIT_ACTIONS

blp = Blueprint("audit", __name__, description="Audit log of reads of personal data")
SECURITY = [{"bearer": []}]


class AuditListSchema(Schema):
    """A page of audit entries, newest first."""

    items = ma.fields.List(ma.fields.Nested(AuditEntrySchema), required=True)
    next_cursor = ma.fields.String(allow_none=True, required=True)


class AuditQueryArgs(PageArgs):
    """Filters of the audit log."""

    candidate_id = ma.fields.UUID()
    actor_id = ma.fields.UUID()
    action = ma.fields.String(validate=ma.validate.OneOf(AUDIT_ACTIONS))
    since = ma.fields.AwareDateTime(
                                    metadata={"description": "ISO 8601 with zone, inclusive"})
    until = ma.fields.AwareDateTime(metadata={"description": "ISO 8601 with zone, exclusive"})


class CandidateAuditArgs(PageArgs):
    """Filters of one candidate's audit log."""

    action = ma.fields.String(validate=ma.validate.OneOf(AUDIT_ACTIONS))


@blp.route("/audit")
class AuditLog(MethodView):
    """The whole audit log (admin)."""

    @requires("admin")
    @blp.doc(security=SECURITY)
    @blp.arguments(AuditQueryArgs, location="query")
    @blp.response(200, AuditListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List audit entries, newest first, with filters."""
        page = audit.list_entries(get_session(), **args)
        return {"items": page.items, "next_cursor": page.next_cursor}


@blp.route("/candidates/<uuid:candidate_id>/audit")
class CandidateAuditLog(MethodView):
    """Who read this candidate's data."""

    @requires()
    @blp.doc(security=SECURITY)
    @blp.arguments(CandidateAuditArgs, location="query")
    @blp.response(200, AuditListSchema)
    def get(self, args: dict[str, Any], candidate_id: uuid.UUID) -> dict[str, Any]:
        """List who read this candidate's data, newest first (the candidate and their adviser)."""
        load(candidate_id, policy.may_read_candidate_audit)
        page = audit.list_entries(get_session(), candidate_id=candidate_id, **args)
        return {"items": page.items, "next_cursor": page.next_cursor}

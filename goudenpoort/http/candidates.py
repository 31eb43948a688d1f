"""Intake profiles: CRUD with ETags, history, consent, prefill from work history, export."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import marshmallow as ma
from flask import request
from flask.views import MethodView

from goudenpoort import policy
from goudenpoort.auth import current_account, requires
from goudenpoort.db import get_session
from goudenpoort.errors import Forbidden, ValidationFailed
from goudenpoort.http.blueprint import Blueprint
from goudenpoort.http.etags import (
    IF_MATCH,
    IF_MATCH_OPTIONAL,
    check_if_match,
    etag_header,
    require_if_match,
)
from goudenpoort.http.fields import StrictBoolean, StrictFloat, StrictInteger, UtcDateTime
from goudenpoort.http.schemas import Args, ConceptSchema, LangArgs, PageArgs, Schema
from goudenpoort.services import audit, candidates, consent, prefill
from goudenpoort.services.languages import ISO_639_1
from goudenpoort.services.pagination import paginate_list
from models import Account, Candidate
from models.base import utcnow
from models.candidates import (
    CANDIDATE_KINDS,
    CONSENT_AUDIENCES,
    RECOGNITION_STATUSES,
    RIGHT_TO_WORK,
    SKILL_SOURCES,
)
from models.scales import CEFR_LEVELS, EDUCATION_LEVELS

blp = Blueprint("candidates", __name__, description="Intake profiles of candidates")
SECURITY = [{"bearer": []}]
URI = ma.validate.Length(min=1, max=255)
SLUG = ma.validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,63}$", error="Must be a lower-case slug.")


def _not_future(year: int) -> None:
    """Refuse a birth year after this year."""
    if year > date.today().year:
        raise ma.ValidationError("Must not be in the future.")


# --- input -------------------------------------------------------------------------------


class EducationArgs(Args):
    """Highest education (a Dutch level), its field and, abroad, its recognition."""

    level = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(EDUCATION_LEVELS))
    field = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200))
    foreign = StrictBoolean(allow_none=True)
    recognition = ma.fields.String(allow_none=True,
                                   validate=ma.validate.OneOf(RECOGNITION_STATUSES))


class LanguageArgs(Args):
    """A language (ISO 639-1) at a CEFR level."""

    code = ma.fields.String(required=True, validate=ma.validate.OneOf(
        sorted(ISO_639_1), error="Must be an ISO 639-1 code such as nl, en, ar."))
    cefr = ma.fields.String(required=True, validate=ma.validate.OneOf(CEFR_LEVELS))


class ExperienceArgs(Args):
    """A past ESCO occupation with the years worked in it."""

    occupation = ma.fields.String(required=True, validate=URI)
    years = StrictFloat(required=True, validate=ma.validate.Range(min=0, max=60))


class SkillArgs(Args):
    """An ESCO skill at level 1 (beginner) to 4 (expert)."""

    uri = ma.fields.String(required=True, validate=URI)
    level = StrictInteger(required=True, validate=ma.validate.Range(min=1, max=4))
    source = ma.fields.String(validate=ma.validate.OneOf(SKILL_SOURCES))


class InterestsArgs(Args):
    """Sectors (slugs) and ESCO occupations the candidate is interested in."""

    sectors = ma.fields.List(ma.fields.String(validate=SLUG),
                             validate=ma.validate.Length(max=20))
    occupations = ma.fields.List(ma.fields.String(validate=URI),
                                 validate=ma.validate.Length(max=50))


class AvailabilityArgs(Args):
    """Hours per week and the first day the candidate can start."""

    hours_per_week = StrictInteger(allow_none=True, validate=ma.validate.Range(min=1, max=60))
    from_ = ma.fields.Date(data_key="from", allow_none=True)

    @ma.post_load
    def _rename(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        if "from_" in data:
            data["from"] = data.pop("from_")
        return data


class ConsentStateArgs(Args):
    """Consent per audience."""

    providers = StrictBoolean()
    employers = StrictBoolean()


class CandidatePatchArgs(Args):
    """Profile fields; in a PATCH objects merge and lists replace, `null` clears."""

    kind = ma.fields.String(validate=ma.validate.OneOf(CANDIDATE_KINDS))
    given_name = ma.fields.String(validate=ma.validate.Length(min=1, max=100))
    family_name = ma.fields.String(validate=ma.validate.Length(min=1, max=100))
    email = ma.fields.Email(allow_none=True, validate=ma.validate.Length(max=254))
    phone = ma.fields.String(allow_none=True, validate=ma.validate.Regexp(
        r"^\+?[0-9][0-9 ()-]{5,24}$", error="Must be a phone number such as +31 6 12345678."))
    birth_year = StrictInteger(allow_none=True,
                               validate=[ma.validate.Range(min=1900), _not_future])
    region = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=64))
    max_travel_km = StrictInteger(allow_none=True, validate=ma.validate.Range(min=0, max=500))
    education = ma.fields.Nested(EducationArgs, allow_none=True)
    languages = ma.fields.List(ma.fields.Nested(LanguageArgs), allow_none=True,
                               validate=ma.validate.Length(max=30))
    experience = ma.fields.List(ma.fields.Nested(ExperienceArgs), allow_none=True,
                                validate=ma.validate.Length(max=50))
    skills = ma.fields.List(ma.fields.Nested(SkillArgs), allow_none=True,
                            validate=ma.validate.Length(max=300))
    interests = ma.fields.Nested(InterestsArgs, allow_none=True)
    availability = ma.fields.Nested(AvailabilityArgs, allow_none=True)
    notes = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=5000))
    right_to_work = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(RIGHT_TO_WORK),
                                     metadata={"description": "Newcomers only"})
    consent = ma.fields.Nested(ConsentStateArgs)
    adviser_id = ma.fields.UUID(allow_none=True)


class CandidateArgs(CandidatePatchArgs):
    """A new intake profile."""

    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(CANDIDATE_KINDS))
    given_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    family_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    organisation_id = ma.fields.UUID(metadata={"description": "The desk (admin only)"})


class CandidateQueryArgs(PageArgs, LangArgs):
    """Filters of the candidate list."""

    kind = ma.fields.String(validate=ma.validate.OneOf(CANDIDATE_KINDS))
    region = ma.fields.String(validate=ma.validate.Length(max=64))
    adviser = ma.fields.String(metadata={"description": "An adviser's account id, or `me`"})


class HistoryArgs(PageArgs):
    """Which field's history."""

    field = ma.fields.String(validate=ma.validate.Length(min=1, max=300),
                             metadata={"description": "e.g. given_name, education, skills"})


class ConsentArgs(Args):
    """Give or withdraw consent for one audience."""

    audience = ma.fields.String(required=True, validate=ma.validate.OneOf(CONSENT_AUDIENCES))
    granted = StrictBoolean(required=True)


class ConfirmArgs(Args):
    """A proposal to confirm, optionally at another level."""

    uri = ma.fields.String(required=True, validate=URI)
    level = StrictInteger(validate=ma.validate.Range(min=1, max=4))


class ReviewArgs(Args):
    """Proposed skills to confirm and to drop."""

    confirm = ma.fields.List(ma.fields.Nested(ConfirmArgs), load_default=list)
    drop = ma.fields.List(ma.fields.String(validate=URI), load_default=list)


# --- output ------------------------------------------------------------------------------




class SkillOutSchema(ConceptSchema):
    """A skill of the profile with its provenance."""

    level = ma.fields.Integer(required=True)
    source = ma.fields.String(required=True)
    confirmed = ma.fields.Boolean(required=True)
    inferred_from = ma.fields.Nested(ConceptSchema, allow_none=True)
    confirmed_by = ma.fields.UUID(allow_none=True)
    confirmed_at = UtcDateTime(allow_none=True)


class ExperienceOutSchema(Schema):
    """A past occupation."""

    occupation = ma.fields.String(required=True)
    label = ma.fields.String(allow_none=True)
    label_lang = ma.fields.String(allow_none=True)
    years = ma.fields.Float(required=True)


class EducationOutSchema(Schema):
    """Education."""

    level = ma.fields.String(allow_none=True)
    field = ma.fields.String(allow_none=True)
    foreign = ma.fields.Boolean(allow_none=True)
    recognition = ma.fields.String(allow_none=True)


class LanguageOutSchema(Schema):
    """A language."""

    code = ma.fields.String(required=True)
    cefr = ma.fields.String(required=True)


class InterestsOutSchema(Schema):
    """Interests, with labels for the occupations."""

    sectors = ma.fields.List(ma.fields.String(), required=True)
    occupations = ma.fields.List(ma.fields.String(), required=True)
    occupation_labels = ma.fields.List(ma.fields.Nested(ConceptSchema), required=True)


class AvailabilityOutSchema(Schema):
    """Availability."""

    hours_per_week = ma.fields.Integer(allow_none=True)
    from_ = ma.fields.Date(data_key="from", allow_none=True)


class CompletenessSchema(Schema):
    """Which fields matching uses are still missing."""

    complete = ma.fields.Boolean(required=True)
    missing = ma.fields.List(ma.fields.String(), required=True)
    score = ma.fields.Float(required=True)


class ConsentOutSchema(Schema):
    """Current consent per audience."""

    providers = ma.fields.Boolean(required=True)
    employers = ma.fields.Boolean(required=True)


class CandidateSchema(Schema):
    """An intake profile (API.md), with completeness and version."""

    id = ma.fields.UUID(required=True)
    kind = ma.fields.String(required=True)
    given_name = ma.fields.String(required=True)
    family_name = ma.fields.String(required=True)
    email = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)
    birth_year = ma.fields.Integer(allow_none=True)
    region = ma.fields.String(allow_none=True)
    max_travel_km = ma.fields.Integer(allow_none=True)
    education = ma.fields.Nested(EducationOutSchema, required=True)
    languages = ma.fields.List(ma.fields.Nested(LanguageOutSchema), required=True)
    experience = ma.fields.List(ma.fields.Nested(ExperienceOutSchema), required=True)
    skills = ma.fields.List(ma.fields.Nested(SkillOutSchema), required=True)
    interests = ma.fields.Nested(InterestsOutSchema, required=True)
    availability = ma.fields.Nested(AvailabilityOutSchema, required=True)
    notes = ma.fields.String(allow_none=True)
    right_to_work = ma.fields.String(allow_none=True)
    consent = ma.fields.Nested(ConsentOutSchema, required=True)
    organisation_id = ma.fields.UUID(required=True)
    adviser_id = ma.fields.UUID(allow_none=True)
    account_id = ma.fields.UUID(allow_none=True)
    completeness = ma.fields.Nested(CompletenessSchema, required=True)
    version = ma.fields.Integer(required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


class CandidateSummarySchema(Schema):
    """A profile in a list."""

    id = ma.fields.UUID(required=True)
    kind = ma.fields.String(required=True)
    given_name = ma.fields.String(required=True)
    family_name = ma.fields.String(required=True)
    region = ma.fields.String(allow_none=True)
    adviser_id = ma.fields.UUID(allow_none=True)
    completeness = ma.fields.Nested(CompletenessSchema, required=True)
    version = ma.fields.Integer(required=True)
    created_at = UtcDateTime(required=True)


class CandidateListSchema(Schema):
    """A page of profiles."""

    items = ma.fields.List(ma.fields.Nested(CandidateSummarySchema), required=True)
    next_cursor = ma.fields.String(allow_none=True, required=True)


class RevisionSchema(Schema):
    """One write to a profile and the fields it changed ({path: {old, new}})."""

    id = ma.fields.UUID(required=True)
    version = ma.fields.Integer(required=True)
    at = UtcDateTime(required=True)
    actor_id = ma.fields.UUID(allow_none=True)
    actor_role = ma.fields.String(required=True)
    changes = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Raw(), required=True)


class RevisionListSchema(Schema):
    """A page of the profile's history, oldest first."""

    items = ma.fields.List(ma.fields.Nested(RevisionSchema), required=True)
    next_cursor = ma.fields.String(allow_none=True, required=True)


class ConsentChangeSchema(Schema):
    """One consent change."""

    audience = ma.fields.String(required=True)
    granted = ma.fields.Boolean(required=True)
    actor_id = ma.fields.UUID(allow_none=True)
    actor_role = ma.fields.String(required=True)
    at = UtcDateTime(required=True, attribute="created_at")


class AuditEntrySchema(Schema):
    """An audit entry: opaque ids and the endpoint, no personal data."""

    id = ma.fields.UUID(required=True)
    at = UtcDateTime(required=True, attribute="created_at")
    actor_id = ma.fields.UUID(required=True)
    actor_role = ma.fields.String(required=True)
    candidate_id = ma.fields.UUID(required=True)
    action = ma.fields.String(required=True)
    endpoint = ma.fields.String(required=True)


class AccountOutSchema(Schema):
    """The candidate's own account, in the export."""

    id = ma.fields.UUID(required=True)
    email = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    role = ma.fields.String(required=True)
    active = ma.fields.Boolean(required=True)
    created_at = UtcDateTime(required=True)


class ExportSchema(Schema):
    """Everything stored about the candidate (right of access, GDPR art. 15 and 20)."""

    exported_at = UtcDateTime(required=True)
    profile = ma.fields.Nested(CandidateSchema, required=True)
    history = ma.fields.List(ma.fields.Nested(RevisionSchema), required=True)
    consent_history = ma.fields.List(ma.fields.Nested(ConsentChangeSchema), required=True)
    audit = ma.fields.List(ma.fields.Nested(AuditEntrySchema), required=True)
    account = ma.fields.Nested(AccountOutSchema, allow_none=True)


# --- helpers -----------------------------------------------------------------------------


def endpoint() -> str:
    """Return this request's route (method and rule, never query values) for the audit log."""
    rule = request.url_rule.rule if request.url_rule is not None else request.path
    return f"{request.method} {rule}"


def load(candidate_id: uuid.UUID, may: Any = policy.may_read_candidate) -> Candidate:
    """Return the profile the caller may act on (403 for the role, 404 for this one)."""
    return candidates.get_candidate(get_session(), actor=current_account(),
                                    candidate_id=candidate_id, may=may)


def audit_read(candidate: Candidate, action: str = "read") -> None:
    """Log the caller's read of this candidate's data, unless the caller is the candidate."""
    audit.record_read(get_session(), actor=current_account(), candidate_id=candidate.id,
                      endpoint=endpoint(), action=action, account_id=candidate.account_id)


def _concept(uri: str | None, labels: dict[str, tuple[str, str]]) -> dict[str, Any] | None:
    if uri is None:
        return None
    label, lang = labels.get(uri, (None, None))
    return {"uri": uri, "label": label, "label_lang": lang}


def profile_document(candidate: Candidate, labels: dict[str, tuple[str, str]]
                     ) -> dict[str, Any]:
    """Return the API view of a profile."""
    return {
        "id": candidate.id,
        "kind": candidate.kind,
        "given_name": candidate.given_name,
        "family_name": candidate.family_name,
        "email": candidate.email,
        "phone": candidate.phone,
        "birth_year": candidate.birth_year,
        "region": candidate.region,
        "max_travel_km": candidate.max_travel_km,
        "education": {"level": candidate.education_level, "field": candidate.education_field,
                      "foreign": candidate.education_foreign,
                      "recognition": candidate.education_recognition},
        "languages": [{"code": lang.code, "cefr": lang.cefr} for lang in candidate.languages],
        "experience": [
            {"occupation": e.occupation_uri, "years": e.years,
             **{k: v for k, v in (_concept(e.occupation_uri, labels) or {}).items()
                if k != "uri"}}
            for e in candidate.experience
        ],
        "skills": [
            {**(_concept(s.skill_uri, labels) or {}), "level": s.level, "source": s.source,
             "confirmed": s.confirmed, "inferred_from": _concept(s.inferred_from, labels),
             "confirmed_by": s.confirmed_by, "confirmed_at": s.confirmed_at}
            for s in candidate.skills
        ],
        "interests": {
            "sectors": [i.value for i in candidate.interests if i.kind == "sector"],
            "occupations": [i.value for i in candidate.interests if i.kind == "occupation"],
            "occupation_labels": [_concept(i.value, labels) for i in candidate.interests
                                  if i.kind == "occupation"],
        },
        "availability": {"hours_per_week": candidate.hours_per_week,
                         "from_": candidate.available_from},
        "notes": candidate.notes,
        "right_to_work": candidate.right_to_work,
        "consent": consent.current_consent(candidate),
        "organisation_id": candidate.organisation_id,
        "adviser_id": candidate.adviser_id,
        "account_id": candidate.account_id,
        "completeness": candidates.completeness(candidate),
        "version": candidate.version,
        "created_at": candidate.created_at,
        "updated_at": candidate.updated_at,
    }


def respond(candidate: Candidate, lang: str, status: int = 200) -> Any:
    """Return the profile with its ETag, logging the read."""
    audit_read(candidate)
    labels = candidates.concept_labels(get_session(), [candidate], lang)
    return profile_document(candidate, labels), status, etag_header(candidate.version)


def _adviser_filter(value: str | None, actor: Account) -> uuid.UUID | None:
    """Turn the `adviser` filter (`me` or an account id) into an id."""
    if value is None:
        return None
    if value == "me":
        return actor.id
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise ValidationFailed(details={"adviser": ["Must be an account id or `me`."]}) from exc


# --- endpoints ---------------------------------------------------------------------------


@blp.route("/candidates")
class Candidates(MethodView):
    """The intake profiles."""

    @requires()
    @blp.doc(security=SECURITY)
    @blp.arguments(CandidateQueryArgs, location="query")
    @blp.response(200, CandidateListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the profiles you may see (advisers: your desk's), oldest first."""
        actor = current_account()
        session = get_session()
        page = candidates.list_candidates(
            session, actor=actor, kind=args.get("kind"), region=args.get("region"),
            adviser_id=_adviser_filter(args.get("adviser"), actor),
            limit=args["limit"], cursor=args["cursor"])
        audit.record_reads(session, actor=actor, candidate_ids=[c.id for c in page.items],
                           endpoint=endpoint(),
                           account_ids={c.id: c.account_id for c in page.items})
        items = [{"id": c.id, "kind": c.kind, "given_name": c.given_name,
                  "family_name": c.family_name, "region": c.region, "adviser_id": c.adviser_id,
                  "completeness": candidates.completeness(c), "version": c.version,
                  "created_at": c.created_at} for c in page.items]
        return {"items": items, "next_cursor": page.next_cursor}

    @requires()
    @blp.doc(security=SECURITY)
    @blp.arguments(LangArgs, location="query")
    @blp.arguments(CandidateArgs)
    @blp.response(201, CandidateSchema)
    def post(self, args: dict[str, Any], data: dict[str, Any]) -> Any:
        """Create an intake profile (advisers, in their own desk)."""
        actor = current_account()
        if not policy.may_use_profiles(actor) or not policy.may_create_candidate(actor):
            raise Forbidden("Only advisers create intake profiles.")
        organisation_id = data.pop("organisation_id", None)
        candidate = candidates.create_candidate(get_session(), actor=actor, data=data,
                                                organisation_id=organisation_id)
        return respond(candidate, args["lang"], 201)


@blp.route("/candidates/<uuid:candidate_id>")
class CandidateItem(MethodView):
    """One intake profile."""

    @requires()
    @blp.doc(security=SECURITY)
    @blp.arguments(LangArgs, location="query")
    @blp.response(200, CandidateSchema)
    def get(self, args: dict[str, Any], candidate_id: uuid.UUID) -> Any:
        """Return a profile with its completeness; the response carries its ETag."""
        return respond(load(candidate_id), args["lang"])

    @requires()
    @blp.doc(security=SECURITY, parameters=IF_MATCH)
    @blp.arguments(LangArgs, location="query")
    @blp.arguments(CandidatePatchArgs)
    @blp.response(200, CandidateSchema)
    def patch(self, args: dict[str, Any], data: dict[str, Any], candidate_id: uuid.UUID) -> Any:
        """Correct a profile (If-Match required): objects merge, lists replace, null clears."""
        candidate = load(candidate_id, policy.may_edit_candidate)
        version = require_if_match(candidate.version)
        candidates.update_candidate(get_session(), actor=current_account(), candidate=candidate,
                                    expected_version=version, data=data)
        return respond(candidate, args["lang"])

    @requires()
    @blp.doc(security=SECURITY, parameters=IF_MATCH)
    @blp.response(204)
    def delete(self, candidate_id: uuid.UUID) -> None:
        """Erase the profile, its skills, consents, history and account (If-Match required)."""
        candidate = load(candidate_id, policy.may_erase_candidate)
        version = require_if_match(candidate.version)
        candidates.erase_candidate(get_session(), actor=current_account(), candidate=candidate,
                                   expected_version=version, endpoint=endpoint())


@blp.route("/candidates/<uuid:candidate_id>/history")
class CandidateHistory(MethodView):
    """Provenance of a profile."""

    @requires()
    @blp.doc(security=SECURITY)
    @blp.arguments(HistoryArgs, location="query")
    @blp.response(200, RevisionListSchema)
    def get(self, args: dict[str, Any], candidate_id: uuid.UUID) -> dict[str, Any]:
        """Return who changed which field from what to what, oldest first."""
        candidate = load(candidate_id)
        audit_read(candidate)
        items = candidates.revisions(candidate, args.get("field"))
        page = paginate_list(items, key=lambda r: (r["at"], r["id"]), limit=args["limit"],
                             cursor=args["cursor"])
        return {"items": page.items, "next_cursor": page.next_cursor}


@blp.route("/candidates/<uuid:candidate_id>/consent")
class CandidateConsent(MethodView):
    """Consent to share with training providers and employers."""

    @requires()
    @blp.doc(security=SECURITY, parameters=IF_MATCH_OPTIONAL)
    @blp.arguments(ConsentArgs)
    @blp.response(200, ConsentOutSchema)
    def post(self, data: dict[str, Any], candidate_id: uuid.UUID) -> Any:
        """Give or withdraw consent for one audience (the candidate or their adviser)."""
        candidate = load(candidate_id, policy.may_give_consent)
        check_if_match(candidate.version)
        consent.set_consent(get_session(), actor=current_account(), candidate=candidate,
                            audience=data["audience"], granted=data["granted"])
        audit_read(candidate)
        return consent.current_consent(candidate), 200, etag_header(candidate.version)


@blp.route("/candidates/<uuid:candidate_id>/skills/proposals")
class SkillProposals(MethodView):
    """Prefill from work history."""

    @requires()
    @blp.doc(security=SECURITY, parameters=IF_MATCH_OPTIONAL)
    @blp.arguments(LangArgs, location="query")
    @blp.response(200, CandidateSchema)
    def post(self, args: dict[str, Any], candidate_id: uuid.UUID) -> Any:
        """Propose the essential skills of past occupations (source `inferred`, unconfirmed)."""
        candidate = load(candidate_id, policy.may_review_skills)
        check_if_match(candidate.version)
        prefill.propose_skills(get_session(), actor=current_account(), candidate=candidate)
        return respond(candidate, args["lang"])


@blp.route("/candidates/<uuid:candidate_id>/skills/review")
class SkillReview(MethodView):
    """Confirm or drop proposed skills."""

    @requires()
    @blp.doc(security=SECURITY, parameters=IF_MATCH_OPTIONAL)
    @blp.arguments(LangArgs, location="query")
    @blp.arguments(ReviewArgs)
    @blp.response(200, CandidateSchema)
    def post(self, args: dict[str, Any], data: dict[str, Any], candidate_id: uuid.UUID) -> Any:
        """Confirm (keeping provenance) or drop proposed skills, all in one go."""
        candidate = load(candidate_id, policy.may_review_skills)
        check_if_match(candidate.version)
        prefill.review_skills(get_session(), actor=current_account(), candidate=candidate,
                              confirm=data["confirm"], drop=data["drop"])
        return respond(candidate, args["lang"])


@blp.route("/candidates/<uuid:candidate_id>/export")
class CandidateExport(MethodView):
    """Right of access."""

    @requires()
    @blp.doc(security=SECURITY)
    @blp.arguments(LangArgs, location="query")
    @blp.response(200, ExportSchema)
    def get(self, args: dict[str, Any], candidate_id: uuid.UUID) -> Any:
        """Return everything stored about the candidate as one JSON document."""
        session = get_session()
        candidate = load(candidate_id, policy.may_export_candidate)
        audit_read(candidate, action="export")
        session.flush()  # the export lists this very read too
        labels = candidates.concept_labels(session, [candidate], args["lang"])
        account = session.get(Account, candidate.account_id) if candidate.account_id else None
        document = {
            "exported_at": utcnow(),
            "profile": profile_document(candidate, labels),
            "history": candidates.revisions(candidate),
            "consent_history": consent.history(candidate),
            "audit": audit.entries_for(session, candidate.id),
            "account": account,
        }
        return document, 200, etag_header(candidate.version)

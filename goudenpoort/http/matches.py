"""Match endpoints: routes, employers and occupations for a candidate; candidates for a route
or vacancy. Every item explains itself (API.md "A match")."""

from __future__ import annotations

import uuid
from typing import Any

import marshmallow as ma
from flask import Response, jsonify, request
from flask.views import MethodView

from goudenpoort import index_registry
from goudenpoort.auth import current_account, requires
from goudenpoort.db import get_session
from goudenpoort.http.blueprint import Blueprint
from goudenpoort.http.schemas import ConceptSchema, LangArgs, Schema
from goudenpoort.services import matching
from models.employers import SECTORS

blp = Blueprint("matches", __name__, description="Explained matches in both directions")
SECURITY = [{"bearer": []}]


# --- input -------------------------------------------------------------------------------


class MatchArgs(LangArgs):
    """What every match list accepts."""

    min_score = ma.fields.Float(load_default=0.0, validate=ma.validate.Range(min=0, max=1),
                                metadata={"description": "Leave out matches scoring below this"})
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))


class PlaceArgs(MatchArgs):
    """Filters on where an item is."""

    region = ma.fields.String(validate=ma.validate.Length(min=1, max=64), metadata={
        "description": "Labour-market region slug (GET /api/v1/regions); unknown: 422"})
    max_travel_km = ma.fields.Float(validate=ma.validate.Range(min=0, max=1000), metadata={
        "description": "Leave out items farther than this, as the crow flies from the centre "
                       "of the candidate's region (an unknown distance is kept)"})


class CandidateMatchArgs(PlaceArgs):
    """Filters of the candidate's match lists; flags inform, these filter."""

    sector = ma.fields.String(validate=ma.validate.OneOf(SECTORS))
    hours = ma.fields.Integer(validate=ma.validate.Range(min=1, max=60), metadata={
        "description": "Hours per week the candidate can work (default: the profile's); "
                       "items that need more are left out"})
    start = ma.fields.Date(metadata={
        "description": "First day the candidate can start (default: the profile's); items "
                       "whose (last) start date is earlier are left out"})


def filters(args: dict[str, Any]) -> matching.Filters:
    """Turn the query arguments into the service's filters."""
    return matching.Filters(
        region=args.get("region"), max_travel_km=args.get("max_travel_km"),
        min_score=args["min_score"], sector=args.get("sector"), hours=args.get("hours"),
        start=args.get("start"), limit=args["limit"])


# --- output ------------------------------------------------------------------------------


class BreakdownSchema(Schema):
    """Where the score comes from."""

    exact = ma.fields.Float(required=True, metadata={"description": "Part from the same skills"})
    structure = ma.fields.Float(required=True, metadata={
        "description": "Part from related skills through the ESCO structure"})
    essential_coverage = ma.fields.Float(required=True, metadata={
        "description": "Share of essential skills covered"})


class MatchedSkillSchema(ConceptSchema):
    """A needed skill the candidate covers, and how."""

    essential = ma.fields.Boolean(required=True)
    via = ma.fields.String(required=True, metadata={
        "description": "exact | narrower | broader | related | sibling"})
    have = ma.fields.Nested(ConceptSchema, required=True)
    level_fit = ma.fields.Float(required=True)


class MissingSkillSchema(ConceptSchema):
    """A needed skill the candidate lacks."""

    essential = ma.fields.Boolean(required=True)


class ExplainedSchema(Schema):
    """What every match carries."""

    score = ma.fields.Float(required=True)
    breakdown = ma.fields.Nested(BreakdownSchema, required=True)
    matched_skills = ma.fields.List(ma.fields.Nested(MatchedSkillSchema), required=True)
    missing_skills = ma.fields.List(ma.fields.Nested(MissingSkillSchema), required=True)
    flags = ma.fields.List(ma.fields.String(), required=True)
    distance_km = ma.fields.Float(allow_none=True)


class NotEnoughDataSchema(Schema):
    """Why nothing was ranked."""

    missing = ma.fields.List(ma.fields.String(), required=True)
    message = ma.fields.String(required=True)
    known_skills = ma.fields.Integer(required=True)
    needed_skills = ma.fields.Integer(required=True)
    unknown_skills = ma.fields.List(ma.fields.String(), required=True)


class RefSchema(Schema):
    """An organisation by id and name."""

    id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)


class RouteRefSchema(Schema):
    """The route of a match."""

    id = ma.fields.UUID(required=True)
    title = ma.fields.String(required=True)
    provider = ma.fields.Nested(RefSchema, required=True)
    level = ma.fields.String()
    mode = ma.fields.String()
    place = ma.fields.String()
    region = ma.fields.String(allow_none=True)


class ModuleGapSchema(Schema):
    """A module and the candidate's gaps it closes."""

    position = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    closes = ma.fields.List(ma.fields.Nested(ConceptSchema), required=True)


class UnlockSchema(Schema):
    """A vacancy that fits better after the route."""

    vacancy = ma.fields.String(required=True, metadata={"description": "The vacancy id"})
    title = ma.fields.String(required=True)
    score_before = ma.fields.Float(required=True)
    score_after = ma.fields.Float(required=True)


class PrerequisiteSchema(ConceptSchema):
    """A skill the route requires beforehand, at the level required."""

    level = ma.fields.Integer(required=True)


class RouteHead(Schema):
    """The route matched (listed first)."""

    route = ma.fields.Nested(RouteRefSchema, required=True)


# Bases in this order put the head's fields first: marshmallow lists inherited fields from the
# farthest base to the nearest, then the class's own.
class RouteMatchSchema(ExplainedSchema, RouteHead):
    """A training route for the candidate."""

    gains = ma.fields.List(ma.fields.Nested(ConceptSchema), required=True)
    modules = ma.fields.List(ma.fields.Nested(ModuleGapSchema), required=True)
    missing_prerequisites = ma.fields.List(ma.fields.Nested(PrerequisiteSchema), required=True)
    unlocks = ma.fields.List(ma.fields.Nested(UnlockSchema), required=True)


class VacancyRefSchema(Schema):
    """A vacancy by id, title and region."""

    id = ma.fields.UUID(required=True)
    title = ma.fields.String(required=True)
    region = ma.fields.String(allow_none=True)


class VacancyHead(Schema):
    """The vacancy matched."""

    vacancy = ma.fields.Nested(VacancyRefSchema, required=True)


class VacancyMatchSchema(ExplainedSchema, VacancyHead):
    """An open vacancy of a matched employer."""


class EmployerRefSchema(RefSchema):
    """The employer of a match."""

    region = ma.fields.String(allow_none=True)


class EmployerHead(Schema):
    """The employer matched."""

    employer = ma.fields.Nested(EmployerRefSchema, required=True)


class EmployerMatchSchema(ExplainedSchema, EmployerHead):
    """An employer, scored on everything it hires for, with its best open vacancies."""

    hires_for = ma.fields.List(ma.fields.Nested(ConceptSchema), required=True)
    vacancies = ma.fields.List(ma.fields.Nested(VacancyMatchSchema), required=True)


class OccupationHead(Schema):
    """The occupation matched."""

    occupation = ma.fields.Nested(ConceptSchema, required=True)


class OccupationMatchSchema(ExplainedSchema, OccupationHead):
    """A technical occupation: transferable skills (matched) and the gap (missing)."""

    gains = ma.fields.List(ma.fields.Nested(ConceptSchema), required=True)


def _list(item: type[Schema], name: str) -> type[Schema]:
    """Return the schema of a candidate-side match list."""
    return type(name, (Schema,), {
        "__doc__": "A ranking (best first) or, for a thin profile, why there is none.",
        "items": ma.fields.List(ma.fields.Nested(item), required=True),
        "not_enough_data": ma.fields.Nested(NotEnoughDataSchema, allow_none=True),
    })


RouteMatchesSchema = _list(RouteMatchSchema, "RouteMatchesSchema")
EmployerMatchesSchema = _list(EmployerMatchSchema, "EmployerMatchesSchema")
OccupationMatchesSchema = _list(OccupationMatchSchema, "OccupationMatchesSchema")


class CandidateRefSchema(Schema):
    """The minimal personal data a provider or employer sees of a consenting candidate."""

    id = ma.fields.UUID(required=True)
    given_name = ma.fields.String(required=True)
    family_name = ma.fields.String(required=True)
    region = ma.fields.String(allow_none=True)


class CandidateHead(Schema):
    """The candidate matched."""

    candidate = ma.fields.Nested(CandidateRefSchema, required=True)


class CandidateMatchSchema(ExplainedSchema, CandidateHead):
    """A consenting candidate for the route or vacancy."""


class ItemRefSchema(Schema):
    """The route or vacancy matched against."""

    id = ma.fields.UUID(required=True)
    title = ma.fields.String(required=True)


def _candidates(head: str, name: str) -> type[Schema]:
    """Return the schema of an item-side match list: the item under `head`, then candidates."""
    return type(name, (Schema,), {
        "__doc__": f"Consenting candidates for a {head}, best first.",
        head: ma.fields.Nested(ItemRefSchema, required=True),
        "audience": ma.fields.String(required=True),
        "items": ma.fields.List(ma.fields.Nested(CandidateMatchSchema), required=True),
    })


RouteCandidatesSchema = _candidates("route", "RouteCandidatesSchema")
VacancyCandidatesSchema = _candidates("vacancy", "VacancyCandidatesSchema")


# --- endpoints ---------------------------------------------------------------------------


def endpoint() -> str:
    """Return this request's route (never query values) for the audit log."""
    rule = request.url_rule.rule if request.url_rule is not None else request.path
    return f"{request.method} {rule}"


def _rank(use_case: Any, args: dict[str, Any], **target: uuid.UUID) -> Response:
    """Run a match use case for one target (candidate_id=, route_id= or vacancy_id=).

    The use cases build their answers in exactly the documented shape (the schemas below; a
    test holds every answer to `schema.dump(answer) == answer`), so the answer is sent as it
    is: dumping an employer list through marshmallow again cost about a third of the request.
    """
    found = use_case(get_session(), index_registry.registry(), actor=current_account(),
                     filters=filters(args), lang=args["lang"], endpoint=endpoint(), **target)
    return jsonify(found)


@blp.route("/candidates/<uuid:candidate_id>/matches/routes")
class CandidateRoutes(MethodView):
    """Training routes for a candidate."""

    @requires()
    @blp.doc(security=SECURITY)
    @blp.arguments(CandidateMatchArgs, location="query")
    @blp.response(200, RouteMatchesSchema)
    def get(self, args: dict[str, Any], candidate_id: uuid.UUID) -> Any:
        """Rank training routes for the candidate, each explained (gains, modules, unlocks)."""
        return _rank(matching.match_routes, args, candidate_id=candidate_id)


@blp.route("/candidates/<uuid:candidate_id>/matches/employers")
class CandidateEmployers(MethodView):
    """Employers for a candidate."""

    @requires()
    @blp.doc(security=SECURITY)
    @blp.arguments(CandidateMatchArgs, location="query")
    @blp.response(200, EmployerMatchesSchema)
    def get(self, args: dict[str, Any], candidate_id: uuid.UUID) -> Any:
        """Rank employers for the candidate, each with its best-matching open vacancies."""
        return _rank(matching.match_employers, args, candidate_id=candidate_id)


@blp.route("/candidates/<uuid:candidate_id>/matches/occupations")
class CandidateOccupations(MethodView):
    """Technical occupations within reach of a candidate."""

    @requires()
    @blp.doc(security=SECURITY)
    @blp.arguments(MatchArgs, location="query")
    @blp.response(200, OccupationMatchesSchema)
    def get(self, args: dict[str, Any], candidate_id: uuid.UUID) -> Any:
        """Rank technical occupations reachable from skills and past work, with the gap."""
        return _rank(matching.match_occupations, args, candidate_id=candidate_id)


@blp.route("/routes/<uuid:route_id>/matches/candidates")
class RouteCandidates(MethodView):
    """Consenting candidates for a route."""

    @requires("admin", "provider")
    @blp.doc(security=SECURITY)
    @blp.arguments(PlaceArgs, location="query")
    @blp.response(200, RouteCandidatesSchema)
    def get(self, args: dict[str, Any], route_id: uuid.UUID) -> Any:
        """Rank candidates who share with providers for your route (every read is audited)."""
        return _rank(matching.route_candidates, args, route_id=route_id)


@blp.route("/vacancies/<uuid:vacancy_id>/matches/candidates")
class VacancyCandidates(MethodView):
    """Consenting candidates for a vacancy."""

    @requires("admin", "employer")
    @blp.doc(security=SECURITY)
    @blp.arguments(PlaceArgs, location="query")
    @blp.response(200, VacancyCandidatesSchema)
    def get(self, args: dict[str, Any], vacancy_id: uuid.UUID) -> Any:
        """Rank candidates who share with employers for your vacancy (every read is audited)."""
        return _rank(matching.vacancy_candidates, args, vacancy_id=vacancy_id)

"""Training routes: the catalogue of training centres, and their bulk import."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from goudenpoort.http import catalogue as common
from goudenpoort.http import catalogue_views
from goudenpoort.http.blueprint import Blueprint
from goudenpoort.http.fields import UtcDateTime
from goudenpoort.http.schemas import Args, ConceptSchema, OrganisationRefSchema, Schema
from goudenpoort.services import routes as service
from models import TrainingRoute
from models.routes import ROUTE_LEVELS, ROUTE_MODES

blp = Blueprint("routes", __name__, description="Training routes offered by training centres")


class ModuleArgs(Args):
    """A module of a route."""

    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    hours = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=1, max=5000))
    skills = ma.fields.List(ma.fields.Nested(common.ConceptArgs), metadata={
        "description": "Skills this module teaches; each must be among the route's skills"})


class PrerequisitesArgs(Args):
    """What a participant needs before the route."""

    min_education = common.education()
    min_dutch_cefr = common.cefr()
    skills = ma.fields.List(ma.fields.Nested(common.LeveledSkillArgs))


class PartnerArgs(Args):
    """An employer organisation by id."""

    id = ma.fields.UUID(required=True)


class RouteArgs(Args):
    """A training route as clients send it."""

    provider_id = ma.fields.UUID(metadata={"description": "Admins only; providers get their own"})
    external_id = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=100))
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    description = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=10000))
    level = ma.fields.String(required=True, validate=ma.validate.OneOf(ROUTE_LEVELS))
    mode = ma.fields.String(required=True, validate=ma.validate.OneOf(ROUTE_MODES))
    place = common.location_fields()["place"]
    region = common.location_fields()["region"]
    lat = common.location_fields()["lat"]
    lon = common.location_fields()["lon"]
    duration_weeks = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(1, 520))
    hours_per_week = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(1, 60))
    start_dates = ma.fields.List(ma.fields.Date())
    seats = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(0, 100000))
    cost_eur = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(0, 1000000))
    funding_notes = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=2000))
    prerequisites = ma.fields.Nested(PrerequisitesArgs)
    skills = ma.fields.List(ma.fields.Nested(common.LeveledSkillArgs), metadata={
        "description": "Skills the route teaches, each with its target level"})
    modules = ma.fields.List(ma.fields.Nested(ModuleArgs))
    occupations = ma.fields.List(ma.fields.Nested(common.ConceptArgs), metadata={
        "description": "ESCO occupations the route prepares for"})
    job_guarantee_partners = ma.fields.List(ma.fields.Nested(PartnerArgs), metadata={
        "description": "Employers that guarantee a job to those who finish"})


class RoutePatchArgs(RouteArgs):
    """A partial change: the fields sent replace the item's (prerequisites merge)."""


class RouteListArgs(common.CatalogueListArgs):
    """Filters of the route list."""

    provider = ma.fields.UUID(metadata={"description": "Training centre id"})
    skill = ma.fields.String(validate=ma.validate.Length(max=255),
                             metadata={"description": "ESCO skill URI or id the route teaches"})
    level = ma.fields.String(validate=ma.validate.OneOf(ROUTE_LEVELS))
    mode = ma.fields.String(validate=ma.validate.OneOf(ROUTE_MODES))


class ModuleSchema(Schema):
    """A module with the skills it teaches."""

    title = ma.fields.String(required=True)
    hours = ma.fields.Integer(allow_none=True)
    skills = ma.fields.List(ma.fields.Nested(ConceptSchema))


class PrerequisitesSchema(Schema):
    """Entry requirements."""

    min_education = ma.fields.String(allow_none=True)
    min_dutch_cefr = ma.fields.String(allow_none=True)
    skills = ma.fields.List(ma.fields.Nested(common.LeveledSkillSchema))


class RouteSchema(Schema):
    """A training route."""

    id = ma.fields.UUID(required=True)
    external_id = ma.fields.String(allow_none=True)
    provider = ma.fields.Nested(OrganisationRefSchema, required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String()
    level = ma.fields.String(required=True)
    mode = ma.fields.String(required=True)
    place = ma.fields.String()
    region = ma.fields.String(allow_none=True)
    lat = ma.fields.Float(allow_none=True)
    lon = ma.fields.Float(allow_none=True)
    duration_weeks = ma.fields.Integer(allow_none=True)
    hours_per_week = ma.fields.Integer(allow_none=True)
    start_dates = ma.fields.List(ma.fields.String())
    seats = ma.fields.Integer(allow_none=True)
    cost_eur = ma.fields.Integer(allow_none=True)
    funding_notes = ma.fields.String()
    prerequisites = ma.fields.Nested(PrerequisitesSchema)
    skills = ma.fields.List(ma.fields.Nested(common.LeveledSkillSchema))
    modules = ma.fields.List(ma.fields.Nested(ModuleSchema))
    occupations = ma.fields.List(ma.fields.Nested(ConceptSchema))
    job_guarantee_partners = ma.fields.List(ma.fields.Nested(OrganisationRefSchema))
    version = ma.fields.Integer(required=True, metadata={"description": "Also the ETag"})
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


RoutePageSchema = common.page_of(RouteSchema, "RoutePageSchema", "routes")


def render(route: TrainingRoute, lang: str) -> dict[str, Any]:
    """Return a route in the API shape with labels in `lang`."""
    def leveled(relation: str) -> list[dict[str, Any]]:
        return [{**common.concept(s.skill, lang), "level": s.level}
                for s in route.skills if s.relation == relation]

    return {
        "id": route.id,
        "external_id": route.external_id,
        "provider": common.organisation_ref(route.provider),
        "title": route.title,
        "description": route.description,
        "level": route.level,
        "mode": route.mode,
        "place": route.place,
        "region": route.region,
        "lat": route.lat,
        "lon": route.lon,
        "duration_weeks": route.duration_weeks,
        "hours_per_week": route.hours_per_week,
        "start_dates": list(route.start_dates or []),
        "seats": route.seats,
        "cost_eur": route.cost_eur,
        "funding_notes": route.funding_notes,
        "prerequisites": {
            "min_education": route.min_education,
            "min_dutch_cefr": route.min_dutch_cefr,
            "skills": leveled("required"),
        },
        "skills": leveled("taught"),
        "modules": [
            {"title": m.title, "hours": m.hours,
             "skills": [common.concept(ms.skill, lang) for ms in route.module_skills
                        if ms.module_position == m.position]}
            for m in route.modules
        ],
        "occupations": [common.concept(o.occupation, lang) for o in route.occupations],
        "job_guarantee_partners": [common.organisation_ref(p.employer) for p in route.partners],
        "version": route.version,
        "created_at": route.created_at,
        "updated_at": route.updated_at,
    }


catalogue_views.register(blp, catalogue_views.CatalogueViews(
    kind=service.ROUTES, class_name="Route", role="provider", owner_field="provider_id",
    owner_place="training centre", args=RouteArgs, patch_args=RoutePatchArgs,
    list_args=RouteListArgs, schema=RouteSchema, page_schema=RoutePageSchema, render=render,
    list_items=service.list_routes,
    list_summary="List training routes (filters: region, provider, occupation, skill, level, "
                 "mode, q).",
    create_summary="Create a training route for your training centre (admins: give "
                   "provider_id).",
))

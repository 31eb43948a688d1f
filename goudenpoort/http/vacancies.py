"""Vacancies: the employers' side of the catalogue, and their bulk import."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from goudenpoort.http import catalogue as common
from goudenpoort.http import catalogue_views
from goudenpoort.http.blueprint import Blueprint
from goudenpoort.http.fields import UtcDateTime
from goudenpoort.http.schemas import Args, ConceptSchema, OrganisationRefSchema, Schema
from goudenpoort.services import catalogue
from goudenpoort.services import vacancies as service
from models import Vacancy
from models.vacancies import VACANCY_STATUSES

blp = Blueprint("vacancies", __name__, description="Employers' vacancies")

class VacancySkillArgs(common.LeveledSkillArgs):
    """A required skill: essential (default) or optional."""

    essential = ma.fields.Boolean(load_default=True)


class VacancyArgs(Args):
    """A vacancy as clients send it."""

    employer_id = ma.fields.UUID(metadata={"description": "Admins only; employers get their own"})
    external_id = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=100))
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    description = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=10000))
    occupation = ma.fields.Nested(common.ConceptArgs, required=True)
    skills = ma.fields.List(ma.fields.Nested(VacancySkillArgs))
    min_dutch_cefr = common.cefr()
    min_education = common.education()
    hours_per_week = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(1, 60))
    start_date = ma.fields.Date(allow_none=True)
    place = common.location_fields()["place"]
    region = common.location_fields()["region"]
    lat = common.location_fields()["lat"]
    lon = common.location_fields()["lon"]
    positions = ma.fields.Integer(validate=ma.validate.Range(1, 10000))
    guarantee = ma.fields.Boolean(metadata={
        "description": "Comes with the 10-year work-and-development guarantee"})
    status = ma.fields.String(validate=ma.validate.OneOf(VACANCY_STATUSES))


class VacancyPatchArgs(VacancyArgs):
    """A partial change: the fields sent replace the item's."""


class VacancyListArgs(common.CatalogueListArgs):
    """Filters of the vacancy list."""

    employer = ma.fields.UUID(metadata={"description": "Employer organisation id"})
    skill = ma.fields.String(validate=ma.validate.Length(max=255),
                             metadata={"description": "ESCO skill URI or id the vacancy asks"})
    status = ma.fields.String(validate=ma.validate.OneOf(VACANCY_STATUSES))
    open = ma.fields.Boolean(metadata={"description": "Shorthand for status=open / closed"})
    guarantee = ma.fields.Boolean()


class VacancySkillSchema(common.LeveledSkillSchema):
    """A required skill."""

    essential = ma.fields.Boolean(required=True)


class VacancySchema(Schema):
    """A vacancy."""

    id = ma.fields.UUID(required=True)
    external_id = ma.fields.String(allow_none=True)
    employer = ma.fields.Nested(OrganisationRefSchema, required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String()
    occupation = ma.fields.Nested(ConceptSchema, required=True)
    skills = ma.fields.List(ma.fields.Nested(VacancySkillSchema))
    min_dutch_cefr = ma.fields.String(allow_none=True)
    min_education = ma.fields.String(allow_none=True)
    hours_per_week = ma.fields.Integer(allow_none=True)
    start_date = ma.fields.Date(allow_none=True)
    place = ma.fields.String()
    region = ma.fields.String(allow_none=True)
    lat = ma.fields.Float(allow_none=True)
    lon = ma.fields.Float(allow_none=True)
    positions = ma.fields.Integer()
    guarantee = ma.fields.Boolean()
    status = ma.fields.String()
    version = ma.fields.Integer(required=True, metadata={"description": "Also the ETag"})
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


VacancyPageSchema = common.page_of(VacancySchema, "VacancyPageSchema", "vacancies")


def render(vacancy: Vacancy, lang: str) -> dict[str, Any]:
    """Return a vacancy in the API shape with labels in `lang`."""
    return {
        "id": vacancy.id,
        "external_id": vacancy.external_id,
        "employer": common.organisation_ref(vacancy.employer),
        "title": vacancy.title,
        "description": vacancy.description,
        "occupation": common.concept(vacancy.occupation, lang),
        "skills": [{**common.concept(s.skill, lang), "level": s.level, "essential": s.essential}
                   for s in vacancy.skills],
        "min_dutch_cefr": vacancy.min_dutch_cefr,
        "min_education": vacancy.min_education,
        "hours_per_week": vacancy.hours_per_week,
        "start_date": vacancy.start_date,
        "place": vacancy.place,
        "region": vacancy.region,
        "lat": vacancy.lat,
        "lon": vacancy.lon,
        "positions": vacancy.positions,
        "guarantee": vacancy.guarantee,
        "status": vacancy.status,
        "version": vacancy.version,
        "created_at": vacancy.created_at,
        "updated_at": vacancy.updated_at,
    }


def list_filters(args: dict[str, Any]) -> dict[str, Any]:
    """Turn `open` into the status it stands for (422 when it contradicts `status`)."""
    is_open = args.pop("open", None)
    if is_open is not None:
        wanted = "open" if is_open else "closed"
        if args.get("status", wanted) != wanted:
            raise catalogue.invalid({"open": ["Contradicts `status`."]})
        args["status"] = wanted
    return args


catalogue_views.register(blp, catalogue_views.CatalogueViews(
    kind=service.VACANCIES, class_name="Vacancy", role="employer", owner_field="employer_id",
    owner_place="organisation", args=VacancyArgs, patch_args=VacancyPatchArgs,
    list_args=VacancyListArgs, schema=VacancySchema, page_schema=VacancyPageSchema,
    render=render, list_items=service.list_vacancies, list_filters=list_filters,
    list_summary="List vacancies (filters: region, employer, occupation, skill, open, "
                 "guarantee, q).",
    create_summary="Create a vacancy for your organisation (admins: give employer_id).",
))

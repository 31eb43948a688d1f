"""Vacancies: the employers' side of the catalogue, and their bulk import."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from goudenpoort.auth import current_account, requires
from goudenpoort.db import get_session
from goudenpoort.http import catalogue as common
from goudenpoort.http.blueprint import Blueprint
from goudenpoort.http.conditional import etag_header, if_match_versions
from goudenpoort.http.fields import UtcDateTime
from goudenpoort.http.schemas import Args, ConceptSchema, LangArgs, OrganisationRefSchema, Schema
from goudenpoort.services import catalogue, catalogue_import
from goudenpoort.services import vacancies as service
from models import Vacancy
from models.vacancies import VACANCY_STATUSES

blp = Blueprint("vacancies", __name__, description="Employers' vacancies")

IF_MATCH = [{"in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"}}]


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


class VacancyPageSchema(Schema):
    """A page of vacancies."""

    items = ma.fields.List(ma.fields.Nested(VacancySchema), required=True)
    next_cursor = ma.fields.String(allow_none=True, required=True)


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


@blp.route("/vacancies")
class Vacancies(MethodView):
    """The vacancy catalogue."""

    @requires()
    @blp.arguments(VacancyListArgs, location="query")
    @blp.response(200, VacancyPageSchema)
    @blp.doc(security=common.SECURITY)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List vacancies (filters: region, employer, occupation, skill, open, guarantee, q)."""
        lang = args.pop("lang")
        is_open = args.pop("open", None)
        if is_open is not None:
            wanted = "open" if is_open else "closed"
            if args.get("status", wanted) != wanted:
                raise catalogue.invalid({"open": ["Contradicts `status`."]})
            args["status"] = wanted
        items, next_cursor = service.list_vacancies(get_session(), **args)
        return {"items": [render(v, lang) for v in items], "next_cursor": next_cursor}

    @requires("admin", "employer")
    @blp.arguments(VacancyArgs)
    @blp.arguments(LangArgs, location="query")
    @blp.response(201, VacancySchema)
    @blp.doc(security=common.SECURITY)
    def post(self, data: dict[str, Any], args: dict[str, Any]) -> Any:
        """Create a vacancy for your organisation (admins: give employer_id)."""
        employer_id = data.pop("employer_id", None)
        vacancy = service.create_vacancy(get_session(), caller=current_account(), data=data,
                                         employer_id=employer_id)
        return render(vacancy, args["lang"]), 201, etag_header(vacancy.version)


@blp.route("/vacancies/<uuid:vacancy_id>")
class VacancyItem(MethodView):
    """One vacancy."""

    @requires()
    @blp.arguments(LangArgs, location="query")
    @blp.response(200, VacancySchema)
    @blp.doc(security=common.SECURITY)
    def get(self, args: dict[str, Any], vacancy_id: Any) -> Any:
        """Return one vacancy; its ETag is its version."""
        vacancy = service.get_vacancy(get_session(), vacancy_id)
        return render(vacancy, args["lang"]), 200, etag_header(vacancy.version)

    @requires("admin", "employer")
    @blp.arguments(VacancyPatchArgs(partial=True))
    @blp.arguments(LangArgs, location="query")
    @blp.response(200, VacancySchema)
    @blp.doc(security=common.SECURITY, parameters=IF_MATCH)
    def patch(self, data: dict[str, Any], args: dict[str, Any], vacancy_id: Any) -> Any:
        """Change a vacancy of your organisation (If-Match required)."""
        session = get_session()
        vacancy = service.get_vacancy(session, vacancy_id)
        if "employer_id" in data:
            raise catalogue.invalid({"employer_id": ["A vacancy cannot move to another employer."]})
        vacancy = service.update_vacancy(session, caller=current_account(), vacancy=vacancy,
                                         changes=data, expected_version=if_match_versions())
        return render(vacancy, args["lang"]), 200, etag_header(vacancy.version)

    @requires("admin", "employer")
    @blp.arguments(Args, location="query")
    @blp.response(204)
    @blp.doc(security=common.SECURITY, parameters=IF_MATCH)
    def delete(self, _args: dict[str, Any], vacancy_id: Any) -> None:
        """Delete a vacancy of your organisation (If-Match required; match history keeps it)."""
        session = get_session()
        vacancy = service.get_vacancy(session, vacancy_id)
        service.delete_vacancy(session, caller=current_account(), vacancy=vacancy,
                               expected_version=if_match_versions())


@blp.route("/vacancies/import")
class VacancyImport(MethodView):
    """Bulk import of vacancies."""

    accepts_uploads = True  # the envelope allows CSV and multipart, up to MAX_IMPORT_LENGTH

    @requires("admin", "employer")
    @blp.arguments(common.ImportArgs, location="query")
    @blp.response(200, common.ImportReportSchema)
    @blp.doc(security=common.SECURITY, **common.IMPORT_BODY_DOC)
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Upsert vacancies by external id from a JSON array or CSV; report every bad row."""
        session = get_session()
        owner = catalogue.owner_for_create(session, current_account(), "vacancy",
                                           common.owner_arg(args))
        data, fmt = common.upload()
        records = catalogue_import.read_file(data, fmt, "vacancies")  # type: ignore[arg-type]
        report = catalogue_import.import_records(session, kind="vacancies", owner_id=owner,
                                                 records=records)
        return report.as_dict()

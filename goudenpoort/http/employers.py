"""Employers: employer organisations and their profiles."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from goudenpoort.auth import current_account, requires
from goudenpoort.db import get_session
from goudenpoort.http import catalogue as common
from goudenpoort.http.blueprint import Blueprint
from goudenpoort.http.etags import IF_MATCH, etag_header, if_match_versions
from goudenpoort.http.schemas import Args, ConceptSchema, LangArgs, Schema
from goudenpoort.services import employers as service
from models import EmployerProfile, Organisation
from models.employers import EMPLOYER_SIZES, SECTORS

blp = Blueprint("employers", __name__, description="Employers and their profiles")


class PlaceArgs(Args):
    """A place where the employer has work."""

    place = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    region = ma.fields.String(required=True, validate=ma.validate.Length(max=64))
    lat = common.location_fields()["lat"]
    lon = common.location_fields()["lon"]


class ProfileArgs(Args):
    """An employer profile (PUT replaces it whole)."""

    description = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=10000))
    website = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=300))
    size = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(EMPLOYER_SIZES))
    sectors = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(SECTORS)))
    places = ma.fields.List(ma.fields.Nested(PlaceArgs))
    occupations = ma.fields.List(ma.fields.Nested(common.ConceptArgs), metadata={
        "description": "ESCO occupations the employer hires for, with or without a vacancy"})


class EmployerListArgs(common.CatalogueListArgs):
    """Filters of the employer list."""

    sector = ma.fields.String(validate=ma.validate.OneOf(SECTORS))


class PlaceSchema(Schema):
    """A place of work."""

    place = ma.fields.String(required=True)
    region = ma.fields.String(allow_none=True)
    lat = ma.fields.Float(allow_none=True)
    lon = ma.fields.Float(allow_none=True)


class EmployerSchema(Schema):
    """An employer organisation with its profile."""

    id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    region = ma.fields.String(allow_none=True, metadata={"description": "Main region"})
    description = ma.fields.String()
    website = ma.fields.String()
    size = ma.fields.String(allow_none=True)
    sectors = ma.fields.List(ma.fields.String())
    places = ma.fields.List(ma.fields.Nested(PlaceSchema))
    occupations = ma.fields.List(ma.fields.Nested(ConceptSchema))
    open_vacancies = ma.fields.Integer(required=True)
    version = ma.fields.Integer(required=True, metadata={
        "description": "Profile version and ETag; 0 until a profile is written"})


EmployerPageSchema = common.page_of(EmployerSchema, "EmployerPageSchema", "employers")


def render(organisation: Organisation, profile: EmployerProfile | None, open_vacancies: int,
           lang: str) -> dict[str, Any]:
    """Return an employer with its profile (empty lists before one is written)."""
    return {
        "id": organisation.id,
        "name": organisation.name,
        "region": organisation.region,
        "description": profile.description if profile else "",
        "website": profile.website if profile else "",
        "size": profile.size if profile else None,
        "sectors": [s.sector for s in profile.sectors] if profile else [],
        "places": [{"place": p.place, "region": p.region, "lat": p.lat, "lon": p.lon}
                   for p in profile.places] if profile else [],
        "occupations": [common.concept(o.occupation, lang) for o in profile.occupations]
        if profile else [],
        "open_vacancies": open_vacancies,
        "version": profile.version if profile else 0,
    }


@blp.route("/employers")
class Employers(MethodView):
    """The employer list."""

    @requires()
    @blp.arguments(EmployerListArgs, location="query")
    @blp.response(200, EmployerPageSchema)
    @blp.doc(security=common.SECURITY)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List employers (filters: region, sector, occupation they hire for, q on the name)."""
        session = get_session()
        lang = args.pop("lang")
        items, next_cursor = service.list_employers(session, **args)
        ids = [o.id for o in items]
        profiles = service.profiles_for(session, ids)
        counts = service.open_vacancy_counts(session, ids)
        return {"items": [render(o, profiles.get(o.id), counts.get(o.id, 0), lang)
                          for o in items],
                "next_cursor": next_cursor}


@blp.route("/employers/<uuid:employer_id>")
class EmployerItem(MethodView):
    """One employer and its profile."""

    @requires()
    @blp.arguments(LangArgs, location="query")
    @blp.response(200, EmployerSchema)
    @blp.doc(security=common.SECURITY)
    def get(self, args: dict[str, Any], employer_id: Any) -> Any:
        """Return an employer with its profile; the ETag is the profile version (0: none)."""
        session = get_session()
        organisation = service.get_employer(session, employer_id)
        profile = service.get_profile(session, organisation.id)
        counts = service.open_vacancy_counts(session, [organisation.id])
        version = profile.version if profile else 0
        return (render(organisation, profile, counts.get(organisation.id, 0), args["lang"]),
                200, etag_header(version))

    @requires("admin", "employer")
    @blp.arguments(ProfileArgs)
    @blp.arguments(LangArgs, location="query")
    @blp.response(200, EmployerSchema)
    @blp.doc(security=common.SECURITY, parameters=IF_MATCH)
    def put(self, data: dict[str, Any], args: dict[str, Any], employer_id: Any) -> Any:
        """Replace your organisation's employer profile (If-Match required; "0" for the first)."""
        session = get_session()
        organisation = service.get_employer(session, employer_id)
        profile = service.put_profile(session, caller=current_account(),
                                      organisation=organisation, data=data,
                                      expected_version=if_match_versions())
        counts = service.open_vacancy_counts(session, [organisation.id])
        return (render(organisation, profile, counts.get(organisation.id, 0), args["lang"]),
                200, etag_header(profile.version))

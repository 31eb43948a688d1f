"""The 35 Dutch labour-market regions (public reference data)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from goudenpoort.db import get_session
from goudenpoort.http.blueprint import Blueprint
from goudenpoort.http.schemas import Args, Schema
from goudenpoort.services import regions

blp = Blueprint("regions", __name__, description="Labour-market regions (arbeidsmarktregio's)")


class RegionSchema(Schema):
    """A labour-market region with its centre point."""

    slug = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    provinces = ma.fields.Function(lambda r: r.provinces.split("|"))
    centre_city = ma.fields.String()
    lat = ma.fields.Float()
    lon = ma.fields.Float()


class RegionListSchema(Schema):
    """All regions."""

    items = ma.fields.List(ma.fields.Nested(RegionSchema), required=True)


@blp.route("/regions")
class Regions(MethodView):
    """The region list."""

    @blp.arguments(Args, location="query")
    @blp.response(200, RegionListSchema)
    def get(self, _args: dict[str, Any]) -> dict[str, Any]:
        """List the 35 labour-market regions."""
        return {"items": regions.list_regions(get_session())}


@blp.route("/regions/<string:slug>")
class RegionItem(MethodView):
    """One region."""

    @blp.arguments(Args, location="query")
    @blp.response(200, RegionSchema)
    def get(self, _args: dict[str, Any], slug: str) -> Any:
        """Return one region by slug."""
        return regions.get_region(get_session(), slug)

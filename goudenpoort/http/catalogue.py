"""Schemas and rendering shared by the route, vacancy and employer endpoints, and bulk import."""

from __future__ import annotations

import uuid
from typing import Any

import marshmallow as ma
from flask import request

from goudenpoort.errors import DataFileError, ValidationFailed
from goudenpoort.http.schemas import Args, ConceptSchema, LangArgs, Schema
from goudenpoort.services.taxonomy import display_label
from models.scales import CEFR_LEVELS, EDUCATION_LEVELS

SECURITY = [{"bearer": []}]


# Input ---------------------------------------------------------------------------------------


class ConceptArgs(Args):
    """An ESCO concept by URI or by exact label (nl or en)."""

    uri = ma.fields.String(validate=ma.validate.Length(min=1, max=500))
    label = ma.fields.String(validate=ma.validate.Length(min=1, max=500))

    @ma.validates_schema
    def _one_of(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if ("uri" in data) == ("label" in data):
            raise ma.ValidationError("Give either `uri` or `label`.", "_schema")


class LeveledSkillArgs(ConceptArgs):
    """A skill with a level from 1 (beginner) to 4 (expert)."""

    level = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=4))


def cefr() -> ma.fields.String:
    """Return a CEFR level field (A1..C2, or null for no requirement)."""
    return ma.fields.String(allow_none=True, validate=ma.validate.OneOf(CEFR_LEVELS))


def education() -> ma.fields.String:
    """Return an education level field (null for no requirement)."""
    return ma.fields.String(allow_none=True, validate=ma.validate.OneOf(EDUCATION_LEVELS))


def location_fields() -> dict[str, ma.fields.Field]:
    """Return the place, region and coordinate fields."""
    return {
        "place": ma.fields.String(allow_none=True, validate=ma.validate.Length(max=100)),
        "region": ma.fields.String(allow_none=True, metadata={
            "description": "Labour-market region slug (GET /api/v1/regions)"}),
        "lat": ma.fields.Float(allow_none=True, validate=ma.validate.Range(min=-90, max=90)),
        "lon": ma.fields.Float(allow_none=True, validate=ma.validate.Range(min=-180, max=180)),
    }


class CatalogueListArgs(LangArgs):
    """Pagination and text filter shared by the catalogue lists."""

    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))
    cursor = ma.fields.String(load_default=None, validate=ma.validate.Length(max=512))
    q = ma.fields.String(validate=ma.validate.Length(min=1, max=200),
                         metadata={"description": "Words in the title (name for employers)"})
    region = ma.fields.String(validate=ma.validate.Length(max=64))
    occupation = ma.fields.String(validate=ma.validate.Length(max=255),
                                  metadata={"description": "ESCO occupation URI or id"})


class ImportArgs(Args):
    """Query parameters of a bulk import."""

    organisation = ma.fields.UUID(metadata={
        "description": "Admins: the organisation whose items these are (others: their own)"})


# Output --------------------------------------------------------------------------------------




class LeveledSkillSchema(ConceptSchema):
    """A skill with a level."""

    level = ma.fields.Integer(required=True)




def page_of(item: type[Schema], name: str, what: str) -> type[Schema]:
    """Return the schema of one page of a catalogue list: items and the next cursor."""
    return type(name, (Schema,), {
        "__doc__": f"A page of {what}.",
        "items": ma.fields.List(ma.fields.Nested(item), required=True),
        "next_cursor": ma.fields.String(allow_none=True, required=True),
    })


class ImportErrorSchema(Schema):
    """One rejected row."""

    row = ma.fields.Integer(required=True, metadata={"description": "1-based data row"})
    line = ma.fields.Integer(metadata={"description": "CSV only: physical line (header = 1)"})
    external_id = ma.fields.String()
    details = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()))


class ImportReportSchema(Schema):
    """The outcome of a bulk import."""

    kind = ma.fields.String(required=True)
    rows = ma.fields.Integer(required=True)
    created = ma.fields.Integer(required=True)
    updated = ma.fields.Integer(required=True)
    unchanged = ma.fields.Integer(required=True)
    failed = ma.fields.Integer(required=True)
    errors = ma.fields.List(ma.fields.Nested(ImportErrorSchema), required=True)
    errors_truncated = ma.fields.Boolean(required=True)


IMPORT_BODY_DOC = {
    "requestBody": {
        "required": True,
        "description": "A JSON array of items (API shape, each with external_id), or a CSV "
                       "file (text/csv body, or multipart/form-data field `file`); CSV "
                       "columns are listed in the README.",
        "content": {
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            "text/csv": {"schema": {"type": "string"}},
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "file": {"type": "string", "format": "binary"}}}},
        },
    }
}


def concept(concept_row: Any, lang: str) -> dict[str, str]:
    """Render an ESCO concept with its display label."""
    label, label_lang = display_label(concept_row, lang)
    return {"uri": concept_row.uri, "label": label, "label_lang": label_lang}


def organisation_ref(organisation: Any) -> dict[str, Any]:
    """Render an organisation reference."""
    return {"id": organisation.id, "name": organisation.name}


def upload() -> tuple[bytes, str]:
    """Return the import body and its format (`json` or `csv`), from a body or an upload."""
    if request.mimetype == "multipart/form-data":
        file = request.files.get("file")
        if file is None:
            raise ValidationFailed(details={"file": ["Upload the file in the form field `file`."]})
        name = (file.filename or "").lower()
        fmt = "json" if name.endswith(".json") or file.mimetype == "application/json" else "csv"
        return file.read(), fmt
    data = request.get_data(cache=False)
    if not data:
        raise DataFileError("The body is empty; send a JSON array or a CSV file.")
    return data, "csv" if request.mimetype == "text/csv" else "json"


def owner_arg(args: dict[str, Any]) -> uuid.UUID | None:
    """Return the organisation named by an admin in the query, if any."""
    return args.get("organisation")

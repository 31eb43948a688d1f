"""Shared marshmallow building blocks: strict base schemas and pagination."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from goudenpoort.safe_input import UNSTORABLE_MESSAGE, unstorable_paths


class Schema(ma.Schema):
    """Base of every output schema: keys in declaration order."""

    class Meta:
        ordered = True


class Args(ma.Schema):
    """Base of every input schema: unknown fields are rejected (422), never ignored."""

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def _refuse_unstorable_text(self, data: Any, **_kwargs: Any) -> Any:
        """Refuse NUL characters and unpaired surrogates anywhere in the input (422)."""
        paths = unstorable_paths(data)
        if paths:
            raise ma.ValidationError({path: [UNSTORABLE_MESSAGE] for path in paths})
        return data


class LangArgs(Args):
    """The `lang` query parameter shared by everything that returns labels."""

    lang = ma.fields.String(
        load_default="nl",
        validate=ma.validate.OneOf(["nl", "en"]),
        metadata={"description": "Label language; falls back to English where no Dutch exists"},
    )


class PageArgs(Args):
    """Cursor pagination arguments."""

    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))
    cursor = ma.fields.String(load_default=None, validate=ma.validate.Length(max=512))


class ConceptSchema(Schema):
    """An ESCO concept by URI with its label in the requested language."""

    uri = ma.fields.String(required=True)
    label = ma.fields.String(allow_none=True)
    label_lang = ma.fields.String(allow_none=True, metadata={"description": "nl, or en fallback"})


class OrganisationRefSchema(Schema):
    """An organisation by id and name (and kind where it helps)."""

    id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.String()

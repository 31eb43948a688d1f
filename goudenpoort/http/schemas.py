"""Shared marshmallow building blocks: strict base schemas and pagination."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import marshmallow as ma

# NUL cannot be stored in a PostgreSQL text column and an unpaired surrogate cannot be encoded
# as UTF-8 at all: both would fail deep in the database driver, so they are refused up front.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "Must not contain NUL characters or unpaired surrogates."


def unstorable_text(data: Any) -> list[str]:
    """Return the paths of strings (keys included) that no database can store."""
    found: list[str] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:  # iterative: the input may be nested deeply
        path, value = stack.pop()
        if isinstance(value, str):
            if UNSTORABLE.search(value):
                found.append(path or "_schema")
        elif isinstance(value, Mapping):
            for key in value:
                name = str(key)
                if UNSTORABLE.search(name):
                    found.append(path or "_schema")
                    continue
                stack.append((f"{path}.{name}" if path else name, value[key]))
        elif isinstance(value, list | tuple):
            stack.extend((f"{path}[{index}]", item) for index, item in enumerate(value))
    return sorted(found)


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
        paths = unstorable_text(data)
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

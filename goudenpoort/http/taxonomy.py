"""ESCO skills and occupations: search and look-up (public reference data, no token needed)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app
from flask.views import MethodView

from goudenpoort.db import get_session
from goudenpoort.http.blueprint import Blueprint
from goudenpoort.http.schemas import LangArgs, Schema
from goudenpoort.services import taxonomy

blp = Blueprint("taxonomy", __name__, description="ESCO skills and occupations (v1.1.1)")

MAX_Q = 200
ORIGIN = "esco (official) or project (our reviewed Dutch label, not official ESCO)"


class SearchArgs(LangArgs):
    """Query parameters of a taxonomy search."""

    q = ma.fields.String(
        required=True,
        validate=[
            ma.validate.Length(min=1, max=MAX_Q),
            ma.validate.Regexp(r".*\S.*", error="Must not be blank."),
        ],
        metadata={"description": "Free text: a label, a synonym, a typo, in Dutch or English"},
    )
    limit = ma.fields.Integer(load_default=10, validate=ma.validate.Range(min=1, max=50))


class HitSchema(Schema):
    """One search hit."""

    uri = ma.fields.String(required=True)
    label = ma.fields.String(required=True, metadata={"description": "In the requested language"})
    label_lang = ma.fields.String(required=True, metadata={"description": "nl or en (fallback)"})
    label_origin = ma.fields.String(required=True, metadata={"description": ORIGIN})
    matched_label = ma.fields.String(metadata={"description": "The label the query matched"})
    matched_lang = ma.fields.String(metadata={"description": "The language of matched_label"})
    score = ma.fields.Float(required=True)


class HitListSchema(Schema):
    """Search results, best first."""

    items = ma.fields.List(ma.fields.Nested(HitSchema), required=True)
    lang_fallback = ma.fields.Boolean(
        required=True,
        metadata={"description": "True when the best hit matched a label in another language "
                                 "than `lang` (e.g. English, because no Dutch label fitted)"},
    )


class LabelSchema(Schema):
    """A label of a concept."""

    label = ma.fields.String(required=True)
    lang = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    origin = ma.fields.String(required=True, metadata={"description": ORIGIN})


class ConceptRefSchema(Schema):
    """A concept by URI with its display label."""

    uri = ma.fields.String(required=True)
    label = ma.fields.String(required=True)
    label_lang = ma.fields.String(required=True)
    label_origin = ma.fields.String(required=True, metadata={"description": ORIGIN})


class SkillSchema(ConceptRefSchema):
    """One ESCO skill or skill group."""

    kind = ma.fields.String(required=True, metadata={"description": "skill or group"})
    skill_type = ma.fields.String()
    reuse_level = ma.fields.String()
    broader = ma.fields.List(ma.fields.Nested(ConceptRefSchema))
    labels = ma.fields.List(ma.fields.Nested(LabelSchema))


class OccupationSchema(ConceptRefSchema):
    """One ESCO occupation with its essential and optional skills."""

    code = ma.fields.String()
    isco_group = ma.fields.String()
    technical = ma.fields.Boolean()
    labels = ma.fields.List(ma.fields.Nested(LabelSchema))
    essential_skills = ma.fields.List(ma.fields.Nested(ConceptRefSchema))
    optional_skills = ma.fields.List(ma.fields.Nested(ConceptRefSchema))


def _ref(concept: Any, lang: str) -> dict[str, str]:
    label, label_lang = taxonomy.display_label(concept, lang)
    return {"uri": concept.uri, "label": label, "label_lang": label_lang,
            "label_origin": taxonomy.label_origin(concept, lang)}


def _labels(concept: Any) -> list[dict[str, str]]:
    return [
        {"label": lbl.label, "lang": lbl.lang, "kind": lbl.kind, "origin": lbl.origin}
        for lbl in concept.labels
        if lbl.kind != "hidden"
    ]


def recheck_seconds() -> float:
    """Return how long a search may trust its label index before asking the database again."""
    return float(current_app.config["SEARCH_INDEX_RECHECK_SECONDS"])


@blp.route("/skills")
class Skills(MethodView):
    """Skill search."""

    @blp.arguments(SearchArgs, location="query")
    @blp.response(200, HitListSchema)
    def get(self, args: dict[str, Any]) -> taxonomy.SearchPage:
        """Resolve free text to ESCO skills."""
        return taxonomy.search(get_session(), "skill", args["q"], lang=args["lang"],
                               limit=args["limit"], recheck_seconds=recheck_seconds())


@blp.route("/skills/<path:ref>")
class SkillItem(MethodView):
    """One skill."""

    @blp.arguments(LangArgs, location="query")
    @blp.response(200, SkillSchema)
    def get(self, args: dict[str, Any], ref: str) -> dict[str, Any]:
        """Return one skill by URI or id, with its broader concepts and labels."""
        session = get_session()
        skill = taxonomy.get_skill(session, ref)
        lang = args["lang"]
        return {
            **_ref(skill, lang),
            "kind": skill.kind,
            "skill_type": skill.skill_type,
            "reuse_level": skill.reuse_level,
            "broader": [_ref(b, lang) for b in taxonomy.broader_skills(session, skill.uri)],
            "labels": _labels(skill),
        }


@blp.route("/occupations")
class Occupations(MethodView):
    """Occupation search."""

    @blp.arguments(SearchArgs, location="query")
    @blp.response(200, HitListSchema)
    def get(self, args: dict[str, Any]) -> taxonomy.SearchPage:
        """Resolve free text to ESCO occupations."""
        return taxonomy.search(get_session(), "occupation", args["q"], lang=args["lang"],
                               limit=args["limit"], recheck_seconds=recheck_seconds())


@blp.route("/occupations/<path:ref>")
class OccupationItem(MethodView):
    """One occupation."""

    @blp.arguments(LangArgs, location="query")
    @blp.response(200, OccupationSchema)
    def get(self, args: dict[str, Any], ref: str) -> dict[str, Any]:
        """Return one occupation by URI or id, with its essential and optional skills."""
        session = get_session()
        occupation = taxonomy.get_occupation(session, ref)
        lang = args["lang"]
        skills = taxonomy.occupation_skills(session, occupation.uri)
        return {
            **_ref(occupation, lang),
            "code": occupation.code,
            "isco_group": occupation.isco_group,
            "technical": occupation.technical,
            "labels": _labels(occupation),
            "essential_skills": [_ref(s, lang) for s in skills["essential"]],
            "optional_skills": [_ref(s, lang) for s in skills["optional"]],
        }

"""Read one catalogue item (a route, a vacancy, an employer profile) from its API shape.

Shared by the single-item endpoints and the bulk import: marshmallow checks the shape of a
JSON body at the edge, but import rows arrive as raw JSON values or CSV strings, so this
module checks every field itself, collects every error of a row under its API field path
(`skills[2].level`) and returns the item in a normalised form ready to be written.
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from goudenpoort.services.concept_lookup import ConceptLookup
from models.employers import EMPLOYER_SIZES, SECTORS
from models.routes import ROUTE_LEVELS, ROUTE_MODES
from models.scales import CEFR_LEVELS, EDUCATION_LEVELS, SKILL_LEVELS
from models.vacancies import VACANCY_STATUSES

TRUE = {"true", "1", "yes", "ja", "y", "j"}
FALSE = {"false", "0", "no", "nee", "n"}
MAX_LIST = 200  # skills, modules, dates per item: generous, but a row cannot explode


class Context:
    """What a row is checked against: concept references, regions and employers."""

    def __init__(
        self,
        lookup: ConceptLookup,
        regions: Iterable[str],
        employers: Iterable[str] = (),
    ) -> None:
        self.lookup = lookup
        self.regions = frozenset(regions)
        self.employers = frozenset(employers)  # ids (str) of employer organisations


class RowReader:
    """Read fields of one raw item, collecting errors by field path instead of stopping."""

    def __init__(self, raw: Mapping[str, Any], context: Context) -> None:
        self.raw = raw
        self.context = context
        self.errors: dict[str, list[str]] = {}

    def fail(self, path: str, message: str) -> None:
        """Record an error at a field path."""
        self.errors.setdefault(path, []).append(message)

    # Scalars ---------------------------------------------------------------------------------

    def text(self, value: Any, path: str, *, max_len: int, required: bool = False) -> str | None:
        """Return a stripped string or None."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(path, "Missing data for required field.")
            return None
        if not isinstance(value, str):
            self.fail(path, "Not a valid string.")
            return None
        value = value.strip()
        if len(value) > max_len:
            self.fail(path, f"Longer than maximum length {max_len}.")
            return None
        return value

    def choice(self, value: Any, path: str, options: Iterable[Any], *, required: bool = False
               ) -> str | None:
        """Return one of the allowed strings or None."""
        text = self.text(value, path, max_len=64, required=required)
        if text is None:
            return None
        options = tuple(options)
        if text not in options:
            self.fail(path, f"Must be one of: {', '.join(map(str, options))}.")
            return None
        return text

    def integer(self, value: Any, path: str, *, low: int, high: int, required: bool = False
                ) -> int | None:
        """Return an integer within [low, high] or None; digit strings are accepted."""
        if value is None or value == "":
            if required:
                self.fail(path, "Missing data for required field.")
            return None
        if isinstance(value, bool):
            self.fail(path, "Not a valid integer.")
            return None
        if isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                self.fail(path, "Not a valid integer.")
                return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int):
            self.fail(path, "Not a valid integer.")
            return None
        if not low <= value <= high:
            self.fail(path, f"Must be between {low} and {high}.")
            return None
        return value

    def number(self, value: Any, path: str, *, low: float, high: float) -> float | None:
        """Return a float within [low, high] or None; a Dutch decimal comma is accepted."""
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            self.fail(path, "Not a valid number.")
            return None
        if isinstance(value, str):
            try:
                value = float(value.strip().replace(",", "."))
            except ValueError:
                self.fail(path, "Not a valid number.")
                return None
        if not isinstance(value, int | float) or not math.isfinite(value):
            self.fail(path, "Not a valid number.")
            return None
        if not low <= value <= high:
            self.fail(path, f"Must be between {low} and {high}.")
            return None
        return float(value)

    def boolean(self, value: Any, path: str, *, default: bool) -> bool:
        """Return a boolean; true/false, 1/0, yes/no and ja/nee are accepted."""
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in TRUE | FALSE:
            return value.strip().lower() in TRUE
        self.fail(path, "Not a valid boolean.")
        return default

    def iso_date(self, value: Any, path: str) -> str | None:
        """Return an ISO date string (YYYY-MM-DD) or None."""
        if value is None or value == "":
            return None
        if isinstance(value, date):
            return value.isoformat()
        try:
            if not isinstance(value, str):
                raise ValueError
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            self.fail(path, "Not a valid date (YYYY-MM-DD).")
            return None

    def items(self, value: Any, path: str) -> list[Any]:
        """Return a list value (None means empty), or record an error."""
        if value is None or value == "":
            return []
        if not isinstance(value, list):
            self.fail(path, "Not a valid list.")
            return []
        if len(value) > MAX_LIST:
            self.fail(path, f"At most {MAX_LIST} items.")
            return []
        return value

    # References ------------------------------------------------------------------------------

    def concept(self, item: Any, path: str, kind: str) -> str | None:
        """Resolve `{"uri": ...}` or `{"label": ...}` (or a bare string) to an ESCO URI."""
        ref = concept_ref(item)
        if ref is None:
            self.fail(path, f"Give the ESCO {kind} as {{\"uri\": ...}} or {{\"label\": ...}}.")
            return None
        resolve: Callable[[str], str] = (
            self.context.lookup.skill if kind == "skill" else self.context.lookup.occupation
        )
        try:
            return resolve(ref)
        except LookupError as exc:
            self.fail(path, str(exc))
            return None

    def leveled_skills(self, value: Any, path: str, *, essential: bool = False
                       ) -> list[list[Any]]:
        """Read `[{"uri"|"label", "level"[, "essential"]}]` into [[uri, level(, essential)]]."""
        result: list[list[Any]] = []
        seen: set[str] = set()
        for index, item in enumerate(self.items(value, path)):
            where = f"{path}[{index}]"
            uri = self.concept(item, where, "skill")
            level = self.integer(item.get("level") if isinstance(item, Mapping) else None,
                                 f"{where}.level", low=min(SKILL_LEVELS), high=max(SKILL_LEVELS),
                                 required=True)
            if uri is None or level is None:
                continue
            if uri in seen:
                self.fail(where, f"Listed twice: {uri}")
                continue
            seen.add(uri)
            if essential:
                flag = self.boolean(item.get("essential"), f"{where}.essential", default=True)
                result.append([uri, level, flag])
            else:
                result.append([uri, level])
        return result

    def occupations(self, value: Any, path: str) -> list[str]:
        """Read a list of occupation references into URIs, without duplicates."""
        result: list[str] = []
        for index, item in enumerate(self.items(value, path)):
            uri = self.concept(item, f"{path}[{index}]", "occupation")
            if uri is not None and uri not in result:
                result.append(uri)
        return result

    def location(self, out: dict[str, Any], *, region_required: bool) -> None:
        """Read place, region, lat and lon into `out`."""
        raw = self.raw
        out["place"] = self.text(raw.get("place"), "place", max_len=100) or ""
        region = self.text(raw.get("region"), "region", max_len=64, required=region_required)
        if region is not None and region not in self.context.regions:
            self.fail("region", "Not one of the 35 labour-market regions (see /api/v1/regions).")
            region = None
        out["region"] = region
        out["lat"] = self.number(raw.get("lat"), "lat", low=-90, high=90)
        out["lon"] = self.number(raw.get("lon"), "lon", low=-180, high=180)
        if (out["lat"] is None) != (out["lon"] is None) and not self.errors.get("lat") and \
                not self.errors.get("lon"):
            self.fail("lat" if out["lat"] is None else "lon", "Give lat and lon together.")

    def unknown_fields(self, allowed: Iterable[str]) -> None:
        """Reject fields this item does not have (a typo must not be silently dropped)."""
        for name in sorted(set(self.raw) - set(allowed)):
            self.fail(name, "Unknown field.")


def concept_ref(item: Any) -> str | None:
    """Return the URI or label a concept item refers to, or None if it names none."""
    if isinstance(item, str):
        return item.strip() or None
    if isinstance(item, Mapping):
        ref = item.get("uri") or item.get("label")
        if isinstance(ref, str) and ref.strip() and len(ref) <= 500:
            return ref.strip()
    return None


ROUTE_FIELDS = (
    "external_id", "title", "description", "level", "mode", "place", "region", "lat", "lon",
    "duration_weeks", "hours_per_week", "start_dates", "seats", "cost_eur", "funding_notes",
    "prerequisites", "skills", "modules", "occupations", "job_guarantee_partners",
)
VACANCY_FIELDS = (
    "external_id", "title", "description", "occupation", "skills", "min_dutch_cefr",
    "min_education", "hours_per_week", "start_date", "place", "region", "lat", "lon",
    "positions", "guarantee", "status",
)
EMPLOYER_FIELDS = ("description", "website", "size", "sectors", "places", "occupations")


def read_route(raw: Any, context: Context) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """Read a route in API shape; return (normalised route, {}) or (None, errors)."""
    if not isinstance(raw, Mapping):
        return None, {"_schema": ["Each route must be a JSON object."]}
    r = RowReader(raw, context)
    r.unknown_fields(ROUTE_FIELDS)
    out: dict[str, Any] = {
        "external_id": r.text(raw.get("external_id"), "external_id", max_len=100),
        "title": r.text(raw.get("title"), "title", max_len=200, required=True),
        "description": r.text(raw.get("description"), "description", max_len=10000) or "",
        "level": r.choice(raw.get("level"), "level", ROUTE_LEVELS, required=True),
        "mode": r.choice(raw.get("mode"), "mode", ROUTE_MODES, required=True),
    }
    r.location(out, region_required=out["mode"] not in (None, "e-learning"))
    out["duration_weeks"] = r.integer(raw.get("duration_weeks"), "duration_weeks",
                                      low=1, high=520)
    out["hours_per_week"] = r.integer(raw.get("hours_per_week"), "hours_per_week",
                                      low=1, high=60)
    dates = [r.iso_date(d, f"start_dates[{i}]")
             for i, d in enumerate(r.items(raw.get("start_dates"), "start_dates"))]
    out["start_dates"] = sorted({d for d in dates if d})
    out["seats"] = r.integer(raw.get("seats"), "seats", low=0, high=100000)
    out["cost_eur"] = r.integer(raw.get("cost_eur"), "cost_eur", low=0, high=1000000)
    out["funding_notes"] = r.text(raw.get("funding_notes"), "funding_notes", max_len=2000) or ""
    prerequisites = raw.get("prerequisites") or {}
    if not isinstance(prerequisites, Mapping):
        r.fail("prerequisites", "Not a valid object.")
        prerequisites = {}
    for name in sorted(set(prerequisites) - {"min_education", "min_dutch_cefr", "skills"}):
        r.fail(f"prerequisites.{name}", "Unknown field.")
    out["min_education"] = r.choice(prerequisites.get("min_education"),
                                    "prerequisites.min_education", EDUCATION_LEVELS)
    out["min_dutch_cefr"] = r.choice(prerequisites.get("min_dutch_cefr"),
                                     "prerequisites.min_dutch_cefr", CEFR_LEVELS)
    out["required_skills"] = r.leveled_skills(prerequisites.get("skills"), "prerequisites.skills")
    out["skills"] = r.leveled_skills(raw.get("skills"), "skills")
    taught = {uri for uri, _level in out["skills"]}
    modules = []
    for index, module in enumerate(r.items(raw.get("modules"), "modules")):
        where = f"modules[{index}]"
        if not isinstance(module, Mapping):
            r.fail(where, "Not a valid object.")
            continue
        for name in sorted(set(module) - {"title", "hours", "skills"}):
            r.fail(f"{where}.{name}", "Unknown field.")
        skills = []
        for s_index, item in enumerate(r.items(module.get("skills"), f"{where}.skills")):
            uri = r.concept(item, f"{where}.skills[{s_index}]", "skill")
            if uri is not None and uri not in taught:
                r.fail(f"{where}.skills[{s_index}]",
                       "A module can only teach skills of the route: add it to `skills`.")
            elif uri is not None and uri not in skills:
                skills.append(uri)
        modules.append({
            "title": r.text(module.get("title"), f"{where}.title", max_len=200, required=True),
            "hours": r.integer(module.get("hours"), f"{where}.hours", low=1, high=5000),
            "skills": skills,
        })
    out["modules"] = modules
    out["occupations"] = r.occupations(raw.get("occupations"), "occupations")
    partners: list[str] = []
    for index, item in enumerate(r.items(raw.get("job_guarantee_partners"),
                                         "job_guarantee_partners")):
        where = f"job_guarantee_partners[{index}]"
        ref = item.get("id") if isinstance(item, Mapping) else item
        try:
            partner = str(uuid.UUID(str(ref)))
        except ValueError:
            r.fail(where, "Not a valid organisation id.")
            continue
        if partner not in context.employers:
            r.fail(where, "No employer organisation with this id.")
        elif partner not in partners:
            partners.append(partner)
    out["partners"] = partners
    if r.errors:
        return None, r.errors
    out["digest"] = digest(out)
    return out, {}


def read_vacancy(raw: Any, context: Context
                 ) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """Read a vacancy in API shape; return (normalised vacancy, {}) or (None, errors)."""
    if not isinstance(raw, Mapping):
        return None, {"_schema": ["Each vacancy must be a JSON object."]}
    r = RowReader(raw, context)
    r.unknown_fields(VACANCY_FIELDS)
    out: dict[str, Any] = {
        "external_id": r.text(raw.get("external_id"), "external_id", max_len=100),
        "title": r.text(raw.get("title"), "title", max_len=200, required=True),
        "description": r.text(raw.get("description"), "description", max_len=10000) or "",
    }
    if raw.get("occupation") in (None, "", {}):
        r.fail("occupation", "Missing data for required field.")
        out["occupation"] = None
    else:
        out["occupation"] = r.concept(raw.get("occupation"), "occupation", "occupation")
    out["skills"] = r.leveled_skills(raw.get("skills"), "skills", essential=True)
    out["min_dutch_cefr"] = r.choice(raw.get("min_dutch_cefr"), "min_dutch_cefr", CEFR_LEVELS)
    out["min_education"] = r.choice(raw.get("min_education"), "min_education", EDUCATION_LEVELS)
    out["hours_per_week"] = r.integer(raw.get("hours_per_week"), "hours_per_week",
                                      low=1, high=60)
    out["start_date"] = r.iso_date(raw.get("start_date"), "start_date")
    r.location(out, region_required=True)
    positions = r.integer(raw.get("positions"), "positions", low=1, high=10000)
    out["positions"] = 1 if positions is None else positions
    out["guarantee"] = r.boolean(raw.get("guarantee"), "guarantee", default=False)
    out["status"] = r.choice(raw.get("status"), "status", VACANCY_STATUSES) or "open"
    if r.errors:
        return None, r.errors
    out["digest"] = digest(out)
    return out, {}


def read_employer_profile(raw: Any, context: Context
                          ) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """Read an employer profile in API shape; return (normalised profile, {}) or errors."""
    if not isinstance(raw, Mapping):
        return None, {"_schema": ["The profile must be a JSON object."]}
    r = RowReader(raw, context)
    r.unknown_fields(EMPLOYER_FIELDS)
    out: dict[str, Any] = {
        "description": r.text(raw.get("description"), "description", max_len=10000) or "",
        "website": r.text(raw.get("website"), "website", max_len=300) or "",
        "size": r.choice(raw.get("size"), "size", EMPLOYER_SIZES),
    }
    sectors: list[str] = []
    for index, sector in enumerate(r.items(raw.get("sectors"), "sectors")):
        value = r.choice(sector, f"sectors[{index}]", SECTORS, required=True)
        if value and value not in sectors:
            sectors.append(value)
    out["sectors"] = sectors
    places = []
    for index, place in enumerate(r.items(raw.get("places"), "places")):
        where = f"places[{index}]"
        if not isinstance(place, Mapping):
            r.fail(where, "Not a valid object.")
            continue
        sub = RowReader(place, context)
        sub.unknown_fields(("place", "region", "lat", "lon"))
        item: dict[str, Any] = {}
        sub.location(item, region_required=True)
        if not item["place"]:
            sub.fail("place", "Missing data for required field.")
        for path, messages in sub.errors.items():
            for message in messages:
                r.fail(f"{where}.{path}", message)
        places.append(item)
    out["places"] = places
    out["occupations"] = r.occupations(raw.get("occupations"), "occupations")
    if r.errors:
        return None, r.errors
    out["digest"] = digest(out)
    return out, {}


def digest(item: Mapping[str, Any]) -> str:
    """Return the SHA-256 of an item's canonical JSON (its content, whatever the key order)."""
    content = {key: value for key, value in item.items() if key != "digest"}
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    ).hexdigest()


def skill_refs(raw: Any) -> Iterable[str]:
    """Yield every skill reference in a raw route or vacancy (for the one bulk look-up)."""
    if not isinstance(raw, Mapping):
        return
    lists = [raw.get("skills")]
    prerequisites = raw.get("prerequisites")
    if isinstance(prerequisites, Mapping):
        lists.append(prerequisites.get("skills"))
    modules = raw.get("modules")
    if isinstance(modules, list):
        lists.extend(m.get("skills") for m in modules if isinstance(m, Mapping))
    for items in lists:
        if isinstance(items, list):
            for item in items[:MAX_LIST]:
                ref = concept_ref(item)
                if ref:
                    yield ref


def occupation_refs(raw: Any) -> Iterable[str]:
    """Yield every occupation reference in a raw route, vacancy or employer profile."""
    if not isinstance(raw, Mapping):
        return
    items = raw.get("occupations")
    if isinstance(items, list):
        for item in items[:MAX_LIST]:
            ref = concept_ref(item)
            if ref:
                yield ref
    ref = concept_ref(raw.get("occupation"))
    if ref:
        yield ref


def partner_refs(raw: Any) -> Iterable[str]:
    """Yield the organisation ids a raw route names as job-guarantee partners."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("job_guarantee_partners"), list):
        return
    for item in raw["job_guarantee_partners"][:MAX_LIST]:
        ref = item.get("id") if isinstance(item, Mapping) else item
        try:
            yield str(uuid.UUID(str(ref)))
        except ValueError:
            continue

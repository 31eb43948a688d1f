"""Intake profiles: create, read, correct, list and erase, with provenance of every change.

Input is the API.md profile shape as loaded by the HTTP schemas (shape and types checked
there); this module checks meaning (taxonomy URIs, regions, duplicates, who may set what),
collects every problem before writing anything, and records each change in a revision.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from goudenpoort import policy
from goudenpoort.batches import chunks
from goudenpoort.errors import Forbidden, NotFound, PreconditionFailed, ValidationFailed
from goudenpoort.services import audit, consent
from goudenpoort.services.match_changes import record_changes
from goudenpoort.services.pagination import Page, paginate
from goudenpoort.services.taxonomy import display_label
from models import (
    Account,
    Candidate,
    CandidateExperience,
    CandidateInterest,
    CandidateLanguage,
    CandidateRevision,
    CandidateSkill,
    Occupation,
    Organisation,
    Region,
    Skill,
)
from models.base import utcnow

Details = dict[str, list[str]]
Predicate = Callable[[Account, Candidate], bool]

# API path -> column, for the scalar fields (nested objects flattened with a dot).
SCALARS = {
    "kind": "kind",
    "given_name": "given_name",
    "family_name": "family_name",
    "email": "email",
    "phone": "phone",
    "birth_year": "birth_year",
    "region": "region",
    "max_travel_km": "max_travel_km",
    "education.level": "education_level",
    "education.field": "education_field",
    "education.foreign": "education_foreign",
    "education.recognition": "education_recognition",
    "availability.hours_per_week": "hours_per_week",
    "availability.from": "available_from",
    "right_to_work": "right_to_work",
    "notes": "notes",
    "adviser_id": "adviser_id",
}
NESTED = ("education", "availability")
ADVISER_ONLY = ("notes", "adviser_id")
REQUIRED_ON_CREATE = ("kind", "given_name", "family_name")
LOAD_CHILDREN = (
    selectinload(Candidate.skills),
    selectinload(Candidate.experience),
    selectinload(Candidate.languages),
    selectinload(Candidate.interests),
)


# --- reading -----------------------------------------------------------------------------


def get_candidate(
    session: Session,
    *,
    actor: Account,
    candidate_id: uuid.UUID,
    may: Predicate = policy.may_read_candidate,
) -> Candidate:
    """Return a profile the actor may see and act on: 403 for the role, 404 for this one."""
    if not policy.may_use_profiles(actor):
        raise Forbidden("Your role does not work with intake profiles.")
    candidate = session.get(Candidate, candidate_id, options=LOAD_CHILDREN)
    if candidate is None or not policy.may_read_candidate(actor, candidate):
        raise NotFound("No candidate with this id.")
    if not may(actor, candidate):
        raise Forbidden("You may not do this with this profile.")
    return candidate


def list_candidates(
    session: Session,
    *,
    actor: Account,
    kind: str | None = None,
    region: str | None = None,
    adviser_id: uuid.UUID | None = None,
    limit: int = 20,
    cursor: str | None = None,
) -> Page[Candidate]:
    """Return a page of the profiles the actor may see, oldest first, with filters."""
    if not policy.may_use_profiles(actor):
        raise Forbidden("Your role does not work with intake profiles.")
    query = select(Candidate).options(*LOAD_CHILDREN)
    if actor.role == "adviser":
        query = query.where(Candidate.organisation_id == actor.organisation_id)
    elif actor.role == "candidate":
        query = query.where(Candidate.account_id == actor.id)
    if kind is not None:
        query = query.where(Candidate.kind == kind)
    if region is not None:
        query = query.where(Candidate.region == region)
    if adviser_id is not None:
        query = query.where(Candidate.adviser_id == adviser_id)
    return paginate(session, query, created_at=Candidate.created_at, row_id=Candidate.id,
                    limit=limit, cursor=cursor)


def completeness(candidate: Candidate) -> dict[str, Any]:
    """Return which of the fields matching uses are still missing, so the adviser asks next."""
    checks = {
        "skills": any(skill.confirmed for skill in candidate.skills),
        "education": candidate.education_level is not None,
        "region": candidate.region is not None,
        "availability": candidate.hours_per_week is not None
        and candidate.available_from is not None,
    }
    if candidate.kind == "newcomer":
        # Dutch is always asked of newcomers: routes and vacancies state a minimum level.
        checks["dutch_level"] = any(lang.code == "nl" for lang in candidate.languages)
    missing = [name for name, present in checks.items() if not present]
    return {
        "complete": not missing,
        "missing": missing,
        "score": round((len(checks) - len(missing)) / len(checks), 2),
    }


def concept_labels(
    session: Session, candidates: Iterable[Candidate], lang: str
) -> dict[str, tuple[str, str]]:
    """Return uri -> (label, label language) for every skill and occupation of the profiles."""
    skill_uris: set[str] = set()
    occupation_uris: set[str] = set()
    for candidate in candidates:
        skill_uris.update(skill.skill_uri for skill in candidate.skills)
        occupation_uris.update(item.occupation_uri for item in candidate.experience)
        occupation_uris.update(skill.inferred_from for skill in candidate.skills
                               if skill.inferred_from)
        occupation_uris.update(i.value for i in candidate.interests if i.kind == "occupation")
    labels: dict[str, tuple[str, str]] = {}
    for model, uris in ((Skill, skill_uris), (Occupation, occupation_uris)):
        for chunk in chunks(sorted(uris)):
            for concept in session.scalars(select(model).where(model.uri.in_(chunk))):
                labels[concept.uri] = display_label(concept, lang)
    return labels


def profile_values(candidate: Candidate) -> dict[str, Any]:
    """Return the profile's own fields in API paths (what revisions and exports compare)."""
    values: dict[str, Any] = {path: getattr(candidate, column) for path, column in SCALARS.items()}
    values["skills"] = {s.skill_uri: skill_value(s) for s in candidate.skills}
    values["languages"] = {lang.code: lang.cefr for lang in candidate.languages}
    values["experience"] = [{"occupation": e.occupation_uri, "years": e.years}
                            for e in candidate.experience]
    values["interests.sectors"] = [i.value for i in candidate.interests if i.kind == "sector"]
    values["interests.occupations"] = [i.value for i in candidate.interests
                                       if i.kind == "occupation"]
    return values


def revisions(candidate: Candidate, field: str | None = None) -> list[dict[str, Any]]:
    """Return the profile's change history, oldest first, optionally of one field path.

    `field` matches a path exactly or as a prefix: `skills` returns every `skills[<uri>]`,
    `education` every `education.*`.
    """
    items = []
    for revision in candidate.revisions:
        changes = revision.changes
        if field is not None:
            changes = {path: change for path, change in changes.items()
                       if path == field or path.startswith((f"{field}[", f"{field}."))}
            if not changes:
                continue
        items.append({"id": revision.id, "version": revision.version, "at": revision.created_at,
                      "actor_id": revision.actor_id, "actor_role": revision.actor_role,
                      "changes": changes})
    return items


# --- validation --------------------------------------------------------------------------


def _flatten_input(data: dict[str, Any]) -> dict[str, Any]:
    """Turn the loaded API shape into API paths (`education.level`, `skills`, ...)."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in NESTED:
            if value is None:  # `"education": null` clears the whole object
                flat.update({path: None for path in SCALARS if path.startswith(f"{key}.")})
            else:
                flat.update({f"{key}.{sub}": v for sub, v in value.items()})
        elif key == "interests":
            if value is None:
                flat["interests.sectors"] = []
                flat["interests.occupations"] = []
            else:
                flat.update({f"interests.{sub}": v or [] for sub, v in value.items()})
        elif key in ("skills", "languages", "experience"):
            flat[key] = value or []
        else:
            flat[key] = value
    return flat


def _duplicates(items: list[Any], key: Callable[[Any], Any], path: str, what: str,
                details: Details) -> None:
    """Report every repeated item at its own index (422, not a silent merge)."""
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        value = key(item)
        if value in seen:
            details.setdefault(path.format(index), []).append(
                f"Duplicate {what}: already given at index {seen[value]}; give each once.")
        else:
            seen[value] = index


def _known(session: Session, model: Any, uris: set[str], **where: Any) -> set[str]:
    """Return those URIs that exist in the taxonomy table (optionally with extra conditions)."""
    found: set[str] = set()
    for chunk in chunks(sorted(uris)):
        query = select(model.uri).where(model.uri.in_(chunk))
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        found.update(session.scalars(query))
    return found


def _validate(
    session: Session,
    actor: Account,
    flat: dict[str, Any],
    candidate: Candidate | None,
    organisation_id: uuid.UUID,
) -> None:
    """Check the meaning of the input; raise one 422 (or 403) listing every problem."""
    forbidden = [path for path in ADVISER_ONLY if path in flat]
    if forbidden and not policy.may_set_adviser_fields(actor):
        raise Forbidden("Only an adviser may set these fields.",
                        details={path: ["Only an adviser may set this."] for path in forbidden})
    details: Details = {}
    current = profile_values(candidate) if candidate is not None else {}

    def effective(path: str) -> Any:
        return flat[path] if path in flat else current.get(path)

    if flat.get("region") is not None and session.get(Region, flat["region"]) is None:
        details["region"] = ["Unknown labour-market region; see GET /api/v1/regions."]
    if flat.get("birth_year") is not None and flat["birth_year"] > date.today().year:
        details["birth_year"] = ["Must not be in the future."]
    if flat.get("right_to_work") is not None and effective("kind") != "newcomer":
        details["right_to_work"] = ["Recorded for newcomers only."]
    if flat.get("education.recognition") is not None and effective("education.foreign") is not True:
        details["education.recognition"] = ["Only for a foreign diploma (education.foreign)."]
    if flat.get("adviser_id") is not None:
        adviser = session.get(Account, flat["adviser_id"])
        if adviser is None or adviser.role != "adviser" or \
                adviser.organisation_id != organisation_id:
            details["adviser_id"] = ["Must be an adviser of the candidate's desk."]

    skills = flat.get("skills") or []
    _duplicates(skills, lambda s: s["uri"], "skills[{}].uri", "skill", details)
    known = _known(session, Skill, {s["uri"] for s in skills}, kind="skill")
    existing = {s.skill_uri: s for s in candidate.skills} if candidate is not None else {}
    for index, skill in enumerate(skills):
        if skill["uri"] not in known:
            details.setdefault(f"skills[{index}].uri", []).append(
                "Unknown ESCO skill URI (skill groups are not accepted).")
        source = skill.get("source")
        if source == "inferred" and (
            skill["uri"] not in existing or existing[skill["uri"]].source != "inferred"
        ):
            details.setdefault(f"skills[{index}].source", []).append(
                "Inferred skills come only from the work-history prefill.")
        elif actor.role == "candidate" and source not in (None, "self") and not (
            skill["uri"] in existing
            and (existing[skill["uri"]].source, existing[skill["uri"]].level)
            == (source, skill["level"])
        ):
            details.setdefault(f"skills[{index}].source", []).append(
                "A candidate records their own skills with source `self`.")

    languages = flat.get("languages") or []
    _duplicates(languages, lambda lang: lang["code"], "languages[{}].code", "language", details)

    experience = flat.get("experience") or []
    _duplicates(experience, lambda e: e["occupation"], "experience[{}].occupation",
                "occupation (give the total years once)", details)
    interests = flat.get("interests.occupations") or []
    _duplicates(interests, lambda uri: uri, "interests.occupations[{}]", "occupation", details)
    sectors = flat.get("interests.sectors") or []
    _duplicates(sectors, lambda s: s, "interests.sectors[{}]", "sector", details)
    occupations = _known(session, Occupation,
                         {e["occupation"] for e in experience} | set(interests))
    for index, item in enumerate(experience):
        if item["occupation"] not in occupations:
            details.setdefault(f"experience[{index}].occupation", []).append(
                "Unknown ESCO occupation URI.")
    for index, uri in enumerate(interests):
        if uri not in occupations:
            details.setdefault(f"interests.occupations[{index}]", []).append(
                "Unknown ESCO occupation URI.")
    if details:
        raise ValidationFailed(details=details)


# --- writing -----------------------------------------------------------------------------


def skill_value(skill: CandidateSkill) -> dict[str, Any]:
    """Return what a revision records of a skill."""
    return {"level": skill.level, "source": skill.source, "confirmed": skill.confirmed}


def _json(value: Any) -> Any:
    """Make a value storable in the JSON revision column."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _apply(
    session: Session, actor: Account, candidate: Candidate, flat: dict[str, Any],
    before: dict[str, Any],
) -> dict[str, dict[str, Any]]:
    """Write the input onto the profile; return the changes as {path: {old, new}}."""
    changes: dict[str, dict[str, Any]] = {}

    def note(path: str, old: Any, new: Any) -> None:
        if old != new:
            changes[path] = {"old": _json(old), "new": _json(new)}

    for path, column in SCALARS.items():
        if path in flat:
            note(path, before.get(path), flat[path])
            setattr(candidate, column, flat[path])
    # A non-newcomer has no right-to-work record: changing the kind clears it (in history).
    if candidate.kind != "newcomer" and candidate.right_to_work is not None:
        note("right_to_work", before.get("right_to_work"), None)
        candidate.right_to_work = None
    if candidate.education_foreign is not True and candidate.education_recognition is not None:
        note("education.recognition", candidate.education_recognition, None)
        candidate.education_recognition = None

    if "skills" in flat:
        _apply_skills(actor, candidate, flat["skills"], note)
    if "languages" in flat:
        current = {lang.code: lang for lang in candidate.languages}
        wanted = {item["code"]: item["cefr"] for item in flat["languages"]}
        for code, row in list(current.items()):
            if code not in wanted:
                note(f"languages[{code}]", row.cefr, None)
                candidate.languages.remove(row)
        for code, cefr in wanted.items():
            if code in current:
                note(f"languages[{code}]", current[code].cefr, cefr)
                current[code].cefr = cefr
            else:
                note(f"languages[{code}]", None, cefr)
                candidate.languages.append(CandidateLanguage(code=code, cefr=cefr))
    if "experience" in flat:
        new = [{"occupation": e["occupation"], "years": float(e["years"])}
               for e in flat["experience"]]
        old = before.get("experience", [])
        if new != old:
            note("experience", old or None, new)
            if old:
                candidate.experience.clear()
                session.flush()  # delete the old rows before their positions are reused
            candidate.experience.extend(
                CandidateExperience(position=i, occupation_uri=e["occupation"], years=e["years"])
                for i, e in enumerate(new))
    for sub, kind in (("sectors", "sector"), ("occupations", "occupation")):
        path = f"interests.{sub}"
        if path in flat and list(flat[path]) != before.get(path, []):
            note(path, before.get(path) or None, list(flat[path]))
            for row in [i for i in candidate.interests if i.kind == kind]:
                candidate.interests.remove(row)
            candidate.interests.extend(
                CandidateInterest(position=i, kind=kind, value=v) for i, v in enumerate(flat[path]))
    return changes


def _apply_skills(
    actor: Account, candidate: Candidate, items: list[dict[str, Any]],
    note: Callable[[str, Any, Any], None],
) -> None:
    """Replace the skill list; an unchanged entry keeps its source and provenance."""
    current = {skill.skill_uri: skill for skill in candidate.skills}
    wanted = {item["uri"]: item for item in items}
    default_source = "self" if actor.role == "candidate" else "adviser"
    for uri, row in list(current.items()):
        if uri not in wanted:
            note(f"skills[{uri}]", skill_value(row), None)
            candidate.skills.remove(row)
    for uri, item in wanted.items():
        row = current.get(uri)
        source = item.get("source")
        if row is not None:
            if source is None:
                source = row.source if row.level == item["level"] else default_source
            if (row.level, row.source) == (item["level"], source):
                continue
            old = skill_value(row)
            row.level, row.source = item["level"], source
            if source != "inferred":
                row.confirmed = True
            note(f"skills[{uri}]", old, skill_value(row))
        else:
            row = CandidateSkill(skill_uri=uri, level=item["level"],
                                 source=source or default_source, confirmed=True,
                                 created_at=utcnow())
            candidate.skills.append(row)
            note(f"skills[{uri}]", None, skill_value(row))


def record_revision(session: Session, actor: Account, candidate: Candidate,
            changes: dict[str, Any]) -> None:
    """Keep one revision per write: the provenance of every changed field."""
    session.add(CandidateRevision(candidate_id=candidate.id, version=candidate.version,
                                  actor_id=actor.id, actor_role=actor.role, changes=changes,
                                  created_at=utcnow()))
    # Every write that changes a profile records a revision: the matching index hears of it here.
    record_changes(session, "candidate", [candidate.id])


def flush_versioned(session: Session) -> None:
    """Flush; a concurrent write that bumped the version first turns into 412."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise PreconditionFailed() from exc


def create_candidate(
    session: Session,
    *,
    actor: Account,
    data: dict[str, Any],
    organisation_id: uuid.UUID | None = None,
) -> Candidate:
    """Create an intake profile in the actor's desk (the admin names the desk)."""
    if not policy.may_create_candidate(actor):
        raise Forbidden("Only advisers create intake profiles.")
    if actor.role == "adviser":
        if organisation_id not in (None, actor.organisation_id):
            raise ValidationFailed(details={"organisation_id": ["Must be your own desk."]})
        organisation_id = actor.organisation_id
    elif organisation_id is None:
        raise ValidationFailed(details={"organisation_id": ["Required for the admin."]})
    else:
        desk = session.get(Organisation, organisation_id)
        if desk is None or desk.kind != "desk":
            raise ValidationFailed(details={"organisation_id": ["Must be an adviser desk."]})
    flat = _flatten_input(data)
    missing = [path for path in REQUIRED_ON_CREATE if flat.get(path) is None]
    if missing:
        raise ValidationFailed(details={path: ["Missing data for required field."]
                                        for path in missing})
    wanted_consent = flat.pop("consent", None) or {}
    _validate(session, actor, flat, None, organisation_id)
    if actor.role == "adviser" and "adviser_id" not in flat:
        flat["adviser_id"] = actor.id
    now = utcnow()
    # The id is set here so the profile, its children, revision and consents go in one flush.
    candidate = Candidate(id=uuid.uuid4(), organisation_id=organisation_id, version=1,
                          created_at=now, updated_at=now, consent_providers=False,
                          consent_employers=False)
    changes = _apply(session, actor, candidate, flat, {})
    session.add(candidate)
    record_revision(session, actor, candidate, changes)
    for audience, granted in wanted_consent.items():
        if granted:
            consent.set_consent(session, actor=actor, candidate=candidate, audience=audience,
                                granted=True, new_version=False)
    session.flush()
    return candidate


def update_candidate(
    session: Session,
    *,
    actor: Account,
    candidate: Candidate,
    expected_version: int,
    data: dict[str, Any],
) -> Candidate:
    """Apply a partial update (objects merge, lists replace) if the version still matches."""
    if not policy.may_edit_candidate(actor, candidate):
        raise NotFound("No candidate with this id.")
    if candidate.version != expected_version:
        raise PreconditionFailed()
    flat = _flatten_input(data)
    empty_required = [path for path in REQUIRED_ON_CREATE if path in flat and flat[path] is None]
    if empty_required:
        raise ValidationFailed(details={path: ["May not be null."] for path in empty_required})
    wanted_consent = flat.pop("consent", None) or {}
    _validate(session, actor, flat, candidate, candidate.organisation_id)
    changes = _apply(session, actor, candidate, flat, profile_values(candidate))
    if changes:
        candidate.version = expected_version + 1
        candidate.updated_at = utcnow()
        flush_versioned(session)
        record_revision(session, actor, candidate, changes)
    for audience, granted in wanted_consent.items():
        if granted != consent.current_consent(candidate)[audience]:
            consent.set_consent(session, actor=actor, candidate=candidate, audience=audience,
                                granted=granted)
    flush_versioned(session)
    return candidate


def bump_version(session: Session, candidate: Candidate) -> None:
    """Move the profile to a new version (for writes to its child rows only)."""
    candidate.version += 1
    candidate.updated_at = utcnow()
    flush_versioned(session)


def erase_candidate(
    session: Session, *, actor: Account, candidate: Candidate, expected_version: int,
    endpoint: str,
) -> None:
    """Erase the profile, its skills, consents, history and linked account; keep the audit.

    Audit entries carry only the now meaningless opaque id; the erasure itself is logged.
    """
    if not policy.may_erase_candidate(actor, candidate):
        raise NotFound("No candidate with this id.")
    if candidate.version != expected_version:
        raise PreconditionFailed()
    candidate_id, account_id = candidate.id, candidate.account_id
    audit.record_erasure(session, actor=actor, candidate_id=candidate_id, endpoint=endpoint)
    # Delete with a version check so a concurrent edit is not erased unseen (and vice versa).
    result = session.execute(
        delete(Candidate).where(Candidate.id == candidate_id,
                                Candidate.version == expected_version)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise PreconditionFailed()
    session.expunge(candidate)
    record_changes(session, "candidate", [candidate_id], "remove")
    if account_id is not None:
        account = session.get(Account, account_id)
        if account is not None:
            session.delete(account)
    session.flush()

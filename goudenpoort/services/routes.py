"""Training routes: create, read, change, delete (softly), list, and upsert in bulk."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from goudenpoort.errors import Conflict, Forbidden
from goudenpoort.services import catalogue
from goudenpoort.services.catalogue_rows import read_route
from goudenpoort.services.match_changes import record_changes
from goudenpoort.services.ownership import Caller, may_manage
from goudenpoort.services.taxonomy import expand_ref
from models import (
    RouteModule,
    RouteModuleSkill,
    RouteOccupation,
    RoutePartner,
    RouteSkill,
    TrainingRoute,
)
from models.base import utcnow

CHILDREN = (RouteSkill, RouteModule, RouteModuleSkill, RouteOccupation, RoutePartner)
PARENT_COLUMNS = (
    "external_id", "title", "description", "level", "mode", "place", "lat", "lon", "region",
    "duration_weeks", "hours_per_week", "start_dates", "seats", "cost_eur", "funding_notes",
    "min_education", "min_dutch_cefr", "digest",
)


def _child_rows(route_id: uuid.UUID, item: dict[str, Any]) -> dict[Any, list[dict[str, Any]]]:
    """Return the rows of every child table for one normalised route."""
    out: dict[Any, list[dict[str, Any]]] = {model: [] for model in CHILDREN}
    for relation, key in (("taught", "skills"), ("required", "required_skills")):
        for position, (uri, level) in enumerate(item[key]):
            out[RouteSkill].append({"route_id": route_id, "relation": relation,
                                    "skill_uri": uri, "level": level, "position": position})
    for m_pos, module in enumerate(item["modules"]):
        out[RouteModule].append({"route_id": route_id, "position": m_pos,
                                 "title": module["title"], "hours": module["hours"]})
        for position, uri in enumerate(module["skills"]):
            out[RouteModuleSkill].append({"route_id": route_id, "module_position": m_pos,
                                          "skill_uri": uri, "position": position})
    for position, uri in enumerate(item["occupations"]):
        out[RouteOccupation].append({"route_id": route_id, "occupation_uri": uri,
                                     "position": position})
    for position, employer in enumerate(item["partners"]):
        out[RoutePartner].append({"route_id": route_id, "employer_id": uuid.UUID(employer),
                                  "position": position})
    return out


def write_routes(
    session: Session,
    *,
    provider_id: uuid.UUID,
    new: Sequence[tuple[uuid.UUID, dict[str, Any]]] = (),
    changed: Sequence[tuple[uuid.UUID, int, dict[str, Any]]] = (),
) -> None:
    """Insert new routes and rewrite changed ones (id, old version, item) with executemany."""
    now = utcnow()
    if new:
        session.execute(insert(TrainingRoute), [
            {"id": route_id, "provider_id": provider_id, "version": 1, "created_at": now,
             "updated_at": now, **{c: item[c] for c in PARENT_COLUMNS}}
            for route_id, item in new
        ])
    if changed:
        session.execute(update(TrainingRoute), [
            {"id": route_id, "version": version + 1, "updated_at": now,
             **{c: item[c] for c in PARENT_COLUMNS}}
            for route_id, version, item in changed
        ])
        changed_ids = [route_id for route_id, _v, _i in changed]
        for model in CHILDREN:
            for chunk in catalogue.chunks(changed_ids):
                session.execute(delete(model).where(model.route_id.in_(chunk)))
    children: dict[Any, list[dict[str, Any]]] = {model: [] for model in CHILDREN}
    for route_id, item in [*new, *((r, i) for r, _v, i in changed)]:
        for model, child_rows in _child_rows(route_id, item).items():
            children[model].extend(child_rows)
    for model in CHILDREN:
        for chunk in catalogue.chunks(children[model], 5000):
            session.execute(insert(model), list(chunk))
    record_changes(session, "route", [r for r, _i in new] + [r for r, _v, _i in changed])
    session.flush()


def save_routes(
    session: Session, *, provider_id: uuid.UUID, items: Sequence[dict[str, Any]]
) -> catalogue.SaveResult:
    """Upsert normalised routes by external id: new ones inserted, changed ones rewritten."""
    external_ids = [item["external_id"] for item in items if item["external_id"]]
    existing: dict[str, tuple[uuid.UUID, str, int]] = {}
    for chunk in catalogue.chunks(external_ids):
        query = select(TrainingRoute.external_id, TrainingRoute.id, TrainingRoute.digest,
                       TrainingRoute.version).where(
            TrainingRoute.provider_id == provider_id,
            TrainingRoute.deleted_at.is_(None),
            TrainingRoute.external_id.in_(chunk),
        )
        for external_id, route_id, digest, version in session.execute(query):
            existing[external_id] = (route_id, digest, version)
    new, changed, result = catalogue.plan_upsert(items, existing)
    write_routes(session, provider_id=provider_id, new=new, changed=changed)
    return result


def get_route(session: Session, route_id: uuid.UUID | str) -> TrainingRoute:
    """Return a live route or raise NotFound."""
    return catalogue.get_owned(session, TrainingRoute, route_id, "training route")


def route_input(route: TrainingRoute) -> dict[str, Any]:
    """Return a route in the API input shape (the base a PATCH is applied to)."""
    return {
        "external_id": route.external_id,
        "title": route.title,
        "description": route.description,
        "level": route.level,
        "mode": route.mode,
        "place": route.place,
        "region": route.region,
        "lat": route.lat,
        "lon": route.lon,
        "duration_weeks": route.duration_weeks,
        "hours_per_week": route.hours_per_week,
        "start_dates": list(route.start_dates or []),
        "seats": route.seats,
        "cost_eur": route.cost_eur,
        "funding_notes": route.funding_notes,
        "prerequisites": {
            "min_education": route.min_education,
            "min_dutch_cefr": route.min_dutch_cefr,
            "skills": [{"uri": s.skill_uri, "level": s.level}
                       for s in route.skills if s.relation == "required"],
        },
        "skills": [{"uri": s.skill_uri, "level": s.level}
                   for s in route.skills if s.relation == "taught"],
        "modules": [
            {"title": m.title, "hours": m.hours,
             "skills": [{"uri": ms.skill_uri} for ms in route.module_skills
                        if ms.module_position == m.position]}
            for m in route.modules
        ],
        "occupations": [{"uri": o.occupation_uri} for o in route.occupations],
        "job_guarantee_partners": [{"id": str(p.employer_id)} for p in route.partners],
    }


def _check_external_id(session: Session, provider_id: uuid.UUID, external_id: str | None,
                       route_id: uuid.UUID | None) -> None:
    """Raise Conflict if another live route of the provider has this external id."""
    if not external_id:
        return
    query = select(TrainingRoute.id).where(
        TrainingRoute.provider_id == provider_id, TrainingRoute.external_id == external_id,
        TrainingRoute.deleted_at.is_(None),
    )
    other = session.scalars(query).first()
    if other is not None and other != route_id:
        raise Conflict(f"Another route of this provider has external id {external_id!r}.",
                       details={"external_id": ["Already in use; import upserts by it."]})


def _reload(session: Session, route_id: uuid.UUID) -> TrainingRoute:
    """Return the route freshly loaded (the bulk statements bypass the identity map)."""
    route = session.scalars(
        select(TrainingRoute).where(TrainingRoute.id == route_id)
        .options(*route_loader_options()).execution_options(populate_existing=True)
    ).one()
    return route


def create_route(
    session: Session, *, caller: Caller, data: dict[str, Any], provider_id: uuid.UUID | None
) -> TrainingRoute:
    """Create a route for the caller's training centre (admins name the provider)."""
    owner = catalogue.owner_for_create(session, caller, "route", provider_id)
    context = catalogue.build_context(session, [data])
    item, errors = read_route(data, context)
    if item is None:
        raise catalogue.invalid(errors)
    _check_external_id(session, owner, item["external_id"], None)
    route_id = uuid.uuid4()
    write_routes(session, provider_id=owner, new=[(route_id, item)])
    return _reload(session, route_id)


def update_route(
    session: Session, *, caller: Caller, route: TrainingRoute, changes: dict[str, Any],
    expected_version: Collection[int] | None,
) -> TrainingRoute:
    """Apply a partial change (top-level fields replace; prerequisites merge) to a route."""
    if not may_manage(caller, "route", route.provider_id):
        raise Forbidden("You may only change your own organisation's routes.")
    catalogue.check_version(route.version, expected_version)
    merged = route_input(route)
    for key, value in changes.items():
        if key == "prerequisites" and isinstance(value, dict):
            merged["prerequisites"] = {**merged["prerequisites"], **value}
        else:
            merged[key] = value
    context = catalogue.build_context(session, [merged])
    item, errors = read_route(merged, context)
    if item is None:
        raise catalogue.invalid(errors)
    if item["digest"] == route.digest:
        return route
    _check_external_id(session, route.provider_id, item["external_id"], route.id)
    write_routes(session, provider_id=route.provider_id,
                 changed=[(route.id, route.version, item)])
    return _reload(session, route.id)


def delete_route(
    session: Session, *, caller: Caller, route: TrainingRoute,
    expected_version: Collection[int] | None,
) -> None:
    """Delete a route softly: it leaves the catalogue, match history can still name it."""
    if not may_manage(caller, "route", route.provider_id):
        raise Forbidden("You may only delete your own organisation's routes.")
    catalogue.check_version(route.version, expected_version)
    route.deleted_at = utcnow()
    route.version += 1
    record_changes(session, "route", [route.id], "remove")
    session.flush()


def route_loader_options() -> list[Any]:
    """Return the eager loads that render a page of routes in a fixed number of queries."""
    return [
        selectinload(TrainingRoute.provider),
        selectinload(TrainingRoute.skills).selectinload(RouteSkill.skill),
        selectinload(TrainingRoute.modules),
        selectinload(TrainingRoute.module_skills).selectinload(RouteModuleSkill.skill),
        selectinload(TrainingRoute.occupations).selectinload(RouteOccupation.occupation),
        selectinload(TrainingRoute.partners).selectinload(RoutePartner.employer),
    ]


def list_routes(
    session: Session,
    *,
    limit: int = 20,
    cursor: str | None = None,
    region: str | None = None,
    provider: uuid.UUID | None = None,
    occupation: str | None = None,
    skill: str | None = None,
    level: str | None = None,
    mode: str | None = None,
    q: str | None = None,
) -> tuple[list[TrainingRoute], str | None]:
    """Return one page of live routes ordered by title, and the cursor of the next page."""
    query = select(TrainingRoute).where(TrainingRoute.deleted_at.is_(None))
    if region:
        query = query.where(TrainingRoute.region == region)
    if provider:
        query = query.where(TrainingRoute.provider_id == provider)
    if level:
        query = query.where(TrainingRoute.level == level)
    if mode:
        query = query.where(TrainingRoute.mode == mode)
    if occupation:
        uri = expand_ref(occupation, "occupation")
        query = query.where(exists().where(RouteOccupation.route_id == TrainingRoute.id,
                                           RouteOccupation.occupation_uri == uri))
    if skill:
        uri = expand_ref(skill, "skill")
        query = query.where(exists().where(RouteSkill.route_id == TrainingRoute.id,
                                           RouteSkill.relation == "taught",
                                           RouteSkill.skill_uri == uri))
    if q:
        query = query.where(func.lower(TrainingRoute.title).contains(q.lower(), autoescape=True))
    query = catalogue.page_by_title(query, TrainingRoute, cursor=cursor, limit=limit)
    items = list(session.scalars(query.options(*route_loader_options())))
    return catalogue.split_page(items, limit)

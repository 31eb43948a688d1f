"""Training routes: what sets them apart in the catalogue (children, merge, filters)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import exists, func
from sqlalchemy.orm import Session, selectinload

from goudenpoort.services import catalogue, catalogue_items
from goudenpoort.services.catalogue_rows import read_route
from goudenpoort.services.taxonomy import expand_ref
from models import (
    RouteModule,
    RouteModuleSkill,
    RouteOccupation,
    RoutePartner,
    RouteSkill,
    TrainingRoute,
)

CHILDREN = (RouteSkill, RouteModule, RouteModuleSkill, RouteOccupation, RoutePartner)
PARENT_COLUMNS = (
    "external_id", "title", "description", "level", "mode", "place", "lat", "lon", "region",
    "duration_weeks", "hours_per_week", "start_dates", "seats", "cost_eur", "funding_notes",
    "min_education", "min_dutch_cefr", "digest",
)


def _parent(item: dict[str, Any]) -> dict[str, Any]:
    """Return the training_routes columns of a normalised route."""
    return {column: item[column] for column in PARENT_COLUMNS}


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


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Apply a PATCH: top-level fields replace, prerequisites merge."""
    merged = dict(base)
    for key, value in changes.items():
        if key == "prerequisites" and isinstance(value, dict):
            merged["prerequisites"] = {**merged["prerequisites"], **value}
        else:
            merged[key] = value
    return merged


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


ROUTES = catalogue_items.ItemKind(
    item="route", noun="training route", plural="routes", owner_noun="provider",
    model=TrainingRoute, owner_column="provider_id", child_key="route_id", children=CHILDREN,
    parent_row=_parent, child_rows=_child_rows, read=read_route, as_input=route_input,
    merge=_merge, loader_options=route_loader_options,
)


def save_routes(
    session: Session, *, provider_id: uuid.UUID, items: Sequence[dict[str, Any]]
) -> catalogue.SaveResult:
    """Upsert normalised routes by external id: new ones inserted, changed ones rewritten."""
    return catalogue_items.save_items(session, ROUTES, owner_id=provider_id, items=items)


def get_route(session: Session, route_id: uuid.UUID | str) -> TrainingRoute:
    """Return a live route or raise NotFound."""
    return catalogue_items.get_item(session, ROUTES, route_id)


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
    query = catalogue_items.live_items(ROUTES, region=region, owner=provider)
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
    return catalogue_items.list_page(session, ROUTES, query, cursor=cursor, limit=limit)

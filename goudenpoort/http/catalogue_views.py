"""The list, item and import endpoints of a catalogue item kind (routes, vacancies), once.

Each resource module declares its schemas, its rendering and a CatalogueViews; `register`
builds the three MethodViews from it, so the endpoints of every kind behave alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask.views import MethodView

from goudenpoort.auth import current_account, requires
from goudenpoort.db import get_session
from goudenpoort.http import catalogue as common
from goudenpoort.http.blueprint import Blueprint
from goudenpoort.http.etags import IF_MATCH, etag_header, if_match_versions
from goudenpoort.http.schemas import Args, LangArgs
from goudenpoort.services import catalogue, catalogue_import, catalogue_items
from goudenpoort.services.catalogue_items import ItemKind


@dataclass(frozen=True)
class CatalogueViews:
    """What the endpoints of one item kind need: service, schemas, rendering, wording."""

    kind: ItemKind  # the service side: table, owner, reading and writing
    class_name: str  # "Route": endpoints Routes, RouteItem, RouteImport
    role: str  # the staff role that manages these items: "provider", "employer"
    owner_field: str  # the body field an admin names the owner with: "provider_id"
    owner_place: str  # "training centre", "organisation"
    args: type[Args]
    patch_args: type[Args]  # its own class, so the OpenAPI document names the partial schema
    list_args: type[Args]
    schema: type[Any]
    page_schema: type[Any]
    render: Callable[[Any, str], dict[str, Any]]
    list_items: Callable[..., tuple[list[Any], str | None]]
    list_summary: str
    create_summary: str
    # Turns the list's query arguments into the service's filters (shorthands, checks).
    list_filters: Callable[[dict[str, Any]], dict[str, Any]] = lambda args: args


def summary(text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a view function its docstring (the OpenAPI summary) before it is wrapped."""
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        view.__doc__ = text
        return view
    return decorate


def register(blp: Blueprint, views: CatalogueViews) -> None:
    """Add the list/create, item and bulk import endpoints of an item kind to a blueprint."""
    kind, roles = views.kind, ("admin", views.role)
    path = f"/{kind.plural}"
    id_name = f"{kind.item}_id"  # the path parameter keeps its name: route_id, vacancy_id
    upload_kind: Any = kind.plural  # catalogue_import's Kind: "routes" or "vacancies"

    class ListView(MethodView):
        @requires()
        @blp.arguments(views.list_args, location="query")
        @blp.response(200, views.page_schema)
        @blp.doc(security=common.SECURITY)
        @summary(views.list_summary)
        def get(self, args: dict[str, Any]) -> dict[str, Any]:
            lang = args.pop("lang")
            items, next_cursor = views.list_items(get_session(), **views.list_filters(args))
            return {"items": [views.render(i, lang) for i in items], "next_cursor": next_cursor}

        @requires(*roles)
        @blp.arguments(views.args)
        @blp.arguments(LangArgs, location="query")
        @blp.response(201, views.schema)
        @blp.doc(security=common.SECURITY)
        @summary(views.create_summary)
        def post(self, data: dict[str, Any], args: dict[str, Any]) -> Any:
            owner_id = data.pop(views.owner_field, None)
            row = catalogue_items.create_item(get_session(), kind, caller=current_account(),
                                              data=data, owner_id=owner_id)
            return views.render(row, args["lang"]), 201, etag_header(row.version)

    class ItemView(MethodView):
        @requires()
        @blp.arguments(LangArgs, location="query")
        @blp.response(200, views.schema)
        @blp.doc(security=common.SECURITY)
        @summary(f"Return one {kind.noun}; its ETag is its version.")
        def get(self, args: dict[str, Any], **url: Any) -> Any:
            row = catalogue_items.get_item(get_session(), kind, url[id_name])
            return views.render(row, args["lang"]), 200, etag_header(row.version)

        @requires(*roles)
        @blp.arguments(views.patch_args(partial=True))
        @blp.arguments(LangArgs, location="query")
        @blp.response(200, views.schema)
        @blp.doc(security=common.SECURITY, parameters=IF_MATCH)
        @summary(f"Change a {kind.item} of your {views.owner_place} (If-Match required).")
        def patch(self, data: dict[str, Any], args: dict[str, Any], **url: Any) -> Any:
            session = get_session()
            row = catalogue_items.get_item(session, kind, url[id_name])
            if views.owner_field in data:
                raise catalogue.invalid({views.owner_field: [
                    f"A {kind.item} cannot move to another {kind.owner_noun}."]})
            row = catalogue_items.update_item(session, kind, caller=current_account(), row=row,
                                              changes=data, expected_version=if_match_versions())
            return views.render(row, args["lang"]), 200, etag_header(row.version)

        @requires(*roles)
        @blp.arguments(Args, location="query")
        @blp.response(204)
        @blp.doc(security=common.SECURITY, parameters=IF_MATCH)
        @summary(f"Delete a {kind.item} of your {views.owner_place} "
                 "(If-Match required; match history keeps it).")
        def delete(self, _args: dict[str, Any], **url: Any) -> None:
            session = get_session()
            row = catalogue_items.get_item(session, kind, url[id_name])
            catalogue_items.delete_item(session, kind, caller=current_account(), row=row,
                                        expected_version=if_match_versions())

    class ImportView(MethodView):
        accepts_uploads = True  # the envelope allows CSV and multipart, up to MAX_IMPORT_LENGTH

        @requires(*roles)
        @blp.arguments(common.ImportArgs, location="query")
        @blp.response(200, common.ImportReportSchema)
        @blp.doc(security=common.SECURITY, **common.IMPORT_BODY_DOC)
        @summary(f"Upsert {kind.plural} by external id from a JSON array or CSV; "
                 "report every bad row.")
        def post(self, args: dict[str, Any]) -> dict[str, Any]:
            session = get_session()
            owner = catalogue.owner_for_create(session, current_account(), kind.item,
                                               common.owner_arg(args))
            data, fmt = common.upload()
            records = catalogue_import.read_file(data, fmt, upload_kind)  # type: ignore[arg-type]
            report = catalogue_import.import_records(session, kind=upload_kind, owner_id=owner,
                                                     records=records)
            return report.as_dict()

    # The class names are the endpoint names (`routes.RouteItem`), as if written by hand.
    for view, name, rule, doc in (
        (ListView, f"{kind.plural.capitalize()}", path, f"The {kind.item} catalogue."),
        (ItemView, f"{views.class_name}Item", f"{path}/<uuid:{id_name}>", f"One {kind.noun}."),
        (ImportView, f"{views.class_name}Import", f"{path}/import",
         f"Bulk import of {kind.plural}."),
    ):
        view.__name__ = view.__qualname__ = name
        view.__doc__ = doc
        blp.route(rule)(view)

"""The flask CLI: database migrations and the taxonomy; later parts add their own groups."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from tqdm import tqdm

from goudenpoort.db import get_db, session_scope
from goudenpoort.errors import DomainError

if TYPE_CHECKING:
    from goudenpoort.taxonomy.sync import SyncResult

ROOT = Path(__file__).resolve().parent.parent

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")
taxonomy_cli = AppGroup("taxonomy", help="The ESCO taxonomy and the labour-market regions.")


def alembic_config():  # type: ignore[no-untyped-def]
    """Return the Alembic configuration of this repository."""
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["configure_logger"] = False
    return cfg


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION (default: head)."""
    from alembic import command

    cfg = alembic_config()
    with get_db().engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)
    click.echo(f"database at {revision}")


@db_cli.command("current")
def db_current() -> None:
    """Show the current migration revision."""
    from alembic import command

    cfg = alembic_config()
    with get_db().engine.connect() as connection:
        cfg.attributes["connection"] = connection
        command.current(cfg)


@taxonomy_cli.command("import")
@click.option("--directory", type=click.Path(file_okay=False), default=None,
              help="Directory of the compact ESCO copy (default: data/esco).")
@click.option("--force", is_flag=True, help="Compare every row even if this release is loaded.")
def taxonomy_import(directory: str | None, force: bool) -> None:
    """Load ESCO and the regions in one transaction; a second run changes nothing."""
    from goudenpoort.taxonomy.dutch_labels import (
        apply_layer,
        read_project_file,
        read_project_occupations,
    )
    from goudenpoort.taxonomy.files import open_release
    from goudenpoort.taxonomy.importer import import_release, loaded_release

    try:
        release = open_release(directory or current_app.config["TAXONOMY_DIR"])
        project_labels = read_project_file(current_app.config["PROJECT_LABELS_FILE"])
        titles = read_project_occupations(current_app.config["PROJECT_OCCUPATION_LABELS_FILE"])
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    with session_scope() as session:
        loaded = loaded_release(session)
        if not force and loaded is not None and loaded.digest == release.digest:
            # The release is in place; the project's Dutch labels may still have changed.
            try:
                results = apply_layer(session, project=project_labels,
                                      occupations=titles).results
            except DomainError as exc:
                raise click.ClickException(f"{exc} (nothing was changed)") from exc
            if not any(result.changed for result in results):
                click.echo(f"{release.name} {release.version} already loaded; nothing to do "
                           "(--force compares every row)")
                return
            click.echo(f"{release.name} {release.version} already loaded (--force compares "
                       "every row); project Dutch labels brought in line:")
            _echo_results(results)
            return
        bar = None

        def progress_factory(total: int):  # type: ignore[no-untyped-def]
            nonlocal bar
            bar = tqdm(total=total, unit="row", desc="taxonomy", disable=None)
            return bar.update

        try:
            results = import_release(
                session, release, current_app.config["REGIONS_FILE"], progress_factory,
                project_labels=project_labels, project_occupation_labels=titles,
            )
        except DomainError as exc:
            raise click.ClickException(f"{exc} (nothing was changed)") from exc
        finally:
            if bar is not None:
                bar.close()
    click.echo(f"{release.name} {release.version} loaded:")
    _echo_results(results)


def _echo_results(results: list[SyncResult]) -> None:
    for result in results:
        click.echo(f"  {result.table:28} {result.inserted:>7} new {result.updated:>7} updated "
                   f"{result.deleted:>7} deleted {result.unchanged:>7} unchanged")


@taxonomy_cli.command("import-labels")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def taxonomy_import_labels(file: str) -> None:
    """Load official Dutch skill labels (ESCO skills_nl.csv); they beat the project's labels."""
    from goudenpoort.taxonomy.dutch_labels import (
        apply_layer,
        known_skills,
        read_official_file,
        read_project_file,
    )

    with session_scope() as session:
        known = known_skills(session)
        if not known:
            raise click.ClickException("no taxonomy loaded; run `flask taxonomy import` first")
        try:
            official = read_official_file(file, known)
            project = read_project_file(current_app.config["PROJECT_LABELS_FILE"])
            layer = apply_layer(session, project=project, official=official)
        except DomainError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"official Dutch labels for {len(official)} skills read from {file}; Dutch "
               f"display labels of skills and skill groups now: {layer.official_skills} "
               f"official, {layer.project_skills} project")
    _echo_results(layer.results)


@taxonomy_cli.command("info")
def taxonomy_info() -> None:
    """Show the loaded release and its counts."""
    from sqlalchemy import func, select

    from goudenpoort.taxonomy.importer import loaded_release
    from models import Occupation, OccupationSkill, Region, Skill, SkillLabel

    with session_scope() as session:
        release = loaded_release(session)
        if release is None:
            raise click.ClickException("no taxonomy loaded; run `flask taxonomy import`")
        click.echo(f"{release.name} {release.version} (manifest {release.digest[:12]})")
        for model in (Skill, SkillLabel, Occupation, OccupationSkill, Region):
            count = session.scalar(select(func.count()).select_from(model))
            click.echo(f"  {model.__tablename__:20} {count:>8}")


def register_cli(app: Flask) -> None:
    """Attach every command group to the app."""
    app.cli.add_command(db_cli)
    app.cli.add_command(taxonomy_cli)
    from goudenpoort.account_commands import accounts_cli

    app.cli.add_command(accounts_cli)

    from goudenpoort.catalogue_cli import catalogue_cli, demo_cli

    app.cli.add_command(catalogue_cli)
    app.cli.add_command(demo_cli)

    from goudenpoort.index_cli import index_cli

    app.cli.add_command(index_cli)

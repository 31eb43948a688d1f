"""The flask CLI: database migrations and the taxonomy; later parts add their own groups."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from tqdm import tqdm

from goudenpoort.db import get_db, session_scope
from goudenpoort.errors import DomainError

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
    from goudenpoort.taxonomy.files import open_release
    from goudenpoort.taxonomy.importer import import_release, loaded_release

    try:
        release = open_release(directory or current_app.config["TAXONOMY_DIR"])
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    with session_scope() as session:
        loaded = loaded_release(session)
        if not force and loaded is not None and loaded.digest == release.digest:
            click.echo(f"{release.name} {release.version} already loaded; nothing to do "
                       "(--force compares every row)")
            return
        bar = None

        def progress_factory(total: int):  # type: ignore[no-untyped-def]
            nonlocal bar
            bar = tqdm(total=total, unit="row", desc="taxonomy", disable=None)
            return bar.update

        try:
            results = import_release(
                session, release, current_app.config["REGIONS_FILE"], progress_factory
            )
        except DomainError as exc:
            raise click.ClickException(f"{exc} (nothing was changed)") from exc
        finally:
            if bar is not None:
                bar.close()
    click.echo(f"{release.name} {release.version} loaded:")
    for result in results:
        click.echo(f"  {result.table:20} {result.inserted:>7} new {result.updated:>7} updated "
                   f"{result.deleted:>7} deleted {result.unchanged:>7} unchanged")


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

"""CLI of the catalogue: `flask catalogue import` and `flask demo load|tokens|generate`."""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from tqdm import tqdm

from goudenpoort.db import get_db, session_scope
from goudenpoort.errors import DomainError

catalogue_cli = AppGroup("catalogue", help="Training routes and vacancies.")
demo_cli = AppGroup("demo", help="The Oost-Nederland demo dataset and synthetic catalogues.")

OWNER_KIND = {"routes": "training_centre", "vacancies": "employer"}


def _organisation(session: Session, ref: str, kind: str) -> uuid.UUID:
    """Find an organisation of a kind by id, external id or exact name."""
    from models import Organisation

    conditions = [Organisation.external_id == ref, Organisation.name == ref]
    with contextlib.suppress(ValueError):
        conditions.append(Organisation.id == uuid.UUID(ref))
    found = list(session.scalars(select(Organisation).where(
        or_(*conditions), Organisation.kind == kind)))
    if len(found) != 1:
        raise click.ClickException(
            f"{'no' if not found else 'more than one'} {kind.replace('_', ' ')} "
            f"matches {ref!r} (give its id, external id or exact name)")
    return found[0].id


@catalogue_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(["routes", "vacancies"]), default=None,
              help="What the file holds (default: from the file name).")
@click.option("--organisation", "organisation", required=True,
              help="The training centre (routes) or employer (vacancies): id, external id "
                   "or exact name.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Write the full JSON report here.")
def catalogue_import(file: Path, kind: str | None, organisation: str,
                     report_path: Path | None) -> None:
    """Upsert routes or vacancies from a CSV or JSON FILE; bad rows are reported, not saved."""
    from goudenpoort.services.catalogue_import import import_records, read_file

    if kind is None:
        name = file.name.lower()
        kind = "routes" if "route" in name else "vacancies" if "vacanc" in name else None
        if kind is None:
            raise click.ClickException("cannot tell routes from vacancies: pass --kind")
    fmt = "json" if file.suffix.lower() == ".json" else "csv"
    started = time.perf_counter()
    with session_scope() as session:
        owner = _organisation(session, organisation, OWNER_KIND[kind])
        try:
            records = read_file(file.read_bytes(), fmt, kind)  # type: ignore[arg-type]
        except DomainError as exc:
            raise click.ClickException(f"{exc.message} {exc.details or ''}".strip()) from exc
        with tqdm(total=len(records), unit="row", desc=kind, disable=None) as bar:
            report = import_records(session, kind=kind, owner_id=owner,  # type: ignore[arg-type]
                                    records=records, progress=bar.update)
    elapsed = time.perf_counter() - started
    click.echo(f"{report.rows} rows in {elapsed:.1f} s: {report.created} created, "
               f"{report.updated} updated, {report.unchanged} unchanged, "
               f"{report.failed} rejected")
    for error in report.errors[:20]:
        click.echo(f"  row {error['row']}: {json.dumps(error['details'], ensure_ascii=False)}")
    if report.failed > 20:
        click.echo(f"  ... {report.failed - 20} more (see --report)")
    if report_path is not None:
        report_path.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=1),
                               encoding="utf-8")
    if report.failed:
        raise SystemExit(1)


@demo_cli.command("load")
def demo_load() -> None:
    """Load the Oost-Nederland demo dataset (a second run changes nothing)."""
    from goudenpoort.demo.load import load_demo

    started = time.perf_counter()
    with session_scope() as session:
        summary = load_demo(session)
    for table, counts in summary.items():
        click.echo(f"  {table:18} {counts['created']:>5} new {counts['updated']:>5} updated "
                   f"{counts['unchanged']:>5} unchanged")
    click.echo(f"demo loaded in {time.perf_counter() - started:.1f} s "
               "; "
               "`flask demo tokens` prints tokens to try the API")


@demo_cli.command("tokens")
@click.option("--role", type=click.Choice(["admin", "adviser", "provider", "employer"]),
              default=None, help="Only accounts of this role.")
@click.option("--days", type=click.IntRange(1, 365), default=30, help="Token lifetime.")
def demo_tokens(role: str | None, days: int) -> None:
    """Issue and print a fresh bearer token for each demo account (shown once)."""
    from goudenpoort.demo.load import demo_tokens as issue

    with session_scope() as session:
        issued = issue(session, role=role, days=days)
        if not issued:
            raise click.ClickException("no demo accounts: run `flask demo load` first")
        for account, token in issued:
            click.echo(f"{account.role:9} {account.email:55} {token}")


@demo_cli.command("generate")
@click.option("--routes", type=click.IntRange(0), default=0, help="Number of routes.")
@click.option("--vacancies", type=click.IntRange(0), default=0, help="Number of vacancies.")
@click.option("--candidates", type=click.IntRange(0), default=0,
              help="Number of candidates (needs the candidate model; not loaded yet).")
@click.option("--seed", type=int, default=1, help="Same seed, same items (re-runs upsert).")
@click.option("--batch", type=click.IntRange(100, 100000), default=5000)
def demo_generate(routes: int, vacancies: int, candidates: int, seed: int, batch: int) -> None:
    """Generate large synthetic catalogues on the demo's ESCO concepts, for benchmarks."""
    from goudenpoort.demo.bulk import generate

    if candidates:
        click.echo("warning: --candidates is not loaded yet: the candidate model arrives with "
                   "the accounts branch (see goudenpoort/demo/candidates.py)", err=True)
    engine = get_db().engine
    for kind, total in (("routes", routes), ("vacancies", vacancies)):
        if not total:
            continue
        started = time.perf_counter()
        # A benchmark tool: each batch is committed so a long run can be stopped and resumed.
        session = get_db().sessionmaker()
        try:
            with tqdm(total=total, unit="row", desc=kind, disable=None) as bar:
                def committed(count: int, bar: tqdm = bar, session: Session = session) -> None:
                    session.commit()
                    bar.update(count)

                counts = generate(session, kind=kind, total=total, seed=seed, size=batch,
                                  on_batch=committed)
            session.commit()
        finally:
            session.close()
        elapsed = time.perf_counter() - started
        click.echo(f"{kind}: {total} in {elapsed:.1f} s ({total / max(elapsed, 1e-9):,.0f}/s) "
                   f"on {engine.dialect.name}: {counts}")

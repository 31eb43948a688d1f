"""CLI of the matching index: `flask index build` and `flask index info`."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from goudenpoort.db import session_scope
from goudenpoort.errors import DomainError

index_cli = AppGroup("index", help="The matching index (artifacts in INDEX_DIR).")


@index_cli.command("build")
@click.option("--prune-days", type=float, default=7.0, show_default=True,
              help="Also delete match change-log rows older than this many days.")
def index_build(prune_days: float) -> None:
    """Build the matching index from the database and save it atomically into INDEX_DIR."""
    from goudenpoort.index_registry import index_dir
    from goudenpoort.services.match_index import build_state, prune_changes, save_state

    directory = index_dir(current_app)
    started = time.perf_counter()
    with session_scope() as session:
        try:
            state = build_state(session)
        except DomainError as exc:
            raise click.ClickException(exc.message) from exc
        built = time.perf_counter() - started
        record = save_state(state, directory)
        pruned = prune_changes(session, keep_days=prune_days)
    info = state.info()
    click.echo(f"matching index built in {built:.1f} s: {info['items']} items, "
               f"{info['candidates']} candidates, {info['bytes'] / 1e6:.1f} MB in memory; "
               f"saved to {directory} (change log at {record['last_change']}, "
               f"{pruned} old log rows pruned)")
    click.echo("running workers adopt it on their next match request")


@index_cli.command("info")
def index_info() -> None:
    """Show the saved index: size, age, taxonomy release and changes logged since it."""
    from goudenpoort.index_registry import index_dir
    from goudenpoort.matching.artifacts import ArtifactError, read_manifest
    from goudenpoort.services.match_index import pending_changes, read_record
    from goudenpoort.services.match_profiles import taxonomy_release

    directory = index_dir(current_app)
    try:
        record = read_record(directory)
        manifests = {side: read_manifest(directory / side) for side in ("items", "candidates")}
    except ArtifactError as exc:
        raise click.ClickException(f"{exc}; run `flask index build`") from exc
    built = datetime.fromisoformat(record["built_at"])
    age = (datetime.now(UTC) - built).total_seconds()
    with session_scope() as session:
        pending = pending_changes(session, int(record.get("last_change") or 0))
        release = taxonomy_release(session)
    click.echo(f"index at {directory}")
    click.echo(f"  built        {record['built_at']} ({age / 3600:.1f} h ago)")
    click.echo(f"  taxonomy     {record['taxonomy_release']}"
               + ("" if release == record["taxonomy_release"]
                  else f"  (database has {release}: stale, rebuild)"))
    for side, manifest in manifests.items():
        click.echo(f"  {side:12} {manifest['item_count']:>8} rows  {manifest['bytes']:>10} bytes "
                   f" scikit-learn {manifest['scikit_learn_version']}")
    click.echo(f"  pending      {pending} changes logged since the build "
               "(a loading worker applies them)")

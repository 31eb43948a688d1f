"""Measure the bulk import: 10,000 routes and 10,000 vacancies from CSV, then again (upsert).

    python bench/catalogue_import.py                       # SQLite in a temporary directory
    python bench/catalogue_import.py --database-url postgresql+psycopg://u:p@host/db
    python bench/catalogue_import.py --generate-vacancies 100000   # also time `demo generate`

The database is migrated and the ESCO taxonomy imported first (not timed). The goal of the
catalogue issue: 10,000 rows in under 30 s on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from goudenpoort import create_app
from goudenpoort.config import Config
from goudenpoort.db import get_db, session_scope
from goudenpoort.demo import dataset

REGIONS = ["zwolle", "twente", "achterhoek", "veluwe-stedendriehoek", "midden-gelderland",
           "rijk-van-nijmegen", "rivierenland", "foodvalley"]


def prepare(url: str) -> object:
    """Create the app on a migrated database with the taxonomy loaded."""
    from alembic import command

    from goudenpoort.cli import alembic_config
    from goudenpoort.taxonomy.files import open_release
    from goudenpoort.taxonomy.importer import import_release, loaded_release

    app = create_app(Config, DATABASE_URL=url, JSON_LOGS=False)
    with app.app_context():
        cfg = alembic_config()
        with get_db().engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
        with session_scope() as session:
            if loaded_release(session) is None:
                import_release(session, open_release(app.config["TAXONOMY_DIR"]),
                               app.config["REGIONS_FILE"])
    return app


def csv_file(kind: str, rows: int, seed: int, bad_every: int) -> bytes:
    """Return a CSV of `rows` items; every `bad_every`-th row names an unknown skill URI."""
    rng = random.Random(seed)
    occupations = [occ for items in dataset.concepts()["sectors"].values() for occ in items]
    labels = dataset.concepts()["skills"]
    out = io.StringIO()
    if kind == "routes":
        columns = ["external_id", "title", "level", "mode", "place", "region", "lat", "lon",
                   "duration_weeks", "hours_per_week", "start_dates", "seats", "min_dutch_cefr",
                   "skills", "modules", "occupations"]
    else:
        columns = ["external_id", "title", "occupation", "region", "essential_skills",
                   "optional_skills", "min_dutch_cefr", "hours_per_week", "start_date",
                   "positions", "guarantee"]
    writer = csv.writer(out)
    writer.writerow(columns)
    for n in range(rows):
        occ = occupations[n % len(occupations)]
        skills = occ["essential"][: rng.randint(4, 10)]
        # A third of the skills by English label, as a spreadsheet would have them.
        refs = [labels[uri]["label_en"] if i % 3 == 2 else uri for i, uri in enumerate(skills)]
        if bad_every and n % bad_every == bad_every - 1:
            refs[0] = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"
        if kind == "routes":
            half = max(1, len(skills) // 2)
            modules = [{"title": "Deel 1", "hours": 80, "skills": skills[:half]},
                       {"title": "Deel 2", "hours": 80, "skills": skills[half:]}]
            writer.writerow([
                f"R{n}", f"{dataset.nl_label(occ)} {n}", rng.choice(["mbo-2", "mbo-3"]),
                rng.choice(["bbl", "bol", "hybrid"]), "Zwolle", rng.choice(REGIONS),
                "52.5168", "6.0830", 52, 32, "2027-02-01|2027-09-06", 16, "A2",
                "|".join(f"{ref}@{rng.randint(2, 3)}" for ref in refs), json.dumps(modules),
                occ["uri"],
            ])
        else:
            writer.writerow([
                f"V{n}", f"{dataset.nl_label(occ)} {n}", occ["uri"], rng.choice(REGIONS),
                "|".join(f"{ref}@{rng.randint(1, 3)}" for ref in refs),
                "|".join(f"{uri}@2" for uri in occ["optional"][:2]), "B1", 38, "2027-03-01",
                2, "ja" if n % 3 == 0 else "nee",
            ])
    return out.getvalue().encode("utf-8")


def owner(session, kind: str):  # type: ignore[no-untyped-def]
    """Return a fresh organisation of a kind."""
    from models import Organisation

    org = Organisation(kind=kind, name=f"Bench {kind} {time.time_ns()}", region="zwolle")
    session.add(org)
    session.flush()
    return org.id


def run(app, kind: str, rows: int, bad_every: int) -> None:  # type: ignore[no-untyped-def]
    """Import the same file twice and print both timings."""
    from goudenpoort.services.catalogue_import import import_records, read_file

    data = csv_file(kind, rows, seed=7, bad_every=bad_every)
    with app.app_context():
        with session_scope() as session:
            owner_id = owner(session, "training_centre" if kind == "routes" else "employer")
        for attempt in ("first import", "re-import (upsert, unchanged)"):
            started = time.perf_counter()
            with session_scope() as session:
                records = read_file(data, "csv", kind)  # type: ignore[arg-type]
                report = import_records(session, kind=kind, owner_id=owner_id,  # type: ignore
                                        records=records)
            elapsed = time.perf_counter() - started
            print(f"  {kind:9} {attempt:31} {rows:>6} rows {len(data) / 1e6:5.1f} MB "
                  f"{elapsed:6.2f} s  created {report.created} updated {report.updated} "
                  f"unchanged {report.unchanged} rejected {report.failed}")


def main() -> None:
    """Parse arguments, prepare the database and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--bad-every", type=int, default=1000,
                        help="every N-th row has an unknown skill URI (0: none)")
    parser.add_argument("--generate-vacancies", type=int, default=0)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="gp-bench-")
    url = args.database_url or f"sqlite:///{tmp}/bench.db"
    os.environ.setdefault("GOUDENPOORT_INSTANCE_PATH", tmp)
    app = prepare(url)
    dialect = get_db(app).dialect  # type: ignore[arg-type]
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    print(f"catalogue import on {dialect}; Python {platform.python_version()}; {cpu}; "
          f"{os.cpu_count()} cores")
    for kind in ("routes", "vacancies"):
        run(app, kind, args.rows, args.bad_every)
    if args.generate_vacancies:
        from goudenpoort.demo.bulk import generate

        with app.app_context():  # type: ignore[attr-defined]
            session = get_db().sessionmaker()
            started = time.perf_counter()
            generate(session, kind="vacancies", total=args.generate_vacancies, seed=99,
                     on_batch=lambda _n: session.commit())
            session.commit()
            session.close()
            elapsed = time.perf_counter() - started
        print(f"  demo generate: {args.generate_vacancies} vacancies in {elapsed:.1f} s "
              f"({args.generate_vacancies / elapsed:,.0f}/s)")


if __name__ == "__main__":
    main()

"""Benchmark intake profiles: create N through the service layer, then time GET /candidates/{id}.

    GOUDENPOORT_BENCH_DATABASE_URL=postgresql+psycopg://u:p@127.0.0.1:5432/goudenpoort_bench \
        PYTHONPATH=. python bench/profiles.py -n 100000 --reads 2000

The database is migrated to head and the ESCO taxonomy is imported if it is not there yet;
profiles are added to whatever is in it (use a database of its own). Profiles are created
with `services.candidates.create_candidate` (full validation, revision, consent), committed
in batches; reads go through the Flask test client with an adviser's bearer token, so they
include routing, authentication, the audit write and serialisation, but no network.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from goudenpoort import create_app
from goudenpoort.config import Config
from goudenpoort.db import get_db, session_scope


def migrate_and_load(app: Any) -> None:
    """Bring the database to head and load the taxonomy once."""
    from alembic import command

    from goudenpoort.cli import alembic_config
    from goudenpoort.taxonomy.files import open_release
    from goudenpoort.taxonomy.importer import import_release, loaded_release

    cfg = alembic_config()
    with get_db().engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    with session_scope() as session:
        if loaded_release(session) is None:
            print("importing the ESCO taxonomy (once) ...", flush=True)
            import_release(session, open_release(app.config["TAXONOMY_DIR"]),
                           app.config["REGIONS_FILE"])


def profile_data(rng: random.Random, skills: list[str], occupations: list[str],
                 regions: list[str]) -> dict[str, Any]:
    """Return a plausible random profile in the loaded API shape."""
    kind = rng.choice(["starter", "switcher", "newcomer", "experienced"])
    data: dict[str, Any] = {
        "kind": kind,
        "given_name": rng.choice(["Samira", "Jan", "Fatma", "Pieter", "Olena", "Kees", "Ayaan"]),
        "family_name": rng.choice(["Haddad", "de Vries", "Yilmaz", "Jansen", "Bakker"]),
        "email": f"p{rng.randrange(10**9)}@example.nl",
        "birth_year": rng.randint(1960, 2007),
        "region": rng.choice(regions),
        "max_travel_km": rng.choice([10, 25, 40, 60]),
        "education": {"level": rng.choice(["vmbo", "mbo-2", "mbo-3", "mbo-4", "havo",
                                           "hbo-bachelor"]),
                      "field": "techniek", "foreign": kind == "newcomer"},
        "languages": [{"code": "nl", "cefr": rng.choice(["A2", "B1", "B2", "C1"])},
                      {"code": "en", "cefr": "B1"}],
        "experience": [{"occupation": uri, "years": rng.randint(1, 15)}
                       for uri in rng.sample(occupations, rng.randint(0, 2))],
        "skills": [{"uri": uri, "level": rng.randint(1, 4), "source": "adviser"}
                   for uri in rng.sample(skills, rng.randint(3, 8))],
        "interests": {"sectors": ["installatietechniek"],
                      "occupations": rng.sample(occupations, 1)},
        "availability": {"hours_per_week": rng.choice([24, 32, 36, 40]),
                         "from": date(2027, 1, 4) + timedelta(days=rng.randint(0, 200))},
        "consent": {"providers": rng.random() < 0.7, "employers": rng.random() < 0.5},
    }
    if kind == "newcomer":
        data["right_to_work"] = rng.choice(["yes", "pending"])
    return data


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("GOUDENPOORT_BENCH_DATABASE_URL"),
                        help="database URL (default: $GOUDENPOORT_BENCH_DATABASE_URL)")
    parser.add_argument("-n", "--profiles", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500, help="profiles per transaction")
    parser.add_argument("--reads", type=int, default=2000, help="GET requests to time")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if not args.url:
        parser.error("give --url or set GOUDENPOORT_BENCH_DATABASE_URL")

    from goudenpoort.services.candidates import create_candidate
    from goudenpoort.services.organisations import create_organisation
    from goudenpoort.services.tokens import issue_token
    from models import Account, Candidate, Occupation, Region, Skill

    app = create_app(Config, DATABASE_URL=args.url, JSON_LOGS=False)
    rng = random.Random(args.seed)
    with app.app_context():
        migrate_and_load(app)
        with session_scope() as session:
            skills = list(session.scalars(select(Skill.uri).where(Skill.kind == "skill")
                                          .order_by(Skill.uri)))
            occupations = list(session.scalars(select(Occupation.uri).where(
                Occupation.technical.is_(True)).order_by(Occupation.uri)))
            regions = list(session.scalars(select(Region.slug).order_by(Region.slug)))
            desk = create_organisation(session, kind="desk", name=f"Bench desk {time.time()}")
            adviser = Account(email=f"bench-{time.time()}@example.nl", name="Bench adviser",
                              role="adviser", organisation=desk)
            session.add(adviser)
            session.flush()
            token, _ = issue_token(session, account=adviser)
            adviser_id = adviser.id
            before = session.scalar(select(func.count()).select_from(Candidate))

        print(f"creating {args.profiles} profiles on {get_db().dialect} "
              f"({before} already there) ...", flush=True)
        created: list[Any] = []
        started = time.perf_counter()
        done = 0
        while done < args.profiles:
            size = min(args.batch, args.profiles - done)
            with session_scope() as session:
                actor = session.get(Account, adviser_id)
                for _ in range(size):
                    candidate = create_candidate(
                        session, actor=actor, data=profile_data(rng, skills, occupations,
                                                                regions))
                    created.append(candidate.id)
            done += size
            if done % (args.batch * 20) == 0 or done == args.profiles:
                rate = done / (time.perf_counter() - started)
                print(f"  {done:>7} profiles, {rate:7.1f}/s", flush=True)
        elapsed = time.perf_counter() - started

        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        sample = rng.sample(created, min(args.reads, len(created)))
        for candidate_id in sample[:50]:  # warm the pool and caches
            client.get(f"/api/v1/candidates/{candidate_id}", headers=headers)
        latencies = []
        for candidate_id in sample:
            tick = time.perf_counter()
            response = client.get(f"/api/v1/candidates/{candidate_id}", headers=headers)
            latencies.append((time.perf_counter() - tick) * 1000)
            if response.status_code != 200:
                print(f"unexpected {response.status_code}: {response.get_data()[:200]!r}")
                return 1

    print(f"database:        {get_db(app).dialect} ({before + done} profiles in total)")
    print(f"created:         {done} profiles in {elapsed:.1f} s = {done / elapsed:.1f} profiles/s "
          f"(batches of {args.batch}, one process)")
    print(f"GET /candidates/{{id}} x {len(latencies)}: p50 {statistics.median(latencies):.2f} ms, "
          f"p95 {percentile(latencies, 0.95):.2f} ms, p99 {percentile(latencies, 0.99):.2f} ms, "
          f"max {max(latencies):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Build the demo catalogue from the curated files in demo/data: pure, deterministic, no I/O
beyond reading those files. Every skill and occupation is a real ESCO concept (by URI).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
SEED = "gouden-poort-oost-2027"
EMAIL_DOMAIN = "demo.goudenpoort.example"
PREFIX = "demo:"  # external ids of demo organisations, routes and vacancies

MODULE_TITLES = [
    "Veilig werken en basisvaardigheden",
    "Vakmanschap in de werkplaats",
    "Installeren, monteren en afstellen",
    "Storingen zoeken en onderhoud",
    "Meesterproef in de praktijk",
]
START_DATES = ["2027-01-11", "2027-02-01", "2027-04-05", "2027-09-06", "2027-11-01"]
MODE_LABEL = {"bbl": "BBL", "bol": "BOL", "part-time": "deeltijd", "hybrid": "hybride",
              "e-learning": "online"}
FUNDING = {
    "college": "Bekostigd mbo; in BBL betaalt de leerbedrijf-werkgever salaris.",
    "hybrid": "Omscholing met STAP-opvolger of sectorfonds (OTIB/OOM/A+O); "
              "taalsteun Nederlands op de werkvloer mogelijk.",
    "academy": "Volledig betaald door de werkgever; leerarbeidsovereenkomst met baangarantie.",
    "online": "Eigen bijdrage of werkgever; vaak vergoed uit het O&O-fonds.",
}


@cache
def concepts() -> dict[str, Any]:
    """Return the curated ESCO concepts (see scripts/build_demo_concepts.py)."""
    return json.loads((DATA / "concepts.json").read_text(encoding="utf-8"))


@cache
def organisations() -> dict[str, Any]:
    """Return the curated organisations (fictional names, real kinds of firm and school)."""
    return json.loads((DATA / "organisations.json").read_text(encoding="utf-8"))


def nl_label(occupation: dict[str, Any]) -> str:
    """Return the Dutch label of an occupation, capitalised (English if there is none)."""
    label = occupation["label_nl"] or occupation["label_en"]
    return label[:1].upper() + label[1:]


def occupations_of(sectors: list[str]) -> list[dict[str, Any]]:
    """Return the technical occupations of the given sectors, in file order."""
    by_sector = concepts()["sectors"]
    return [occ for sector in sectors for occ in by_sector.get(sector, [])]


def slug_email(name: str) -> str:
    """Return a mailbox name for a person or organisation name."""
    keep = "".join(ch if ch.isalnum() else "." for ch in name.lower())
    return ".".join(part for part in keep.split(".") if part)


@dataclass
class Dataset:
    """The demo catalogue in API shapes, keyed by organisation key."""

    organisations: list[dict[str, Any]] = field(default_factory=list)
    accounts: list[dict[str, Any]] = field(default_factory=list)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    routes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    vacancies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _location(place: dict[str, Any]) -> dict[str, Any]:
    return {"place": place["place"], "region": place["region"], "lat": place["lat"],
            "lon": place["lon"]}


def _modules(rng: random.Random, skills: list[dict[str, Any]], count: int
             ) -> list[dict[str, Any]]:
    """Split the taught skills over `count` modules, in order."""
    modules = []
    size = max(1, -(-len(skills) // count))
    for index in range(count):
        part = skills[index * size : (index + 1) * size]
        if not part:
            break
        modules.append({"title": MODULE_TITLES[index % len(MODULE_TITLES)],
                        "hours": rng.choice([40, 60, 80, 120, 160]),
                        "skills": [{"uri": s["uri"]} for s in part]})
    return modules


def _route(rng: random.Random, centre: dict[str, Any], occupation: dict[str, Any], *,
           style: str, number: int, partners: list[str]) -> dict[str, Any]:
    """Return one route of a training centre for one target occupation."""
    essential = occupation["essential"]
    level = occupation["level"]
    if style == "college":
        mode = "bbl" if number % 2 == 0 else "bol"
        route_level = level if level.startswith("mbo") else "associate-degree"
        title = f"{nl_label(occupation)} ({route_level}, {MODE_LABEL[mode]})"
        taught = essential[: rng.randint(8, 12)]
        target = {"mbo-2": 2, "mbo-3": 3, "mbo-4": 3}.get(route_level, 4)
        weeks, hours, modules = {"mbo-2": 52, "mbo-3": 104, "mbo-4": 156}.get(route_level, 104), \
            (32 if mode == "bbl" else 26), 4
        prerequisites: dict[str, Any] = {
            "min_education": "vmbo" if route_level in ("mbo-2", "mbo-3") else "mbo-2",
            "min_dutch_cefr": "A2" if route_level == "mbo-2" else "B1",
            "skills": [],
        }
    elif style == "hybrid":
        mode = "hybrid" if number % 2 == 0 else "part-time"
        route_level = "short-course"
        title = f"Omscholing {nl_label(occupation).lower()} – modulair ({MODE_LABEL[mode]})"
        taught = essential[: rng.randint(5, 8)]
        target = 2
        weeks, hours, modules = rng.choice([12, 16, 20, 26]), rng.choice([16, 20, 24]), \
            rng.randint(3, 5)
        prerequisites = {"min_education": None, "min_dutch_cefr": "A2", "skills": []}
    elif style == "academy":
        mode = "bbl"
        route_level = "in-company"
        title = f"{centre['name']}: {nl_label(occupation).lower()} in {rng.choice([9, 12, 18])} " \
                "maanden"
        taught = essential[: rng.randint(6, 10)]
        target = 3
        weeks, hours, modules = rng.choice([39, 52, 78]), 38, 4
        prerequisites = {"min_education": None, "min_dutch_cefr": "A2", "skills": []}
    else:  # online
        mode = "e-learning"
        route_level = "short-course"
        title = f"{nl_label(occupation)}: theorie online"
        taught = essential[:4]
        target = 2
        weeks, hours, modules = 8, 6, 2
        prerequisites = {"min_education": None, "min_dutch_cefr": "B1", "skills": []}
    if route_level in ("mbo-4", "associate-degree") and len(essential) > 13:
        # Advanced routes expect some groundwork, taken from the end of the essentials.
        prerequisites["skills"] = [{"uri": uri, "level": 2} for uri in essential[-2:]]
    skills = [{"uri": uri, "level": min(4, target + (1 if i < 2 and target < 4 else 0))}
              for i, uri in enumerate(taught)]
    starts = sorted(rng.sample(START_DATES, 2 if style != "online" else 5))
    return {
        "external_id": f"{PREFIX}{centre['key']}:{number:02d}",
        "title": title,
        "description": (
            f"{title} bij {centre['name']} in {centre['place']['place']}. Leidt op tot "
            f"{(occupation['label_nl'] or occupation['label_en'])}."
        ),
        "level": route_level,
        "mode": mode,
        **_location(centre["place"]),
        "duration_weeks": weeks,
        "hours_per_week": hours,
        "start_dates": starts,
        "seats": rng.choice([8, 12, 16, 20, 24]),
        "cost_eur": 0 if style in ("college", "academy") else rng.choice([950, 1450, 2400, 3200]),
        "funding_notes": FUNDING[style],
        "prerequisites": prerequisites,
        "skills": skills,
        "modules": _modules(rng, skills, modules),
        "occupations": [{"uri": occupation["uri"]}],
        "job_guarantee_partners": [{"id": partner} for partner in partners],
    }


def _vacancy(rng: random.Random, employer: dict[str, Any], occupation: dict[str, Any],
             number: int) -> dict[str, Any]:
    """Return one vacancy of an employer for one occupation."""
    essential = occupation["essential"]
    optional = occupation["optional"]
    n_essential = min(len(essential), rng.randint(5, 8))
    chosen = rng.sample(essential, n_essential)
    extra = rng.sample(optional, min(len(optional), rng.randint(1, 3)))
    place = employer["place"]
    if employer.get("second_place") and number % 3 == 2:
        place = employer["second_place"]
    learning_job = number % 4 == 3
    title = nl_label(occupation) + (" (leerbaan BBL)" if learning_job else "")
    job = (occupation["label_nl"] or occupation["label_en"]).lower()
    typical = occupation["level"] if occupation["level"].startswith("mbo") else "mbo-4"
    return {
        "external_id": f"{PREFIX}{employer['key']}:{number:02d}",
        "title": title,
        "description": f"{employer['name']} zoekt een {job} in {place['place']}."
        + (" Je leert het vak in de praktijk." if learning_job else ""),
        "occupation": {"uri": occupation["uri"]},
        "skills": [{"uri": uri, "level": 1 if learning_job else rng.choice([2, 2, 3]),
                    "essential": True} for uri in chosen]
        + [{"uri": uri, "level": 2, "essential": False} for uri in extra],
        "min_dutch_cefr": rng.choice([None, "A2", "A2", "B1", "B1", "B2"]),
        "min_education": None if learning_job else rng.choice([None, "mbo-2", typical]),
        "hours_per_week": rng.choice([24, 32, 36, 38, 40]),
        "start_date": rng.choice(START_DATES),
        **_location(place),
        "positions": rng.choice([1, 1, 1, 2, 2, 3, 5]),
        "guarantee": learning_job or rng.random() < 0.25,
        "status": "closed" if rng.random() < 0.08 else "open",
    }


def build(ids: dict[str, str] | None = None) -> Dataset:
    """Build the demo dataset; `ids` maps organisation keys to ids (for guarantee partners)."""
    ids = ids or {}
    orgs = organisations()
    data = Dataset()
    operator = orgs["operator"]
    data.organisations.append({"key": operator["key"], "kind": "operator",
                               "name": operator["name"], "region": operator["place"]["region"]})
    for account in operator["accounts"]:
        data.accounts.append({**account, "role": "admin", "organisation": operator["key"]})
    for desk in orgs["desks"]:
        data.organisations.append({"key": desk["key"], "kind": "desk", "name": desk["name"],
                                   "region": desk["place"]["region"]})
        for adviser in desk["advisers"]:
            data.accounts.append({"name": adviser, "role": "adviser", "organisation": desk["key"],
                                  "email": f"{slug_email(adviser)}@{EMAIL_DOMAIN}"})
    for employer in orgs["employers"]:
        data.organisations.append({"key": employer["key"], "kind": "employer",
                                   "name": employer["name"],
                                   "region": employer["place"]["region"]})
        data.accounts.append({"name": f"HR {employer['name']}", "role": "employer",
                              "organisation": employer["key"],
                              "email": f"hr.{employer['key'].removeprefix('emp-')}@{EMAIL_DOMAIN}"})
    for centre in orgs["training_centres"]:
        data.organisations.append({"key": centre["key"], "kind": "training_centre",
                                   "name": centre["name"], "region": centre["place"]["region"]})
        data.accounts.append({"name": f"Opleidingen {centre['name']}", "role": "provider",
                              "organisation": centre["key"],
                              "email": f"opleidingen.{centre['key'].removeprefix('tc-')}"
                                       f"@{EMAIL_DOMAIN}"})

    # Vacancies and profiles: five vacancies per employer, on the occupations of its sectors.
    hires: dict[str, list[dict[str, Any]]] = {}
    for employer in orgs["employers"]:
        rng = random.Random(f"{SEED}:{employer['key']}")
        pool = occupations_of(employer["sectors"])
        picks = rng.sample(pool, min(len(pool), 4))
        hires[employer["key"]] = picks
        data.vacancies[employer["key"]] = [
            _vacancy(rng, employer, picks[n % len(picks)], n) for n in range(5)]
        extra = [occ for occ in pool if occ not in picks][:2]  # hired for without a vacancy
        places = [employer["place"]] + ([employer["second_place"]]
                                        if employer.get("second_place") else [])
        data.profiles[employer["key"]] = {
            "description": f"{employer['name']}: {', '.join(employer['sectors'])} "
                           f"in {employer['place']['place']}.",
            "website": f"https://{employer['key'].removeprefix('emp-')}.example",
            "size": employer["size"],
            "sectors": employer["sectors"],
            "places": [_location(place) for place in places],
            "occupations": [{"uri": occ["uri"]} for occ in picks + extra],
        }

    # Routes: colleges and hybrid centres per sector occupation; academies for their owner.
    employers_by_sector: dict[str, list[dict[str, Any]]] = {}
    for employer in orgs["employers"]:
        for sector in employer["sectors"]:
            employers_by_sector.setdefault(sector, []).append(employer)
    for centre in orgs["training_centres"]:
        rng = random.Random(f"{SEED}:{centre['key']}")
        style = centre["style"]
        count = {"college": 5, "hybrid": 5, "academy": 3, "online": 3}[style]
        pool = occupations_of(centre["sectors"])
        if style == "academy":
            owner_hires = hires.get(centre["owner"], [])
            pool = owner_hires + [occ for occ in pool if occ not in owner_hires]
            chosen = pool[:count]
        else:
            # One occupation per sector in turn, so every centre covers all its sectors.
            per_sector = [rng.sample(occupations_of([s]), len(occupations_of([s])))
                          for s in centre["sectors"]]
            chosen = []
            while len(chosen) < count and any(per_sector):
                for options in per_sector:
                    if options and len(chosen) < count:
                        chosen.append(options.pop(0))
        routes = []
        for number, occupation in enumerate(chosen):
            if style == "academy":
                partners = [ids[centre["owner"]]] if centre["owner"] in ids else []
            else:
                sector = next(s for s in centre["sectors"] if occupation in occupations_of([s]))
                nearby = [e for e in employers_by_sector.get(sector, [])
                          if e["place"]["region"] == centre["place"]["region"]]
                partners = [ids[e["key"]] for e in nearby[:2] if e["key"] in ids] \
                    if style == "hybrid" else []
            routes.append(_route(rng, centre, occupation, style=style, number=number,
                                 partners=partners))
        data.routes[centre["key"]] = routes
    return data

"""Demo candidates as plain dicts in the API.md intake-profile shape (deterministic).

At least 60 people of every kind: school leavers (starters), career switchers from logistics,
retail, hospitality and care, newcomers speaking Arabic, Tigrinya, Dari or Ukrainian with
Dutch from A2 to B2, and experienced technicians. Skills are ESCO URIs with a level and a
source; a switcher's experience is ESCO occupations of the trade they come from.

`goudenpoort.demo.load.load_demo` creates them through the intake service as their desk's
adviser (`desk` names the desk; `email` is the natural key, so re-runs change nothing).
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from goudenpoort.demo import dataset

SEED = "gouden-poort-kandidaten-2027"
EMAIL_DOMAIN = f"kandidaat.{dataset.EMAIL_DOMAIN}"
DESKS = {"zwolle": "desk-zwolle", "twente": "desk-enschede", "midden-gelderland": "desk-arnhem"}
DESK_REGIONS = {
    "desk-zwolle": ["zwolle", "veluwe-stedendriehoek"],
    "desk-enschede": ["twente", "achterhoek"],
    "desk-arnhem": ["midden-gelderland", "rijk-van-nijmegen", "rivierenland", "foodvalley"],
}
GIVEN = ["Daan", "Sem", "Lotte", "Emma", "Mila", "Noah", "Levi", "Julia", "Bram", "Fleur",
         "Thijs", "Sara", "Jesse", "Iris", "Ruben", "Nina", "Lars", "Anna", "Milan", "Eva"]
FAMILY = ["de Jong", "Jansen", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters",
          "Hendriks", "Dekker", "Brouwer", "Kok", "Wolters", "Nijhuis", "Oude Elferink"]
NEWCOMERS = {
    "ar": (["Ahmad", "Rania", "Omar", "Lina", "Yousef", "Samira", "Khaled", "Huda"],
           ["Haddad", "Al-Khatib", "Darwish", "Nasser", "Mansour", "Saleh"]),
    "ti": (["Semhar", "Yonas", "Merhawi", "Helen", "Filmon", "Selam", "Tesfay", "Luwam"],
           ["Tesfamariam", "Gebremedhin", "Kidane", "Habte", "Weldu", "Berhane"]),
    # Dari is ISO 639-3 `prs`; ISO 639-1 (what profiles use) only has Persian, `fa`.
    "fa": (["Farid", "Mariam", "Ahmad Shah", "Zahra", "Nasir", "Fereshta", "Jawad", "Laila"],
            ["Rahimi", "Ahmadzai", "Karimi", "Hashimi", "Noori", "Sultani"]),
    "uk": (["Oleksandr", "Iryna", "Dmytro", "Olena", "Andriy", "Kateryna", "Serhiy", "Yulia"],
           ["Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Melnyk", "Kravchenko"]),
}
# A newcomer's education abroad, on the Dutch scale after credential evaluation (Nuffic/IDW).
FOREIGN_EDUCATION = ["basisonderwijs", "vmbo", "mbo-2", "mbo-3", "mbo-4", "hbo-bachelor"]
ORIGIN_FIELD = {"logistiek": "logistiek", "retail": "detailhandel", "horeca": "horeca",
                "zorg": "zorg en welzijn"}


def _skills(rng: random.Random, occupation: dict[str, Any], count: int, *,
            levels: tuple[int, int], source: str) -> list[dict[str, Any]]:
    """Return `count` of an occupation's essential skills with levels in a range."""
    chosen = rng.sample(occupation["essential"], min(count, len(occupation["essential"])))
    return [{"uri": uri, "level": rng.randint(*levels), "source": source} for uri in chosen]


def _person(rng: random.Random, n: int, kind: str, given: str, family: str, region: str
            ) -> dict[str, Any]:
    """Return the fields every profile has."""
    desk = next(d for d, regions in DESK_REGIONS.items() if region in regions)
    email_name = dataset.slug_email(f"{given} {family}")
    return {
        "kind": kind,
        "given_name": given,
        "family_name": family,
        "email": f"{email_name}.{n:03d}@{EMAIL_DOMAIN}",
        "phone": f"+31 6 {20000000 + n * 7919 % 79999999:08d}",
        "region": region,
        "desk": desk,
        "max_travel_km": rng.choice([15, 25, 30, 40, 60]),
        "availability": {"hours_per_week": rng.choice([24, 32, 36, 40]),
                         "from": date.fromisoformat(rng.choice(dataset.START_DATES))},
        "consent": {"providers": rng.random() < 0.85, "employers": rng.random() < 0.6},
    }


def candidates() -> list[dict[str, Any]]:
    """Return the demo candidates (72: 16 starters, 24 switchers, 24 newcomers, 8 experienced)."""
    rng = random.Random(SEED)
    sectors = dataset.concepts()["sectors"]
    origins = dataset.concepts()["origins"]
    technical = [occ for items in sectors.values() for occ in items]
    regions = [r for regions in DESK_REGIONS.values() for r in regions]
    people: list[dict[str, Any]] = []

    def interests(sector: str) -> dict[str, Any]:
        targets = rng.sample(sectors[sector], 2)
        return {"sectors": [sector], "occupations": [t["uri"] for t in targets]}

    for n in range(16):  # school leavers: vmbo/mbo-2, a little from internships, Dutch native
        region = regions[n % len(regions)]
        person = _person(rng, len(people), "starter", rng.choice(GIVEN), rng.choice(FAMILY),
                         region)
        sector = list(sectors)[n % len(sectors)]
        person.update({
            "birth_year": rng.randint(2007, 2009),
            "education": {"level": rng.choice(["vmbo", "vmbo", "mbo-2"]),
                          "field": rng.choice(["techniek", "bouwen, wonen en interieur",
                                               "produceren, installeren en energie"]),
                          "foreign": False},
            "languages": [{"code": "nl", "cefr": rng.choice(["B2", "C1", "C2"])}],
            "experience": [],
            "skills": _skills(rng, rng.choice(sectors[sector]), 3, levels=(1, 2),
                              source="self"),
            "interests": interests(sector),
        })
        people.append(person)
    for n in range(24):  # switchers: 6 each from logistics, retail, hospitality, care
        origin = list(origins)[n % len(origins)]
        region = regions[(n * 3) % len(regions)]
        person = _person(rng, len(people), "switcher", rng.choice(GIVEN), rng.choice(FAMILY),
                         region)
        past = rng.sample(origins[origin], min(2, len(origins[origin])))
        sector = list(sectors)[(n * 5) % len(sectors)]
        person.update({
            "birth_year": rng.randint(1972, 1999),
            "education": {"level": rng.choice(["vmbo", "mbo-2", "mbo-3", "havo"]),
                          "field": ORIGIN_FIELD[origin], "foreign": False},
            "languages": [{"code": "nl", "cefr": rng.choice(["B2", "C1", "C2"])}]
            + ([{"code": "en", "cefr": "B1"}] if rng.random() < 0.5 else []),
            "experience": [{"occupation": occ["uri"], "years": rng.randint(2, 15)}
                           for occ in past],
            # Transferable skills come from the work they did; the adviser assessed them.
            "skills": [s for occ in past for s in _skills(rng, occ, 3, levels=(2, 4),
                                                          source="adviser")],
            "interests": interests(sector),
        })
        people.append(person)
    languages = list(NEWCOMERS)
    dutch_levels = ["A2", "A2", "B1", "B1", "B2", "B2"]
    for n in range(24):  # newcomers: 6 per language, Dutch A2-B2, mixed technical background
        code = languages[n % len(languages)]
        given, family = NEWCOMERS[code]
        region = regions[(n * 5 + 1) % len(regions)]
        person = _person(rng, len(people), "newcomer", given[n // 4 % len(given)],
                         rng.choice(family), region)
        background = rng.choice(technical)
        has_trade = rng.random() < 0.6
        sector = next(s for s, items in sectors.items() if background in items)
        person.update({
            "birth_year": rng.randint(1975, 2003),
            "education": {"level": rng.choice(FOREIGN_EDUCATION),
                          "field": "techniek" if has_trade else "overig", "foreign": True},
            "languages": [{"code": code, "cefr": "C2"},
                          {"code": "nl", "cefr": dutch_levels[(n // 4) % len(dutch_levels)]}]
            + ([{"code": "en", "cefr": rng.choice(["A2", "B1", "B2"])}]
               if rng.random() < 0.5 else []),
            "experience": [{"occupation": background["uri"], "years": rng.randint(2, 12)}]
            if has_trade else [],
            "skills": _skills(rng, background, 5 if has_trade else 2,
                              levels=(2, 4) if has_trade else (1, 2),
                              source=rng.choice(["adviser", "certified"]) if has_trade
                              else "self"),
            "interests": interests(sector),
        })
        people.append(person)
    for n in range(8):  # experienced technicians looking for a next step
        region = regions[(n * 2) % len(regions)]
        person = _person(rng, len(people), "experienced", rng.choice(GIVEN), rng.choice(FAMILY),
                         region)
        occupation = rng.choice(technical)
        sector = next(s for s, items in sectors.items() if occupation in items)
        person.update({
            "birth_year": rng.randint(1965, 1990),
            "education": {"level": occupation["level"] if occupation["level"].startswith("mbo")
                          else "mbo-4", "field": "techniek", "foreign": False},
            "languages": [{"code": "nl", "cefr": "C2"}, {"code": "en", "cefr": "B1"}],
            "experience": [{"occupation": occupation["uri"], "years": rng.randint(8, 25)}],
            "skills": _skills(rng, occupation, 8, levels=(3, 4), source="certified"),
            "interests": interests(sector),
        })
        people.append(person)
    return people

"""Pick the ESCO concepts of the demo dataset from data/esco and write demo/data/concepts.json.

Technical occupations per sector (and the logistics, retail, hospitality and care occupations
career switchers come from), each with its essential and optional skills, all by URI. Run
again after a taxonomy upgrade: `python scripts/build_demo_concepts.py`.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ESCO = ROOT / "data" / "esco"
OUT = ROOT / "goudenpoort" / "demo" / "data" / "concepts.json"

# Sector slug -> (ESCO preferred English label, typical Dutch education level of the job).
TECHNICAL = {
    "installatietechniek": [
        ("electrician", "mbo-3"), ("building electrician", "mbo-3"),
        ("domestic electrician", "mbo-2"), ("plumber", "mbo-2"), ("heating technician", "mbo-3"),
        ("heating and ventilation service engineer", "mbo-4"),
        ("refrigeration air condition and heat pump technician", "mbo-4"),
        ("solar energy technician", "mbo-2"), ("gas service technician", "mbo-3"),
        ("smart home installer", "mbo-3"),
    ],
    "metaal": [
        ("welder", "mbo-2"), ("pipe welder", "mbo-3"), ("sheet metal worker", "mbo-2"),
        ("computer numerical control machine operator", "mbo-3"), ("fitter and turner", "mbo-3"),
        ("metalworking lathe operator", "mbo-2"), ("milling machine operator", "mbo-2"),
        ("structural ironworker", "mbo-2"), ("tool and die maker", "mbo-4"),
    ],
    "mechatronica": [
        ("mechatronics engineering technician", "mbo-4"),
        ("industrial machinery mechanic", "mbo-3"),
        ("automation engineering technician", "mbo-4"),
        ("robotics engineering technician", "mbo-4"), ("fluid power technician", "mbo-3"),
        ("electrical mechanic", "mbo-3"), ("commissioning technician", "mbo-4"),
        ("industrial electrician", "mbo-3"),
    ],
    "procesindustrie": [
        ("process engineering technician", "mbo-4"),
        ("chemical plant control room operator", "mbo-4"),
        ("production engineering technician", "mbo-4"),
        ("chemical engineering technician", "mbo-4"), ("quality engineering technician", "mbo-4"),
        ("wastewater treatment operator", "mbo-3"), ("water plant technician", "mbo-3"),
        ("biogas technician", "mbo-3"),
    ],
    "energie": [
        ("electricity distribution technician", "mbo-3"), ("cable jointer", "mbo-2"),
        ("overhead line worker", "mbo-2"), ("electric meter technician", "mbo-2"),
        ("electrical transmission system operator", "mbo-4"),
        ("onshore wind farm technician", "mbo-4"), ("electrical engineering technician", "mbo-4"),
        ("substation engineer", "hbo"),
    ],
    "bouw": [
        ("carpenter", "mbo-2"), ("bricklayer", "mbo-2"), ("construction scaffolder", "mbo-2"),
        ("roofer", "mbo-2"), ("insulation worker", "mbo-2"), ("concrete finisher", "mbo-2"),
        ("manufactured wooden building assembler", "mbo-3"),
        ("civil engineering technician", "mbo-4"), ("construction general supervisor", "mbo-4"),
        ("drafter", "mbo-4"),
    ],
}
# Where career switchers come from (not technical).
ORIGINS = {
    "logistiek": ["warehouse worker", "forklift operator", "warehouse order picker"],
    "retail": ["shop assistant", "cashier", "sales assistant"],
    "horeca": ["cook", "waiter/waitress", "kitchen porter", "barista"],
    "zorg": ["healthcare assistant", "home care aide"],
}
MAX_ESSENTIAL = 14
MAX_OPTIONAL = 8


def read(name: str) -> list[dict[str, str]]:
    """Read one gzipped CSV of the compact ESCO copy."""
    with gzip.open(ESCO / name, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    """Write the concepts file."""
    occupations = {row["label_en"]: row for row in read("occupations.csv.gz")}
    skills = {row["uri"]: row for row in read("skills.csv.gz") if row["kind"] == "skill"}
    links: dict[str, dict[str, list[str]]] = {}
    for row in read("occupation_skills.csv.gz"):
        if row["skill_uri"] in skills:
            links.setdefault(row["occupation_uri"], {}).setdefault(
                row["relation_type"], []).append(row["skill_uri"])

    def pick(uris: list[str], limit: int) -> list[str]:
        # Skills with a Dutch label first (the demo is shown in Dutch), then by URI: stable.
        ranked = sorted(uris, key=lambda uri: (not skills[uri]["label_nl"], uri))
        return ranked[:limit]

    def occupation(label: str, technical: bool) -> dict[str, object]:
        row = occupations[label]
        if (row["technical"] == "1") != technical:
            raise SystemExit(f"{label}: technical={row['technical']}, expected {technical}")
        own = links.get(row["uri"], {})
        return {
            "uri": row["uri"], "label_en": row["label_en"], "label_nl": row["label_nl"],
            "essential": pick(own.get("essential", []), MAX_ESSENTIAL),
            "optional": pick(own.get("optional", []), MAX_OPTIONAL),
        }

    data: dict[str, object] = {"sectors": {}, "origins": {}, "skills": {}}
    for sector, items in TECHNICAL.items():
        data["sectors"][sector] = [  # type: ignore[index]
            {**occupation(label, True), "level": level} for label, level in items]
    for origin, labels in ORIGINS.items():
        data["origins"][origin] = [occupation(label, False) for label in labels]  # type: ignore
    used = {uri for group in ("sectors", "origins") for items in data[group].values()  # type: ignore
            for occ in items for uri in occ["essential"] + occ["optional"]}
    data["skills"] = {uri: {"label_en": skills[uri]["label_en"],
                            "label_nl": skills[uri]["label_nl"] or None} for uri in sorted(used)}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {sum(len(v) for v in data['sectors'].values())} technical "
          f"occupations, {sum(len(v) for v in data['origins'].values())} origins, "
          f"{len(used)} skills")


if __name__ == "__main__":
    main()

"""Build the compact ESCO copy in data/esco/ from the official CSV files in ../shared/esco.

Run from the repository root:  python scripts/build_taxonomy.py [--source ../shared/esco]

The output is deterministic (sorted rows, gzip without timestamps) so a rebuild from the same
source gives byte-identical files and an empty git diff. It is committed so that the project
runs without ../shared. Only the standard library is used: this runs before any install.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = "1.1.1"
SEP = "|"  # separator of multi-valued cells in our compact files


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    """Yield the rows of an ESCO CSV (plain or gzipped) as dicts."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def split_labels(cell: str, sep: str = "\n") -> list[str]:
    """Split a multi-valued label cell, dropping blanks and duplicates, keeping order."""
    seen: dict[str, None] = {}
    for part in cell.split(sep):
        label = " ".join(part.replace(SEP, "/").split())
        if label:
            seen.setdefault(label, None)
    return list(seen)


def write_gz(path: Path, header: list[str], rows: Iterable[list[str]]) -> int:
    """Write a deterministic gzipped CSV and return its row count."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    data = buffer.getvalue().encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(
        filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9
    ) as handle:
        handle.write(data)
    return count


def build(source: Path, target: Path) -> dict[str, int]:
    """Read the official files in source and write the compact copy to target."""
    target.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}

    # Dutch skill labels exist only in the collection files (see shared/esco/README.md).
    nl_skill: dict[str, tuple[str, list[str]]] = {}
    for row in read_csv(source / "skill_labels_nl_partial.csv"):
        nl_skill[row["conceptUri"]] = (
            row["preferredLabel_nl"].strip(),
            split_labels(row["altLabels_nl"], " | "),
        )

    skill_rows = []
    for row in read_csv(source / "skills_en.csv.gz"):
        uri = row["conceptUri"]
        label_nl, alt_nl = nl_skill.get(uri, ("", []))
        alt_en = [a for a in split_labels(row["altLabels"]) if a != row["preferredLabel"].strip()]
        skill_rows.append([
            uri, "skill", row["skillType"], row["reuseLevel"], "",
            row["preferredLabel"].strip(), SEP.join(alt_en),
            SEP.join(split_labels(row["hiddenLabels"])),
            label_nl, SEP.join(a for a in alt_nl if a != label_nl),
        ])
    nl_group = {r["conceptUri"]: r for r in read_csv(source / "skillGroups_nl.csv")}
    for row in read_csv(source / "skillGroups_en.csv"):
        uri = row["conceptUri"]
        nl = nl_group.get(uri, {})
        label_nl = (nl.get("preferredLabel") or "").strip()
        skill_rows.append([
            uri, "group", "", "", row["code"],
            row["preferredLabel"].strip(),
            SEP.join(a for a in split_labels(row["altLabels"]) if a != row["preferredLabel"]),
            "",
            label_nl,
            SEP.join(a for a in split_labels(nl.get("altLabels", "")) if a != label_nl),
        ])
    # The four roots of the skill pillar (knowledge, skills, attitudes and values, language)
    # appear only in the hierarchy file; broader relations point at them.
    known = {row[0] for row in skill_rows}
    nl_roots = {r["Level 0 URI"]: r["Level 0 preferred term"]
                for r in read_csv(source / "skillsHierarchy_nl.csv")}
    for row in read_csv(source / "skillsHierarchy_en.csv"):  # ragged rows: DictReader pads
        uri = row["Level 0 URI"]
        if uri and uri not in known:
            known.add(uri)
            skill_rows.append([uri, "group", "", "", row.get("Level 0 code") or "",
                               row["Level 0 preferred term"].strip(), "", "",
                               nl_roots.get(uri, "").strip(), ""])
    skill_rows.sort()
    counts["skills.csv.gz"] = write_gz(
        target / "skills.csv.gz",
        ["uri", "kind", "skill_type", "reuse_level", "code", "label_en", "alt_en", "hidden_en",
         "label_nl", "alt_nl"],
        skill_rows,
    )

    technical = {r["conceptUri"] for r in read_csv(source / "technical_occupations.csv")}
    nl_occ = {r["conceptUri"]: r for r in read_csv(source / "occupations_nl.csv")}
    occ_rows = []
    for row in read_csv(source / "occupations_en.csv"):
        uri = row["conceptUri"]
        nl = nl_occ[uri]
        label_en = row["preferredLabel"].strip()
        label_nl = nl["preferredLabel"].strip()
        occ_rows.append([
            uri, row["code"], row["iscoGroup"], "1" if uri in technical else "0",
            label_en, SEP.join(a for a in split_labels(row["altLabels"]) if a != label_en),
            SEP.join(split_labels(row["hiddenLabels"])),
            label_nl, SEP.join(a for a in split_labels(nl["altLabels"]) if a != label_nl),
        ])
    occ_rows.sort()
    counts["occupations.csv.gz"] = write_gz(
        target / "occupations.csv.gz",
        ["uri", "code", "isco_group", "technical", "label_en", "alt_en", "hidden_en",
         "label_nl", "alt_nl"],
        occ_rows,
    )

    nl_isco = {r["conceptUri"]: r for r in read_csv(source / "ISCOGroups_nl.csv")}
    isco_rows = sorted(
        [r["conceptUri"], r["code"], r["preferredLabel"].strip(),
         nl_isco[r["conceptUri"]]["preferredLabel"].strip()]
        for r in read_csv(source / "ISCOGroups_en.csv")
    )
    counts["isco_groups.csv.gz"] = write_gz(
        target / "isco_groups.csv.gz", ["uri", "code", "label_en", "label_nl"], isco_rows
    )

    # A handful of upstream broader relations name a concept that is in no file: drop them.
    counts["skill_broader.csv.gz"] = write_gz(
        target / "skill_broader.csv.gz",
        ["uri", "broader_uri"],
        sorted({(r["conceptUri"], r["broaderUri"])
                for r in read_csv(source / "broaderRelationsSkillPillar.csv")
                if r["conceptUri"] in known and r["broaderUri"] in known}),
    )
    counts["occupation_broader.csv.gz"] = write_gz(
        target / "occupation_broader.csv.gz",
        ["uri", "broader_uri"],
        sorted({(r["conceptUri"], r["broaderUri"])
                for r in read_csv(source / "broaderRelationsOccPillar.csv")}),
    )
    counts["skill_relations.csv.gz"] = write_gz(
        target / "skill_relations.csv.gz",
        ["uri", "related_uri", "relation_type"],
        sorted({(r["originalSkillUri"], r["relatedSkillUri"], r["relationType"])
                for r in read_csv(source / "skillSkillRelations.csv")}),
    )
    known_occ = {row[0] for row in occ_rows}
    # 67 rows point at an occupation missing from occupations_en.csv (an upstream orphan): drop.
    counts["occupation_skills.csv.gz"] = write_gz(
        target / "occupation_skills.csv.gz",
        ["occupation_uri", "skill_uri", "relation_type"],
        sorted({(r["occupationUri"], r["skillUri"], r["relationType"])
                for r in read_csv(source / "occupationSkillRelations.csv.gz")
                if r["occupationUri"] in known_occ}),
    )

    manifest = {
        "name": "ESCO",
        "version": VERSION,
        "source": "ESCO v1.1.1 official CSV (en, nl); see LICENCE.md",
        "files": {
            name: {
                "rows": rows,
                "sha256": hashlib.sha256((target / name).read_bytes()).hexdigest(),
            }
            for name, rows in sorted(counts.items())
        },
    }
    (target / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return counts


def main() -> None:
    """Parse arguments and build."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "esco")
    parser.add_argument("--target", type=Path, default=ROOT / "data" / "esco")
    args = parser.parse_args()
    for name, rows in build(args.source, args.target).items():
        print(f"{name:28} {rows:>8} rows")


if __name__ == "__main__":
    main()

"""Merge and check the project's Dutch skill labels into data/labels/skills_nl_project.csv.

Run from the repository root:

    python scripts/build_dutch_labels.py --parts DIR   # merge DIR/part-*.csv, write, report
    python scripts/build_dutch_labels.py               # check the committed file, report

Each part file has the columns `uri,preferred_nl,alt_nl` (alternative labels `|`-separated).
Any unknown URI, duplicate URI, empty preferred label, skill that already has an official
Dutch ESCO label, or text that is not clean UTF-8 is an error: nothing is written. The output
is deterministic (labels tidied, rows sorted by URI) so rebuilding from the same parts gives a
byte-identical file. Afterwards the script prints the coverage of the essential-skill links of
the technical occupations by a Dutch label (ESCO, project, both). Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEP = "|"
PART_COLUMNS = ["uri", "preferred_nl", "alt_nl"]
OUTPUT_COLUMNS = ["uri", "preferred_nl", "alt_nl", "origin"]
# Sequences that betray text decoded with the wrong code page (UTF-8 read as latin-1/cp1252).
MOJIBAKE = ("Ã", "â€", "Â", "\ufffd")


def read_gz(path: Path) -> list[dict[str, str]]:
    """Read one gzipped CSV of the compact ESCO copy."""
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def tidy(label: str) -> str:
    """Normalise a label to NFC with single spaces."""
    return " ".join(unicodedata.normalize("NFC", label).split())


def text_problem(label: str) -> str | None:
    """Say what is wrong with the characters of a label, if anything."""
    for marker in MOJIBAKE:
        if marker in label:
            return f"looks mis-encoded (contains {marker!r})"
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cs"} for ch in label):
        return "contains control characters"
    if SEP in label:
        return f"contains the separator {SEP!r}"
    return None


def read_part(path: Path, errors: list[str], columns: list[str] = PART_COLUMNS
              ) -> list[tuple[int, dict[str, str]]]:
    """Read one part file, recording problems of shape and encoding in errors."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        errors.append(f"{path.name}: UTF-16 byte-order mark; save the file as UTF-8")
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        errors.append(f"{path.name}: not UTF-8 ({exc}); save the file as UTF-8")
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames != columns:
        errors.append(f"{path.name}: columns {reader.fieldnames}, expected {columns}")
        return []
    rows = []
    for row in reader:
        if None in row or any(value is None for value in row.values()):
            errors.append(f"{path.name}:{reader.line_num}: wrong number of fields")
            continue
        rows.append((reader.line_num, row))
    return rows


def merge(parts: list[Path], skills: dict[str, dict[str, str]], columns: list[str] = PART_COLUMNS
          ) -> tuple[list[list[str]], list[str]]:
    """Merge the parts into output rows; return them with the list of errors found."""
    errors: list[str] = []
    merged: dict[str, list[str]] = {}
    where: dict[str, str] = {}
    for path in parts:
        for line, row in read_part(path, errors, columns):
            at = f"{path.name}:{line}"
            uri = row["uri"].strip()
            preferred = tidy(row["preferred_nl"])
            alts = [tidy(a) for a in row["alt_nl"].split(SEP)]
            skill = skills.get(uri)
            if skill is None or skill["kind"] != "skill":
                errors.append(f"{at}: unknown skill URI {uri!r}")
                continue
            if skill["label_nl"]:
                errors.append(f"{at}: {uri} already has the ESCO Dutch label "
                              f"{skill['label_nl']!r}")
                continue
            if uri in merged:
                errors.append(f"{at}: duplicate URI {uri} (first in {where[uri]})")
                continue
            if not preferred:
                errors.append(f"{at}: empty preferred label for {uri}")
                continue
            if row.get("origin", "project") != "project":
                errors.append(f"{at}: origin {row['origin']!r}, expected 'project'")
            for label in [preferred, *alts]:
                problem = text_problem(label)
                if problem:
                    errors.append(f"{at}: label {label!r} {problem}")
            # Keep alternatives in the translator's order, without blanks or repeats.
            seen = {preferred.casefold()}
            kept = []
            for alt in alts:
                if alt and alt.casefold() not in seen:
                    seen.add(alt.casefold())
                    kept.append(alt)
            merged[uri] = [uri, preferred, SEP.join(kept), "project"]
            where[uri] = at
    return [merged[uri] for uri in sorted(merged)], errors


def render(rows: list[list[str]]) -> bytes:
    """Return the merged file's bytes: UTF-8, LF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write(rows: list[list[str]], target: Path) -> None:
    """Write the merged file atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    temporary.write_bytes(render(rows))
    temporary.replace(target)


def coverage(esco: Path, project: set[str], skills: dict[str, dict[str, str]]) -> None:
    """Print the share of technical occupations' essential-skill links with a Dutch label."""
    technical = {r["uri"] for r in read_gz(esco / "occupations.csv.gz") if r["technical"] == "1"}
    links = [r["skill_uri"] for r in read_gz(esco / "occupation_skills.csv.gz")
             if r["occupation_uri"] in technical and r["relation_type"] == "essential"]
    official = {uri for uri, row in skills.items() if row["label_nl"]}
    counts = Counter(
        "esco" if uri in official else "project" if uri in project else "none" for uri in links
    )
    total = len(links)
    distinct = set(links)
    print(f"technical occupations: {len(technical)}; essential-skill links: {total} "
          f"({len(distinct)} distinct skills)")
    for name in ("esco", "project", "none"):
        print(f"  Dutch label from {name:8} {counts[name]:>6} links  {counts[name] / total:6.1%}")
    covered = counts["esco"] + counts["project"]
    print(f"  covered (ESCO + project)  {covered:>6} links  {covered / total:6.1%}  "
          f"({len(distinct & (official | project))} of {len(distinct)} distinct skills)")


def main() -> None:
    """Parse arguments, merge or check, and print the coverage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=Path, help="directory of part-*.csv files to merge")
    parser.add_argument("--esco", type=Path, default=ROOT / "data" / "esco")
    parser.add_argument("--target", type=Path,
                        default=ROOT / "data" / "labels" / "skills_nl_project.csv")
    args = parser.parse_args()
    skills = {r["uri"]: r for r in read_gz(args.esco / "skills.csv.gz")}
    if args.parts:
        parts = sorted(args.parts.glob("part-*.csv"))
        if not parts:
            raise SystemExit(f"no part-*.csv in {args.parts}")
        rows, errors = merge(parts, skills)
        if errors:
            print(f"{len(errors)} problem(s); nothing written:", file=sys.stderr)
            for error in errors:
                print(f"  {error}", file=sys.stderr)
            raise SystemExit(1)
        write(rows, args.target)
        labels = sum(1 + len([a for a in row[2].split(SEP) if a]) for row in rows)
        print(f"wrote {args.target}: {len(rows)} skills, {labels} labels "
              f"from {len(parts)} part file(s)")
    else:
        # Run the part checks over the committed file so that a hand edit cannot slip through.
        rows, errors = merge([args.target], skills, OUTPUT_COLUMNS)
        if errors or args.target.read_bytes() != render(rows):
            for error in errors:
                print(f"  {error}", file=sys.stderr)
            raise SystemExit(f"{args.target} does not pass the checks or is not in canonical "
                             "form; rebuild it with --parts")
        print(f"{args.target.name}: {len(rows)} skills, checks passed")
    coverage(args.esco, {row[0] for row in rows}, skills)


if __name__ == "__main__":
    main()

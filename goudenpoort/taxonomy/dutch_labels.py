"""The Dutch skill-label layer: official ESCO labels first, the project's own labels after.

Three loaders own rows of `skill_labels` (column `source`), and each syncs only its own:

- `release`: the compact ESCO copy in data/esco (origin esco), by `flask taxonomy import`;
- `import`:  an official ESCO `skills_nl.csv`, by `flask taxonomy import-labels` (origin esco);
- `project`: data/labels/skills_nl_project.csv, our reviewed labels (origin project).

Occupations are complete in Dutch in ESCO; data/labels/occupations_nl_project.csv only adds a
few everyday job titles as alternative labels (origin project in `occupation_labels`).

Official beats project: where a skill has an official Dutch preferred label, that is its
`label_nl`, the project's preferred label is kept only as an alternative, and project labels
that repeat an official one are dropped. An imported official label beats the release's.
Everything here validates first and writes after, so bad input changes nothing.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from goudenpoort.errors import DataFileError
from goudenpoort.taxonomy.sync import SyncResult, TableSpec, sync_table
from models import Occupation, OccupationLabel, Skill, SkillLabel

# A skill's Dutch labels: (kind, label) pairs, preferred first, in file order.
Labels = dict[str, list[tuple[str, str]]]

PROJECT_COLUMNS = ["uri", "preferred_nl", "alt_nl", "origin"]
OCCUPATION_COLUMNS = ["uri", "alt_nl", "origin"]
OFFICIAL_COLUMNS = [
    "conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
    "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition", "inScheme",
    "description",
]
MAX_PROBLEMS = 50  # listed in a report; the count says how many more there are
MOJIBAKE = ("Ã", "â€", "\ufffd")  # UTF-8 read as latin-1/cp1252 somewhere upstream


@dataclass
class LayerResult:
    """What applying the Dutch layer did, per part."""

    results: list[SyncResult]
    official_skills: int
    project_skills: int


def _tidy(label: str) -> str:
    return " ".join(unicodedata.normalize("NFC", label).split())


def _label_problem(label: str) -> str | None:
    """Say what is wrong with the characters of a label, if anything."""
    for marker in MOJIBAKE:
        if marker in label:
            return f"looks mis-encoded (contains {marker!r}); was the file saved as UTF-8?"
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cs"} for ch in label):
        return "contains control characters"
    return None


def _decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (a BOM is allowed), naming the likely encoding when it is something else."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataFileError(f"{name}: the file is UTF-16 (byte-order mark); save it as UTF-8. "
                            "Nothing was changed.")
    if b"\x00" in data[:4096]:
        raise DataFileError(f"{name}: the file contains NUL bytes (UTF-16 or binary?); "
                            "save it as UTF-8. Nothing was changed.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"{name}: not valid UTF-8 at byte {exc.start} ({data[exc.start:exc.start + 1]!r}); "
            "latin-1 / Windows-1252? Save it as UTF-8. Nothing was changed."
        ) from exc


def _fail(name: str, problems: list[str]) -> DataFileError:
    shown = problems[:MAX_PROBLEMS]
    more = len(problems) - len(shown)
    lines = "\n".join(f"  {p}" for p in shown) + (f"\n  ... and {more} more" if more else "")
    return DataFileError(f"{name}: {len(problems)} problem(s); nothing was changed:\n{lines}",
                         details={"problems": problems})


def _split(cell: str, sep: str) -> list[str]:
    return [label for label in (_tidy(part) for part in cell.split(sep)) if label]


def _pairs(preferred: str, alts: Iterable[str], hidden: Iterable[str] = ()
           ) -> list[tuple[str, str]]:
    """Build (kind, label) pairs without repeats of the same kind and label."""
    pairs = [("preferred", preferred)]
    seen = {("preferred", preferred), ("alt", preferred)}
    for kind, labels in (("alt", alts), ("hidden", hidden)):
        for label in labels:
            if (kind, label) not in seen:
                seen.add((kind, label))
                pairs.append((kind, label))
    return pairs


def read_project_file(path: str | Path) -> Labels:
    """Read data/labels/skills_nl_project.csv; raise DataFileError if it is malformed."""
    path = Path(path)
    try:
        text = _decode(path.read_bytes(), path.name)
    except FileNotFoundError as exc:
        raise DataFileError(f"{path} is missing") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames != PROJECT_COLUMNS:
        raise DataFileError(f"{path.name}: columns {reader.fieldnames}, expected "
                            f"{PROJECT_COLUMNS}")
    labels: Labels = {}
    problems: list[str] = []
    for row in reader:
        at = f"line {reader.line_num}"
        uri, preferred = row["uri"].strip(), _tidy(row["preferred_nl"] or "")
        if None in row or row["origin"] != "project":
            problems.append(f"{at}: malformed row (fields or origin)")
        elif not preferred:
            problems.append(f"{at}: empty preferred label for {uri}")
        elif uri in labels:
            problems.append(f"{at}: duplicate URI {uri}")
        else:
            labels[uri] = _pairs(preferred, _split(row["alt_nl"], "|"))
            problems += [f"{at}: {label!r} {problem}" for _, label in labels[uri]
                         if (problem := _label_problem(label))]
    if problems:
        raise _fail(path.name, problems)
    return labels


def read_project_occupations(path: str | Path) -> dict[str, list[str]]:
    """Read data/labels/occupations_nl_project.csv (extra Dutch job titles per occupation)."""
    path = Path(path)
    try:
        text = _decode(path.read_bytes(), path.name)
    except FileNotFoundError as exc:
        raise DataFileError(f"{path} is missing") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames != OCCUPATION_COLUMNS:
        raise DataFileError(f"{path.name}: columns {reader.fieldnames}, expected "
                            f"{OCCUPATION_COLUMNS}")
    titles: dict[str, list[str]] = {}
    problems: list[str] = []
    for row in reader:
        uri, labels = row["uri"].strip(), _split(row["alt_nl"] or "", "|")
        if None in row or row["origin"] != "project" or not labels:
            problems.append(f"line {reader.line_num}: malformed row (fields, origin or labels)")
        elif uri in titles:
            problems.append(f"line {reader.line_num}: duplicate URI {uri}")
        else:
            titles[uri] = list(dict.fromkeys(labels))
    if problems:
        raise _fail(path.name, problems)
    return titles


def read_official_file(path: str | Path, known: set[str]) -> Labels:
    """Read and check an official ESCO skills_nl.csv against the known skill URIs."""
    path = Path(path)
    name = path.name
    text = _decode(path.read_bytes(), name)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        columns = reader.fieldnames or []
        if sorted(columns) != sorted(OFFICIAL_COLUMNS):
            missing = [c for c in OFFICIAL_COLUMNS if c not in columns]
            extra = [c for c in columns if c not in OFFICIAL_COLUMNS]
            raise DataFileError(
                f"{name}: wrong columns (missing {missing}, unexpected {extra}); expected the "
                f"columns of ESCO's skills_nl.csv: {', '.join(OFFICIAL_COLUMNS)}. "
                "Nothing was changed.",
                details={"missing": missing, "unexpected": extra},
            )
        labels: Labels = {}
        first_line: dict[str, int] = {}
        problems: list[str] = []
        for row in reader:
            at = f"line {reader.line_num}"
            if None in row or None in row.values():
                problems.append(f"{at}: wrong number of fields")
                continue
            uri = row["conceptUri"].strip()
            preferred = _tidy(row["preferredLabel"])
            if uri not in known:
                problems.append(f"{at}: unknown skill URI {uri!r}")
            elif uri in first_line:
                problems.append(f"{at}: duplicate row for {uri} (first at line "
                                f"{first_line[uri]})")
            elif not preferred:
                problems.append(f"{at}: empty preferredLabel for {uri}")
            else:
                first_line[uri] = reader.line_num
                labels[uri] = _pairs(preferred, _split(row["altLabels"], "\n"),
                                     _split(row["hiddenLabels"], "\n"))
                problems += [f"{at}: {label!r} {problem}" for _, label in labels[uri]
                             if (problem := _label_problem(label))]
    except csv.Error as exc:
        raise DataFileError(f"{name}: not a readable CSV ({exc}). Nothing was changed.") from exc
    if not labels and not problems:
        problems.append("no label rows")
    if problems:
        raise _fail(name, problems)
    return labels


def layer(release: Labels, imported: Labels, project: Labels
          ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, tuple[str, str]]]:
    """Return the import rows, the project rows and each skill's (label_nl, origin)."""
    import_rows = []
    for uri in sorted(imported):
        in_release = set(release.get(uri, ()))
        import_rows += [
            {"skill_uri": uri, "lang": "nl", "kind": kind, "label": label, "origin": "esco",
             "source": "import"}
            for kind, label in imported[uri] if (kind, label) not in in_release
        ]
    display: dict[str, tuple[str, str]] = {}
    for labels in (release, imported):  # imported last: it wins over the release
        for uri, pairs in labels.items():
            preferred = [label for kind, label in pairs if kind == "preferred"]
            if preferred:
                display[uri] = (preferred[0], "esco")
    project_rows = []
    for uri in sorted(project):
        official = {label.casefold() for source in (release, imported)
                    for _, label in source.get(uri, ())}
        for kind, label in project[uri]:
            if label.casefold() in official:
                continue
            official.add(label.casefold())
            if kind == "preferred" and uri in display:
                kind = "alt"  # official beats project: ours stays a searchable synonym
            project_rows.append({"skill_uri": uri, "lang": "nl", "kind": kind, "label": label,
                                 "origin": "project", "source": "project"})
            if kind == "preferred":
                display[uri] = (label, "project")
    return import_rows, project_rows, display


def _stored(session: Session, source: str) -> Labels:
    """Read the Dutch labels one loader stored, grouped by skill, preferred first."""
    rows = session.execute(
        select(SkillLabel.skill_uri, SkillLabel.kind, SkillLabel.label)
        .where(SkillLabel.source == source, SkillLabel.lang == "nl")
        .order_by(SkillLabel.id)
    )
    labels: Labels = {}
    for uri, kind, label in rows:
        labels.setdefault(uri, []).append((kind, label))
    for pairs in labels.values():
        pairs.sort(key=lambda pair: pair[0] != "preferred")
    return labels


def known_skills(session: Session) -> set[str]:
    """Return the URIs of the loaded skills (not skill groups)."""
    return set(session.scalars(select(Skill.uri).where(Skill.kind == "skill")))


def apply_layer(session: Session, *, project: Labels | None,
                official: Labels | None = None,
                occupations: dict[str, list[str]] | None = None) -> LayerResult:
    """Sync the import and project labels and every skill's label_nl; flush, never commit.

    `project=None` keeps the project labels already stored; `official` (from an official
    skills_nl.csv) replaces the imported labels of the skills it names and keeps the others;
    `occupations` (extra job titles) replaces the project's occupation labels, None keeps them.
    """
    known = known_skills(session)
    if project is None:
        project = _stored(session, "project")
    unknown = sorted(set(project) - known)
    if occupations is not None:
        known_occupations = set(session.scalars(select(Occupation.uri)))
        unknown += sorted(set(occupations) - known_occupations)
    if unknown:
        raise _fail("project labels", [f"unknown URI {uri}" for uri in unknown])
    imported = _stored(session, "import")
    if official is not None:
        imported.update(official)
    import_rows, project_rows, display = layer(_stored(session, "release"), imported, project)
    results = []
    if official is not None:
        results.append(sync_table(session, TableSpec(
            SkillLabel, ("skill_uri", "lang", "kind", "label"), import_rows,
            scope=SkillLabel.source == "import",
            columns=("skill_uri", "lang", "kind", "label", "origin", "source"))))
    results.append(sync_table(session, TableSpec(
        SkillLabel, ("skill_uri", "lang", "kind", "label"), project_rows,
        scope=SkillLabel.source == "project",
        columns=("skill_uri", "lang", "kind", "label", "origin", "source"))))
    skill_rows = [
        {"uri": uri, "label_nl": display.get(uri, (None, None))[0],
         "label_nl_origin": display.get(uri, (None, None))[1]}
        for uri in session.scalars(select(Skill.uri))
    ]
    results.append(sync_table(session, TableSpec(
        Skill, ("uri",), skill_rows, columns=("uri", "label_nl", "label_nl_origin"))))
    names = ["skill_labels (import)"] if official is not None else []
    names += ["skill_labels (project)", "skills (label_nl)"]
    if occupations is not None:
        occupation_rows = [
            {"occupation_uri": uri, "lang": "nl", "kind": "alt", "label": label,
             "origin": "project"}
            for uri in sorted(occupations) for label in occupations[uri]
        ]
        results.append(sync_table(session, TableSpec(
            OccupationLabel, ("occupation_uri", "lang", "kind", "label"), occupation_rows,
            scope=OccupationLabel.origin == "project",
            columns=("occupation_uri", "lang", "kind", "label", "origin"))))
        names.append("occupation_labels (project)")
    for result, name in zip(results, names, strict=True):
        result.table = name
    session.flush()
    return LayerResult(
        results,
        official_skills=sum(1 for _, origin in display.values() if origin == "esco"),
        project_skills=sum(1 for _, origin in display.values() if origin == "project"),
    )

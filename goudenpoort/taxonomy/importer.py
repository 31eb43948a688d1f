"""Load the ESCO release and the labour-market regions into the database, idempotently."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from goudenpoort.errors import DataFileError
from goudenpoort.taxonomy.dutch_labels import Labels, apply_layer
from goudenpoort.taxonomy.files import Release, split
from goudenpoort.taxonomy.sync import Progress, SyncResult, TableSpec, sync_table
from models import (
    IscoGroup,
    Occupation,
    OccupationBroader,
    OccupationLabel,
    OccupationSkill,
    Region,
    Skill,
    SkillBroader,
    SkillLabel,
    SkillRelation,
    TaxonomyRelease,
)

REGION_COLUMNS = ["slug", "name", "provinces", "centre_city", "lat", "lon", "municipalities_count"]


def _labels(uri_field: str, uri: str, row: dict[str, str], **extra: str
            ) -> Iterator[dict[str, Any]]:
    """Yield the label rows (preferred, alternative, hidden; en and nl) of one concept row."""
    for lang in ("en", "nl"):
        preferred = row.get(f"label_{lang}", "")
        if preferred:
            yield {uri_field: uri, "lang": lang, "kind": "preferred", "label": preferred,
                   "origin": "esco", **extra}
        for alt in split(row.get(f"alt_{lang}", "")):
            yield {uri_field: uri, "lang": lang, "kind": "alt", "label": alt, "origin": "esco",
                   **extra}
        for hidden in split(row.get(f"hidden_{lang}", "")):
            yield {uri_field: uri, "lang": lang, "kind": "hidden", "label": hidden,
                   "origin": "esco", **extra}


def _dedupe(rows: Iterator[dict[str, Any]], key: tuple[str, ...]) -> list[dict[str, Any]]:
    """Drop rows whose key repeats (ESCO has a few labels listed as both alt and hidden)."""
    seen: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(tuple(row[k] for k in key), row)
    return list(seen.values())


def read_regions(path: str | Path) -> list[dict[str, Any]]:
    """Read and check the regions CSV."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames != REGION_COLUMNS:
                raise DataFileError(f"{path}: columns {reader.fieldnames} != {REGION_COLUMNS}")
            rows = [
                {**row, "lat": float(row["lat"]), "lon": float(row["lon"]),
                 "municipalities_count": int(row["municipalities_count"])}
                for row in reader
            ]
    except FileNotFoundError as exc:
        raise DataFileError(f"{path} is missing") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: {exc}") from exc
    if len({row["slug"] for row in rows}) != 35:
        raise DataFileError(f"{path}: expected 35 regions, found {len(rows)}")
    return rows


def table_specs(release: Release, regions_file: str | Path) -> list[TableSpec]:
    """Read every file (fully, before any write) into table specs in foreign-key order."""
    skills = list(release.read("skills.csv.gz"))
    occupations = list(release.read("occupations.csv.gz"))
    for name, rows in (("skills.csv.gz", skills), ("occupations.csv.gz", occupations)):
        if len(rows) != release.rows[name]:
            raise DataFileError(f"{name}: {len(rows)} rows, manifest says {release.rows[name]}")
    # label_nl is left to the Dutch layer (dutch_labels.apply_layer), which also weighs
    # imported official and project labels.
    skill_rows = [
        {"uri": r["uri"], "kind": r["kind"], "skill_type": r["skill_type"],
         "reuse_level": r["reuse_level"], "code": r["code"], "label_en": r["label_en"]}
        for r in skills
    ]
    occupation_rows = [
        {"uri": r["uri"], "code": r["code"], "isco_group": r["isco_group"],
         "technical": r["technical"] == "1", "label_en": r["label_en"],
         "label_nl": r["label_nl"] or None}
        for r in occupations
    ]
    label_key = ("skill_uri", "lang", "kind", "label")
    skill_labels = _dedupe(
        (label for r in skills for label in _labels("skill_uri", r["uri"], r, source="release")),
        label_key,
    )
    occ_key = ("occupation_uri", "lang", "kind", "label")
    occupation_labels = _dedupe(
        (label for r in occupations for label in _labels("occupation_uri", r["uri"], r)), occ_key
    )
    isco = [
        {"uri": r["uri"], "code": r["code"], "label_en": r["label_en"],
         "label_nl": r["label_nl"] or None}
        for r in release.read("isco_groups.csv.gz")
    ]
    return [
        TableSpec(Region, ("slug",), read_regions(regions_file)),
        TableSpec(Skill, ("uri",), skill_rows),
        TableSpec(SkillLabel, label_key, skill_labels, scope=SkillLabel.source == "release"),
        TableSpec(SkillBroader, ("uri", "broader_uri"), list(release.read("skill_broader.csv.gz"))),
        TableSpec(SkillRelation, ("uri", "related_uri"),
                  list(release.read("skill_relations.csv.gz"))),
        TableSpec(IscoGroup, ("uri",), isco),
        TableSpec(Occupation, ("uri",), occupation_rows),
        TableSpec(OccupationLabel, occ_key, occupation_labels,
                  scope=OccupationLabel.origin == "esco"),
        TableSpec(OccupationBroader, ("uri", "broader_uri"),
                  list(release.read("occupation_broader.csv.gz"))),
        TableSpec(OccupationSkill, ("occupation_uri", "skill_uri"),
                  list(release.read("occupation_skills.csv.gz"))),
    ]


def import_release(
    session: Session,
    release: Release,
    regions_file: str | Path,
    progress_factory: Callable[[int], Progress] | None = None,
    *,
    project_labels: Labels | None = None,
    project_occupation_labels: dict[str, list[str]] | None = None,
) -> list[SyncResult]:
    """Sync every taxonomy table with the release, then the Dutch label layer; flush only.

    `project_labels` and `project_occupation_labels` (read from data/labels) replace the
    stored project labels; None keeps them. Officially imported labels (`import-labels`) are
    never touched here.
    """
    specs = table_specs(release, regions_file)
    if project_labels is not None:
        skills = next(spec for spec in specs if spec.model is Skill)
        known = {row["uri"] for row in skills.rows if row["kind"] == "skill"}
        unknown = sorted(set(project_labels) - known)
        if unknown:
            raise DataFileError(f"project labels name {len(unknown)} skill(s) not in the "
                                f"release, e.g. {unknown[0]}")
    total = sum(len(spec.rows) for spec in specs)
    progress = progress_factory(total) if progress_factory else None
    results = [sync_table(session, spec, progress) for spec in specs]
    results += apply_layer(session, project=project_labels,
                           occupations=project_occupation_labels).results
    marker = session.get(TaxonomyRelease, release.name)
    if marker is None:
        session.add(TaxonomyRelease(name=release.name, version=release.version,
                                    digest=release.digest))
    elif (marker.version, marker.digest) != (release.version, release.digest):
        marker.version, marker.digest = release.version, release.digest
    session.flush()
    return results


def loaded_release(session: Session) -> TaxonomyRelease | None:
    """Return the release marker of the loaded taxonomy, if any."""
    return session.scalars(select(TaxonomyRelease)).first()

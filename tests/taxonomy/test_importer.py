"""The ESCO importer is complete, idempotent, and refuses corrupt files without writing."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from goudenpoort.errors import DataFileError
from goudenpoort.taxonomy.files import open_release
from goudenpoort.taxonomy.importer import import_release
from models import Occupation, OccupationSkill, Region, Skill, SkillLabel


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_full_release_is_loaded(session: Session) -> None:
    """All ESCO skills, occupations, technical markers and regions are in the database."""
    assert count(session, Skill) == 14536  # 13,896 skills + 640 skill groups
    assert session.scalar(select(func.count()).where(Skill.kind == "skill")) == 13896
    assert count(session, Occupation) == 3007
    assert session.scalar(select(func.count()).where(Occupation.technical)) == 937
    assert count(session, Region) == 35
    assert count(session, OccupationSkill) == 123788
    nl = session.scalar(select(func.count(func.distinct(SkillLabel.skill_uri))).where(
        SkillLabel.lang == "nl", SkillLabel.kind == "preferred", Skill.kind == "skill",
        SkillLabel.source == "release",  # the project's own Dutch labels are not ESCO's
    ).join(Skill, Skill.uri == SkillLabel.skill_uri))
    assert nl == 2218


def test_second_import_changes_nothing(app: Flask, session: Session) -> None:
    """Re-importing the same release reports only unchanged rows."""
    release = open_release(app.config["TAXONOMY_DIR"])
    results = import_release(session, release, app.config["REGIONS_FILE"])
    assert not any(result.changed for result in results)
    assert sum(result.unchanged for result in results) > 300_000


def test_changed_row_is_updated_and_restored(app: Flask, session: Session) -> None:
    """A label edited in the database is put back by the next import."""
    skill = session.scalars(select(Skill).where(Skill.kind == "skill").limit(1)).one()
    original = skill.label_en
    skill.label_en = "tampered"
    session.flush()
    results = import_release(session, open_release(app.config["TAXONOMY_DIR"]),
                             app.config["REGIONS_FILE"])
    by_table = {r.table: r for r in results}
    assert by_table["skills"].updated == 1
    session.expire_all()
    assert session.get(Skill, skill.uri).label_en == original


@pytest.mark.parametrize("damage", ["truncate", "flip", "remove"])
def test_corrupt_file_is_refused(app: Flask, tmp_path: Path, damage: str) -> None:
    """A truncated, altered or missing file is named in a clear error before any write."""
    copy = tmp_path / "esco"
    shutil.copytree(app.config["TAXONOMY_DIR"], copy)
    target = copy / "occupation_skills.csv.gz"
    if damage == "truncate":
        target.write_bytes(target.read_bytes()[:1000])
    elif damage == "flip":
        data = bytearray(target.read_bytes())
        data[500] ^= 0xFF
        target.write_bytes(bytes(data))
    else:
        target.unlink()
    with pytest.raises(DataFileError, match=r"occupation_skills\.csv\.gz"):
        open_release(copy)


def test_wrong_columns_are_refused(app: Flask, tmp_path: Path) -> None:
    """A file with the right checksum in its manifest but the wrong header is refused."""
    import hashlib
    import json

    copy = tmp_path / "esco"
    shutil.copytree(app.config["TAXONOMY_DIR"], copy)
    target = copy / "isco_groups.csv.gz"
    target.write_bytes(gzip.compress(b"a,b\n1,2\n"))
    manifest = json.loads((copy / "MANIFEST.json").read_text())
    manifest["files"]["isco_groups.csv.gz"]["sha256"] = hashlib.sha256(
        target.read_bytes()).hexdigest()
    (copy / "MANIFEST.json").write_text(json.dumps(manifest))
    release = open_release(copy)
    with pytest.raises(DataFileError, match="columns"):
        list(release.read("isco_groups.csv.gz"))

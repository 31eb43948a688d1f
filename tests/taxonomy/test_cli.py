"""`flask taxonomy import` is idempotent and refuses a damaged release with a clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from goudenpoort.db import session_scope
from models import SkillLabel


def label_count(app: Flask) -> int:
    with app.app_context(), session_scope(app) as session:
        return session.scalar(select(func.count()).select_from(SkillLabel)) or 0


def test_second_import_is_skipped(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["taxonomy", "import"])
    assert result.exit_code == 0, result.output
    assert "already loaded; nothing to do" in result.output


def test_forced_import_finds_nothing_to_change(app: Flask) -> None:
    before = label_count(app)
    result = app.test_cli_runner().invoke(args=["taxonomy", "import", "--force"])
    assert result.exit_code == 0, result.output
    assert " 0 new " in result.output and "106403 unchanged" in result.output
    assert label_count(app) == before


def test_truncated_file_is_refused_and_nothing_changes(app: Flask, tmp_path: Path) -> None:
    copy = tmp_path / "esco"
    shutil.copytree(app.config["TAXONOMY_DIR"], copy)
    skills = copy / "skills.csv.gz"
    skills.write_bytes(skills.read_bytes()[: len(skills.read_bytes()) // 2])
    before = label_count(app)
    result = app.test_cli_runner().invoke(
        args=["taxonomy", "import", "--directory", str(copy), "--force"]
    )
    assert result.exit_code != 0
    assert "skills.csv.gz is corrupt or truncated" in result.output
    assert "Traceback" not in result.output
    assert label_count(app) == before


def test_info_prints_counts(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["taxonomy", "info"])
    assert result.exit_code == 0
    assert "ESCO 1.1.1" in result.output and "occupations" in result.output

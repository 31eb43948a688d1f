"""The app factory: settings that come from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from goudenpoort import create_app
from goudenpoort.config import TestConfig


def test_a_relative_instance_path_is_taken_from_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOUDENPOORT_INSTANCE_PATH", "instance")
    app = create_app(TestConfig, DATABASE_URL="sqlite://")
    assert app.instance_path == str(tmp_path / "instance")

"""scripts/build_dutch_labels.py merges part files deterministically and refuses bad ones."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
WELD = "http://data.europa.eu/esco/skill/2fcd95a4-1f9a-41cf-95a9-4701bde476b4"
SOLDER = "http://data.europa.eu/esco/skill/f30a7ea4-77dd-452c-8a2d-b06c12606a7f"
HEADER = "uri,preferred_nl,alt_nl\n"


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_dutch_labels",
                                                  ROOT / "scripts" / "build_dutch_labels.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def skills(build: ModuleType) -> dict:
    return {r["uri"]: r for r in build.read_gz(ROOT / "data" / "esco" / "skills.csv.gz")}


def part(tmp_path: Path, name: str, body: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes((HEADER + body).encode(encoding))
    return path


def test_merge_is_sorted_tidy_and_deterministic(build: ModuleType, skills: dict,
                                                tmp_path: Path) -> None:
    """Rows come out sorted by URI, labels tidied, repeated alternatives dropped."""
    a = part(tmp_path, "part-1.csv", f"{WELD},lasapparatuur  bedienen,lassen|Lassen||lassen\n")
    b = part(tmp_path, "part-2.csv", f"{SOLDER},soldeerapparatuur bedienen,solderen\n")
    rows, errors = build.merge([b, a], skills)
    assert errors == []
    assert rows == sorted(rows)
    assert [WELD, "lasapparatuur bedienen", "lassen", "project"] in rows
    assert build.render(rows) == build.render(build.merge([a, b], skills)[0])


@pytest.mark.parametrize(("body", "encoding", "message"), [
    ("http://data.europa.eu/esco/skill/nope,x,\n", "utf-8", "unknown skill URI"),
    (f"{WELD},a,\n{WELD},b,\n", "utf-8", "duplicate URI"),
    (f"{WELD}, ,lassen\n", "utf-8", "empty preferred label"),
    (f"{WELD},één,\n", "latin-1", "not UTF-8"),
    (f"{WELD},lassen,\n", "utf-16", "UTF-16"),
    (f"{WELD},Ã©Ã©n,\n", "utf-8", "mis-encoded"),
])
def test_bad_parts_are_errors(build: ModuleType, skills: dict, tmp_path: Path, body: str,
                              encoding: str, message: str) -> None:
    """Each kind of bad input is reported."""
    _, errors = build.merge([part(tmp_path, "part-1.csv", body, encoding)], skills)
    assert any(message in error for error in errors), errors


def test_official_label_is_not_overridden(build: ModuleType, skills: dict,
                                          tmp_path: Path) -> None:
    """A part may not label a skill that already has an official Dutch label."""
    uri = next(u for u, r in skills.items() if r["kind"] == "skill" and r["label_nl"])
    _, errors = build.merge([part(tmp_path, "part-1.csv", f"{uri},x,\n")], skills)
    assert any("already has the ESCO Dutch label" in error for error in errors)


def test_committed_file_passes_the_checks(build: ModuleType, skills: dict) -> None:
    """The shipped file is exactly what a merge of itself writes."""
    target = ROOT / "data" / "labels" / "skills_nl_project.csv"
    rows, errors = build.merge([target], skills, build.OUTPUT_COLUMNS)
    assert errors == []
    assert target.read_bytes() == build.render(rows)

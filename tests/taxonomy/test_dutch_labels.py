"""The Dutch label layer: project labels load idempotently, official labels win, bad files
change nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from goudenpoort.errors import DataFileError
from goudenpoort.taxonomy.dutch_labels import (
    OFFICIAL_COLUMNS,
    apply_layer,
    read_official_file,
    read_project_file,
)
from goudenpoort.taxonomy.files import open_release
from goudenpoort.taxonomy.importer import import_release
from models import Skill, SkillLabel

WELD = "http://data.europa.eu/esco/skill/2fcd95a4-1f9a-41cf-95a9-4701bde476b4"  # welding equip.


def official_csv(rows: list[dict[str, str]], columns: list[str] = OFFICIAL_COLUMNS) -> str:
    """Render rows in the shape of ESCO's skills_nl.csv (multi-line label cells)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in columns})
    return buffer.getvalue()


def official_row(uri: str, preferred: str, alts: Sequence[str] = ()) -> dict[str, str]:
    return {"conceptType": "KnowledgeSkillCompetence", "conceptUri": uri,
            "skillType": "skill/competence", "reuseLevel": "sector-specific",
            "preferredLabel": preferred, "altLabels": "\n".join(alts), "status": "released"}


def snapshot(session: Session) -> tuple:
    """Return what the Dutch layer can change: every nl label row and every label_nl."""
    labels = session.execute(
        select(SkillLabel.skill_uri, SkillLabel.kind, SkillLabel.label, SkillLabel.origin,
               SkillLabel.source).where(SkillLabel.lang == "nl").order_by(SkillLabel.id)
    ).all()
    display = session.execute(
        select(Skill.uri, Skill.label_nl, Skill.label_nl_origin).order_by(Skill.uri)).all()
    return tuple(labels), tuple(display)


@pytest.fixture
def project(app: Flask) -> dict[str, list[tuple[str, str]]]:
    """The project's reviewed labels as shipped in data/labels."""
    return read_project_file(app.config["PROJECT_LABELS_FILE"])


@pytest.fixture
def loaded(session: Session, project: dict) -> dict:
    """Load the project labels into the test's transaction."""
    apply_layer(session, project=project)
    return project


def test_project_file_is_valid_and_covers_welding(project: dict) -> None:
    """The shipped file parses, and the core welding skill has a Dutch label."""
    assert len(project) > 500
    assert WELD in project
    assert all(pairs[0][0] == "preferred" for pairs in project.values())


def test_project_labels_are_loaded_with_their_origin(session: Session, loaded: dict) -> None:
    """Every project label becomes an nl row with origin project; label_nl says it is ours."""
    uri = sorted(loaded)[0]
    rows = session.execute(select(SkillLabel.kind, SkillLabel.label, SkillLabel.origin)
                           .where(SkillLabel.skill_uri == uri, SkillLabel.lang == "nl")).all()
    assert {(kind, label) for kind, label, _ in rows} == set(loaded[uri])
    assert {origin for *_, origin in rows} == {"project"}
    skill = session.get(Skill, uri)
    assert (skill.label_nl, skill.label_nl_origin) == (loaded[uri][0][1], "project")
    count = session.scalar(select(func.count()).where(SkillLabel.source == "project"))
    assert count == sum(len(pairs) for pairs in loaded.values())


def test_project_labels_never_replace_release_labels(session: Session, loaded: dict) -> None:
    """Skills with an official Dutch label from the release keep it, marked esco."""
    skill = session.scalars(select(Skill).where(Skill.kind == "skill",
                                                Skill.label_nl_origin == "esco").limit(1)).one()
    release = session.scalar(select(SkillLabel.label).where(
        SkillLabel.skill_uri == skill.uri, SkillLabel.lang == "nl",
        SkillLabel.kind == "preferred", SkillLabel.source == "release"))
    assert skill.label_nl == release


def test_second_load_changes_nothing(session: Session, loaded: dict) -> None:
    """Applying the same project labels again writes nothing."""
    before = snapshot(session)
    result = apply_layer(session, project=loaded)
    assert not any(r.changed for r in result.results)
    assert snapshot(session) == before


@pytest.mark.slow
def test_full_import_keeps_project_labels_idempotent(app: Flask, session: Session,
                                                     loaded: dict) -> None:
    """`taxonomy import` with the same project labels reports nothing changed."""
    results = import_release(session, open_release(app.config["TAXONOMY_DIR"]),
                             app.config["REGIONS_FILE"], project_labels=loaded)
    assert not any(r.changed for r in results)


def test_removed_project_label_is_removed(session: Session, loaded: dict) -> None:
    """A skill dropped from the project file loses its project labels and its label_nl."""
    uri = sorted(loaded)[0]
    fewer = {k: v for k, v in loaded.items() if k != uri}
    apply_layer(session, project=fewer)
    assert session.scalar(select(func.count()).where(SkillLabel.skill_uri == uri,
                                                     SkillLabel.source == "project")) == 0
    skill = session.get(Skill, uri)
    session.refresh(skill)
    assert (skill.label_nl, skill.label_nl_origin) == (None, None)


def test_official_labels_beat_project_labels(app: Flask, session: Session, loaded: dict,
                                             tmp_path: Path) -> None:
    """An imported official label becomes label_nl; ours is kept as a synonym; reruns of both
    importers keep the official labels."""
    ours = loaded[WELD][0][1]
    path = tmp_path / "skills_nl.csv"
    path.write_text(official_csv([official_row(WELD, "lasmachines bedienen",
                                               ["lasuitrusting bedienen"])]), encoding="utf-8")
    official = read_official_file(path, {WELD})
    apply_layer(session, project=loaded, official=official)
    skill = session.get(Skill, WELD)
    session.refresh(skill)
    assert (skill.label_nl, skill.label_nl_origin) == ("lasmachines bedienen", "esco")
    rows = set(session.execute(select(SkillLabel.kind, SkillLabel.label, SkillLabel.origin,
                                      SkillLabel.source)
                               .where(SkillLabel.skill_uri == WELD, SkillLabel.lang == "nl")))
    assert ("preferred", "lasmachines bedienen", "esco", "import") in rows
    assert ("alt", "lasuitrusting bedienen", "esco", "import") in rows
    assert ("alt", ours, "project", "project") in rows  # demoted, still searchable
    assert not any(kind == "preferred" and origin == "project" for kind, _, origin, _ in rows)

    before = snapshot(session)
    again = apply_layer(session, project=loaded, official=official)
    assert not any(r.changed for r in again.results)
    results = import_release(session, open_release(app.config["TAXONOMY_DIR"]),
                             app.config["REGIONS_FILE"], project_labels=loaded)
    assert not any(r.changed for r in results)
    assert snapshot(session) == before


def test_official_import_keeps_skills_it_does_not_name(session: Session, loaded: dict,
                                                       tmp_path: Path) -> None:
    """A second, partial official file adds to the first; it deletes nothing."""
    other = sorted(uri for uri in loaded if uri != WELD)[0]
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(official_csv([official_row(WELD, "lassen")]), encoding="utf-8")
    second.write_text(official_csv([official_row(other, "officieel label")]), encoding="utf-8")
    apply_layer(session, project=loaded, official=read_official_file(first, {WELD, other}))
    apply_layer(session, project=loaded, official=read_official_file(second, {WELD, other}))
    labels = dict(session.execute(select(Skill.uri, Skill.label_nl)
                                  .where(Skill.uri.in_([WELD, other]))).all())
    assert labels == {WELD: "lassen", other: "officieel label"}


BAD_FILES = {
    "unknown uri": (official_csv([official_row("http://data.europa.eu/esco/skill/nope", "x")]),
                    "utf-8", "unknown skill URI"),
    "wrong columns": (official_csv([official_row(WELD, "lassen")],
                                   ["conceptUri", "preferredLabel", "altLabels"]),
                      "utf-8", "wrong columns"),
    "duplicate rows": (official_csv([official_row(WELD, "lassen"),
                                     official_row(WELD, "lassen")]), "utf-8", "duplicate row"),
    "empty label": (official_csv([official_row(WELD, "  ")]), "utf-8", "empty preferredLabel"),
    "latin-1": (official_csv([official_row(WELD, "lasapparatuur bedienen (één)")]), "latin-1",
                "not valid UTF-8"),
    "utf-16": (official_csv([official_row(WELD, "lassen")]), "utf-16", "UTF-16"),
    "double-encoded": (official_csv([official_row(WELD, "één")]).encode().decode("latin-1"),
                       "utf-8", "mis-encoded"),
    "empty": ("", "utf-8", "wrong columns"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_official_file_changes_nothing(app: Flask, session: Session, loaded: dict,
                                           tmp_path: Path, case: str) -> None:
    """Each bad file is refused through the CLI with a clear report; the database is as before."""
    text, encoding, message = BAD_FILES[case]
    path = tmp_path / "skills_nl.csv"
    path.write_bytes(text.encode(encoding))
    session.commit()  # the CLI's session joins this test's transaction: let it see our rows
    before = snapshot(session)
    result = app.test_cli_runner().invoke(args=["taxonomy", "import-labels", str(path)])
    assert result.exit_code != 0
    assert message in result.output
    assert "nothing was changed" in result.output.lower()
    session.expire_all()
    assert snapshot(session) == before


def test_good_official_file_through_the_cli(app: Flask, session: Session, loaded: dict,
                                            tmp_path: Path) -> None:
    """The CLI loads a good file and a rerun reports no change."""
    path = tmp_path / "skills_nl.csv"
    path.write_text(official_csv([official_row(WELD, "lasmachines bedienen")]),
                    encoding="utf-8")
    session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["taxonomy", "import-labels", str(path)])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["taxonomy", "import-labels", str(path)])
    assert second.exit_code == 0, second.output
    assert " 1 new" not in second.output and " 1 updated" not in second.output
    session.expire_all()
    assert session.get(Skill, WELD).label_nl_origin == "esco"


def test_malformed_project_file_is_refused(tmp_path: Path) -> None:
    """A project file with a duplicate URI or a bad encoding is refused by the reader."""
    path = tmp_path / "p.csv"
    path.write_text("uri,preferred_nl,alt_nl,origin\nu,a,,project\nu,b,,project\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError, match="duplicate URI"):
        read_project_file(path)
    path.write_bytes("uri,preferred_nl,alt_nl,origin\nu,één,,project\n".encode("latin-1"))
    with pytest.raises(DataFileError, match="UTF-8"):
        read_project_file(path)


def test_project_labels_for_unknown_skills_are_refused(session: Session) -> None:
    """A project label for a URI that is not a loaded skill stops the load before any write."""
    before = snapshot(session)
    with pytest.raises(DataFileError, match="unknown URI"):
        apply_layer(session, project={"http://data.europa.eu/esco/skill/nope": [
            ("preferred", "x")]})
    assert snapshot(session) == before

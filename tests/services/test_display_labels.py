"""Match answers name concepts from a per-process label copy, checked like the search index."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from goudenpoort.services import taxonomy
from goudenpoort.services.matching import labels_for
from models import Occupation, OccupationLabel, Skill

WORD = "kwzrq-weergavelabel"  # nothing in ESCO looks like it


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_copy_gives_each_concept_its_display_label(session: Session, lang: str) -> None:
    skills = session.scalars(select(Skill).order_by(func.random()).limit(300)).all()
    occupations = session.scalars(select(Occupation).order_by(func.random()).limit(100)).all()
    unknown = "http://data.europa.eu/esco/skill/not-a-skill"
    found = labels_for(session, [s.uri for s in skills] + [unknown],
                       [o.uri for o in occupations], lang)
    expected = {c.uri: taxonomy.display_label(c, lang) for c in [*skills, *occupations]}
    assert found == expected  # the unknown URI is simply absent, as before
    if lang == "nl":  # real ESCO data: most skills have a Dutch label, some only English
        assert {pair[1] for pair in found.values()} >= {"nl"}


def test_a_label_change_shows_after_the_recheck_interval(session: Session,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    occupation = session.scalars(select(Occupation).where(Occupation.label_nl.is_not(None))
                                 .order_by(Occupation.uri)).first()
    assert occupation is not None
    before = taxonomy.display_label(occupation, "nl")
    assert labels_for(session, [], [occupation.uri], "nl", 60) == {occupation.uri: before}
    # what the Dutch label layer does: a new label row and the concept's display label
    session.add(OccupationLabel(occupation_uri=occupation.uri, lang="nl", kind="preferred",
                                label=WORD, origin="project"))
    occupation.label_nl = WORD
    session.flush()
    statements: list[str] = []
    connection = session.connection()
    event.listen(connection, "before_cursor_execute",
                 lambda *args: statements.append(args[2]))
    assert labels_for(session, [], [occupation.uri], "nl", 60) == {occupation.uri: before}
    assert statements == []  # within the interval: not even the version is read
    later = time.monotonic() + 61
    monkeypatch.setattr(taxonomy.time, "monotonic", lambda: later)
    assert labels_for(session, [], [occupation.uri], "nl", 60) == {occupation.uri: (WORD, "nl")}
    session.rollback()
    assert labels_for(session, [], [occupation.uri], "nl", 0) == {occupation.uri: before}

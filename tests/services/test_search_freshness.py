"""The search index trusts itself for SEARCH_INDEX_RECHECK_SECONDS, then sees an import."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from goudenpoort.services import taxonomy
from models import Occupation, OccupationLabel

WORD = "kwzrqlabel"  # nothing in ESCO looks like it


def found(session: Session, recheck: float) -> bool:
    page = taxonomy.search(session, "occupation", WORD, lang="nl", limit=5, recheck_seconds=recheck)
    return any(hit.matched_label == WORD for hit in page.items)


def test_a_new_label_shows_after_the_recheck_interval(session: Session,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    assert not found(session, 60)  # the version is read now
    occupation = session.scalars(select(Occupation)).first()
    assert occupation is not None
    # occupation labels: the smaller index, so the two rebuilds here cost seconds, not tens
    session.add(OccupationLabel(occupation_uri=occupation.uri, lang="nl", kind="alt",
                                label=WORD))
    session.flush()
    assert not found(session, 60)  # within the interval: no query, the index as it was
    later = time.monotonic() + 61
    monkeypatch.setattr(taxonomy.time, "monotonic", lambda: later)
    assert found(session, 60)  # interval over: the changed version is seen, index rebuilt
    session.rollback()
    assert not found(session, 0)  # 0 checks every time: the rolled-back label is gone


def test_a_concept_gone_before_the_recheck_is_left_out_not_an_error(
        session: Session) -> None:
    from sqlalchemy import delete

    from models import OccupationBroader, OccupationSkill

    page = taxonomy.search(session, "occupation", "loodgieter", lang="nl", limit=5,
                           recheck_seconds=60)
    gone = page.items[0].uri
    for model, column in ((OccupationSkill, OccupationSkill.occupation_uri),
                          (OccupationLabel, OccupationLabel.occupation_uri),
                          (OccupationBroader, OccupationBroader.uri),
                          (OccupationBroader, OccupationBroader.broader_uri)):
        session.execute(delete(model).where(column == gone))
    session.execute(delete(Occupation).where(Occupation.uri == gone))
    session.flush()
    again = taxonomy.search(session, "occupation", "loodgieter", lang="nl", limit=5,
                            recheck_seconds=60)  # the index still knows it; the table not
    assert gone not in [hit.uri for hit in again.items]
    assert [hit.uri for hit in again.items] == [hit.uri for hit in page.items[1:]]
    session.rollback()

"""occupation_skill_proposals: an occupation-driven intake proposes essential skills in Dutch."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from goudenpoort.errors import ValidationFailed
from goudenpoort.services.taxonomy import occupation_skill_proposals
from goudenpoort.taxonomy.dutch_labels import apply_layer, read_project_file
from models import OccupationSkill

OCC = "http://data.europa.eu/esco/occupation/"
FORKLIFT = f"{OCC}eeac6251-1974-42f5-91ed-513c6c883755"
WELDER = f"{OCC}7aedaa07-3884-4c5b-88f9-80997b2aa54b"


def essential(session: Session, uri: str) -> set[str]:
    return set(session.scalars(select(OccupationSkill.skill_uri).where(
        OccupationSkill.occupation_uri == uri, OccupationSkill.relation_type == "essential")))


def test_proposes_exactly_the_essential_skills(session: Session) -> None:
    """The proposals are the union of the occupations' essential skills, shared ones first."""
    proposals = occupation_skill_proposals(session, [FORKLIFT, WELDER], "nl")
    assert {p.uri for p in proposals} == essential(session, FORKLIFT) | essential(session, WELDER)
    shared = [len(p.occupation_uris) for p in proposals]
    assert shared == sorted(shared, reverse=True)


def test_dutch_labels_and_their_origin(app: Flask, session: Session) -> None:
    """With the project labels loaded most welder skills come in Dutch, each marked by origin."""
    apply_layer(session, project={})  # start from plain ESCO whatever the database holds
    session.expire_all()
    before = occupation_skill_proposals(session, [WELDER], "nl")
    apply_layer(session, project=read_project_file(app.config["PROJECT_LABELS_FILE"]))
    session.expire_all()
    after = occupation_skill_proposals(session, [WELDER], "nl")
    assert {p.uri for p in after} == {p.uri for p in before}
    dutch = [p for p in after if p.label_lang == "nl"]
    assert len(dutch) > len([p for p in before if p.label_lang == "nl"])
    assert {p.label_origin for p in dutch} == {"esco", "project"}
    assert all(p.label_origin == "esco" for p in after if p.label_lang == "en")
    english = occupation_skill_proposals(session, [WELDER], "en")
    assert all((p.label_lang, p.label_origin) == ("en", "esco") for p in english)


def test_unknown_occupation_is_refused(session: Session) -> None:
    """An unknown occupation URI is named in the error."""
    with pytest.raises(ValidationFailed) as caught:
        occupation_skill_proposals(session, [FORKLIFT, f"{OCC}nope"], "nl")
    assert caught.value.details == {"occupations": [f"{OCC}nope"]}

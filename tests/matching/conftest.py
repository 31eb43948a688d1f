"""A tiny hand-made skill graph, so engine tests state exactly what they expect."""

from __future__ import annotations

import pytest

from goudenpoort.matching.index import MatchIndex
from goudenpoort.matching.profiles import Candidate, Item, SkillClaim, SkillGraph, SkillNeed
from goudenpoort.matching.skill_space import SkillSpace
from goudenpoort.matching.vectorizer import SkillVectorizer

# welding <- tig, mig (narrower skills); both under the group G-metal
# plumbing <-> pipes (ESCO related); wiring, soldering under G-electric; talk is generic
GRAPH = SkillGraph(
    broader=(("tig", "welding"), ("mig", "welding"), ("welding", "G-metal"),
             ("grinding", "G-metal"), ("wiring", "G-electric"), ("soldering", "G-electric"),
             ("plumbing", "G-water"), ("pipes", "G-water"), ("talk", "G-social")),
    related=(("plumbing", "pipes", True), ("wiring", "soldering", False),
             ("talk", "welding", False)),
    groups=frozenset({"G-metal", "G-electric", "G-water", "G-social"}),
    generic=frozenset({"talk"}),
    release="test graph",
)
FILLER = ("cooking", "driving", "painting", "typing", "cleaning", "lifting")


def need(uri: str, level: int = 2, essential: bool = True) -> SkillNeed:
    """Return a need at a level."""
    return SkillNeed(uri, level, essential)


def person(identifier: str, *skills: str, level: int = 2) -> Candidate:
    """Return a candidate with the skills at one level."""
    return Candidate(identifier, tuple(SkillClaim(s, level) for s in skills))


def catalogue() -> list[Item]:
    """Return a handful of items over the tiny graph."""
    return [
        Item("welder", "vacancy", (need("welding"), need("grinding"), need("talk", 2, False))),
        Item("tig-welder", "vacancy", (need("tig"), need("grinding"))),
        Item("electrician", "vacancy", (need("wiring"), need("soldering"), need("talk"))),
        Item("plumber", "vacancy", (need("plumbing"), need("pipes", 2, False))),
        Item("cook", "vacancy", (need("cooking"), need("cleaning"), need("talk"))),
        Item("driver", "vacancy", (need("driving"), need("lifting"))),
        Item("painter", "vacancy", (need("painting"), need("cleaning"))),
    ]


@pytest.fixture
def space() -> SkillSpace:
    """Return the skill space of the tiny graph plus the filler skills."""
    return SkillSpace.from_graph(GRAPH, extra=FILLER)


@pytest.fixture
def index(space: SkillSpace) -> MatchIndex:
    """Return an index of the catalogue, fitted on it."""
    return MatchIndex.build(SkillVectorizer(space), catalogue(), fit=True)

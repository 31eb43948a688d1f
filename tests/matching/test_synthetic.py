"""The synthetic generator is deterministic and draws from technical occupations."""

from __future__ import annotations

from itertools import islice

import pytest

from goudenpoort.demo import synthetic


@pytest.fixture(scope="module")
def esco() -> synthetic.Esco:
    return synthetic.load_esco()


def test_same_seed_same_profiles(esco: synthetic.Esco) -> None:
    first = list(synthetic.routes(esco, 20, seed=5))
    assert first == list(synthetic.routes(esco, 20, seed=5))
    assert first != list(synthetic.routes(esco, 20, seed=6))
    assert len({r.id for r in first}) == 20


def test_profiles_come_from_technical_occupations(esco: synthetic.Esco) -> None:
    technical = {s for o in esco.technical for s in o.essential + o.optional}
    assert len(esco.technical) == 937
    for generator in (synthetic.routes, synthetic.vacancies, synthetic.employers):
        for item in islice(generator(esco, 30), 30):
            assert item.needs and {n.uri for n in item.needs} <= technical
            assert any(n.essential for n in item.needs)
    people = list(synthetic.candidates(esco, 30))
    assert all(len(p.claims) >= 2 for p in people)
    assert any(p.past for p in people)

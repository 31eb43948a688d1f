"""Distances between candidates and catalogue items."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from goudenpoort.services.distance import Located, distance_km, region_centres, within_reach


def test_coordinates_win_over_regions(session: Session) -> None:
    centres = region_centres(session)
    assert len(centres) == 35
    zwolle = Located(lat=52.5168, lon=6.0830, region="zwolle")
    enschede = Located(lat=52.2215, lon=6.8937, region="twente")
    result = distance_km(zwolle, enschede, centres)
    assert result is not None and result.basis == "coordinates"
    # Independently: 0.2953° of latitude is 32.8 km, 0.8107° of longitude at 52.4° N is
    # 55.1 km; sqrt(32.8² + 55.1²) = 64.1 km (flat-earth is fine at this scale).
    assert result.km == pytest.approx(64.1, abs=0.3)


def test_region_centre_fallback_and_unknown(session: Session) -> None:
    centres = region_centres(session)
    arnhem = Located(region="midden-gelderland")
    nijmegen = Located(lat=51.8126, lon=5.8372)
    result = distance_km(arnhem, nijmegen, centres)
    assert result is not None and result.basis == "region_centre"
    assert 15 < result.km < 25
    same = distance_km(Located(region="twente"), Located(region="twente"), centres)
    assert same is not None and same.km == 0
    assert distance_km(Located(), nijmegen, centres) is None
    assert distance_km(Located(region="atlantis"), nijmegen, centres) is None


def test_within_reach() -> None:
    from goudenpoort.services.distance import Distance

    assert within_reach(Distance(30.0, "coordinates"), 40)
    assert not within_reach(Distance(41.0, "coordinates"), 40)
    assert within_reach(None, 10)  # unknown never excludes
    assert within_reach(Distance(500.0, "coordinates"), None)

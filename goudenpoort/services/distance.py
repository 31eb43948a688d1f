"""Distance between a candidate and a catalogue item, for the travel-distance filter.

Method: the great-circle (haversine) distance between two WGS84 points. Each side uses its own
place coordinates when it has them, else the centre point of its labour-market region (the
centre city, see data/regions). With neither, the distance is unknown (None) and the caller
decides; the matching treats unknown as "do not exclude". Straight-line kilometres understate
travel by road or public transport by roughly a fifth in the Netherlands; callers compare them
to a candidate's `max_travel_km` as given, so advisers should read that as "as the crow flies".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from goudenpoort.services.regions import haversine_km
from models import Region

Basis = Literal["coordinates", "region_centre"]


@dataclass(frozen=True)
class Located:
    """Where something is: optional coordinates and an optional region slug."""

    lat: float | None = None
    lon: float | None = None
    region: str | None = None


@dataclass(frozen=True)
class Point:
    """A resolved point and whether it came from the place itself or its region's centre."""

    lat: float
    lon: float
    basis: Basis


@dataclass(frozen=True)
class Distance:
    """A distance in km (rounded to 0.1) and the weakest basis either side used."""

    km: float
    basis: Basis


def region_centres(session: Session) -> dict[str, tuple[float, float]]:
    """Return every region's centre point by slug (35 rows; load once and reuse)."""
    return {slug: (lat, lon) for slug, lat, lon in
            session.execute(select(Region.slug, Region.lat, Region.lon))}


def resolve_point(where: Located, centres: Mapping[str, tuple[float, float]]) -> Point | None:
    """Return the place's own coordinates, else its region's centre, else None."""
    if where.lat is not None and where.lon is not None:
        return Point(where.lat, where.lon, "coordinates")
    if where.region and where.region in centres:
        lat, lon = centres[where.region]
        return Point(lat, lon, "region_centre")
    return None


def distance_km(a: Located, b: Located, centres: Mapping[str, tuple[float, float]]
                ) -> Distance | None:
    """Return the distance between two located things, or None when either cannot be placed."""
    pa, pb = resolve_point(a, centres), resolve_point(b, centres)
    if pa is None or pb is None:
        return None
    basis: Basis = "coordinates" if pa.basis == pb.basis == "coordinates" else "region_centre"
    return Distance(round(haversine_km(pa.lat, pa.lon, pb.lat, pb.lon), 1), basis)


def within_reach(distance: Distance | None, max_km: float | None) -> bool:
    """Tell whether an item is within a candidate's travel limit (unknown counts as within)."""
    if max_km is None or distance is None:
        return True
    return distance.km <= max_km

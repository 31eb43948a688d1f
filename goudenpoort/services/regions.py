"""The labour-market regions and distances between places."""

from __future__ import annotations

import math

from sqlalchemy import select
from sqlalchemy.orm import Session

from goudenpoort.errors import NotFound
from models import Region

EARTH_RADIUS_KM = 6371.0088


def list_regions(session: Session) -> list[Region]:
    """Return the 35 regions ordered by slug."""
    return list(session.scalars(select(Region).order_by(Region.slug)))


def get_region(session: Session, slug: str) -> Region:
    """Return one region or raise NotFound."""
    region = session.get(Region, slug)
    if region is None:
        raise NotFound("No labour-market region with this slug.")
    return region


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in kilometres between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))

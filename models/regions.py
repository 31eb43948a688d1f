"""The 35 Dutch labour-market regions (arbeidsmarktregio's), keyed by slug."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Region(Base):
    """A labour-market region with its centre point (WGS84)."""

    __tablename__ = "regions"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    provinces: Mapped[str] = mapped_column(String(128))
    centre_city: Mapped[str] = mapped_column(String(64))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    municipalities_count: Mapped[int] = mapped_column(Integer)

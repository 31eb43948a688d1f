"""Slices of a long list, so an `IN (...)` query keeps its bound parameters below every limit."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

SIZE = 500  # SQLite allows 32,766 bound parameters, PostgreSQL 65,535; 500 keeps plans cached


def chunks(items: Sequence[T], size: int = SIZE) -> Iterator[Sequence[T]]:
    """Yield consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]

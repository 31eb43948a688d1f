"""Opaque cursors round-trip and reject garbage."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from goudenpoort.errors import ValidationFailed
from goudenpoort.services.pagination import decode_cursor, encode_cursor, paginate_list


def test_cursor_round_trips_and_is_opaque() -> None:
    moment = datetime(2026, 5, 1, 12, 30, 1, 123456, tzinfo=UTC)
    row_id = uuid.uuid4()
    cursor = encode_cursor(moment, row_id)
    assert str(row_id) not in cursor and "2026" not in cursor
    assert decode_cursor(cursor) == (moment, row_id)


@pytest.mark.parametrize("bad", ["garbage", "", "W10", encode_cursor(datetime.now(UTC),
                                                                   uuid.uuid4())[:-3]])
def test_bad_cursors_are_a_422(bad: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        decode_cursor(bad)
    assert "cursor" in info.value.details


def test_paginate_list_walks_every_item_once() -> None:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    items = sorted((moment, uuid.UUID(int=i)) for i in range(7))
    seen, cursor = [], None
    while True:
        page = paginate_list(items, key=lambda item: item, limit=3, cursor=cursor)
        seen += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == items

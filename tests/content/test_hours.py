"""Opening hours in Bogotá time."""

from __future__ import annotations

from datetime import time

from bot.content.hours import format_week, is_open
from bot.content.schema import OpeningHours
from tests.content.conftest import utc

HOURS = OpeningHours(
    {
        "mon": ((time(8), time(12)), (time(14), time(18))),
        "tue": ((time(8), time(12)), (time(14), time(18))),
        "sat": ((time(8), time(12)),),
    }
)
NAMES = {day: day.title() for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def test_open_now_uses_bogota_time() -> None:
    assert is_open(HOURS, utc(2026, 11, 23, 13))  # Monday 08:00 in Bogotá
    assert not is_open(HOURS, utc(2026, 11, 23, 12, 59))  # Monday 07:59
    assert not is_open(HOURS, utc(2026, 11, 23, 17, 30))  # Monday 12:30, lunch
    assert not is_open(HOURS, utc(2026, 11, 24, 3))  # Monday 22:00 in Bogotá, Tuesday in UTC


def test_closing_time_is_closed() -> None:
    assert not is_open(HOURS, utc(2026, 11, 28, 17))  # Saturday 12:00


def test_week_merges_equal_days() -> None:
    assert format_week(HOURS, NAMES) == "Mon–Tue 08:00–12:00, 14:00–18:00; Sat 08:00–12:00"

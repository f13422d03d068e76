"""Desk opening hours from configuration, in Bogotá time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.handoff.schedule import DeskHours, ScheduleError

# 2026-11-23 is a Monday; Bogotá is UTC-5.
MONDAY_9_BOGOTA = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
MONDAY_20_BOGOTA = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
SUNDAY_10_BOGOTA = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)


def test_hours_decide_who_is_on_duty() -> None:
    hours = DeskHours.parse("mon-fri 08:00-12:00 14:00-18:00; sat 09:00-12:00")
    assert hours.is_on_duty(MONDAY_9_BOGOTA)
    assert not hours.is_on_duty(MONDAY_20_BOGOTA)
    assert not hours.is_on_duty(SUNDAY_10_BOGOTA)
    assert hours.text() == "lun–vie 08:00–12:00, 14:00–18:00; sáb 09:00–12:00"


def test_no_hours_means_always_on_duty() -> None:
    hours = DeskHours.parse(None)
    assert hours.is_on_duty(SUNDAY_10_BOGOTA) and hours.text() is None


@pytest.mark.parametrize(
    "bad", ["monday 8-5", "mon-fri 8:00-17:00", "fri-mon 08:00-17:00", "mon 18:00-08:00", "mon 25:00-26:00", ";"]
)
def test_bad_hours_are_refused(bad: str) -> None:
    with pytest.raises(ScheduleError):
        DeskHours.parse(bad)

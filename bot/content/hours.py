"""Opening hours: whether a service is open at a moment (Bogotá time) and how to write its week."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.content.schema import DAYS, OpeningHours

Interval = tuple[time, time]


def bogota_zone() -> tzinfo:
    """America/Bogota; Colombia keeps UTC-5 all year, so a fixed offset is exact without tzdata."""
    try:
        return ZoneInfo("America/Bogota")
    except ZoneInfoNotFoundError:
        return timezone(timedelta(hours=-5), "COT")


def is_open(hours: OpeningHours, moment: datetime) -> bool:
    """Whether ``moment`` (any aware datetime) falls inside the opening hours, in Bogotá time."""
    local = moment.astimezone(bogota_zone())
    now = local.time().replace(tzinfo=None)
    intervals = hours.days.get(DAYS[local.weekday()], ())
    return any(opens <= now < closes for opens, closes in intervals)


def format_week(hours: OpeningHours, day_names: Mapping[str, str]) -> str:
    """E.g. ``lun–vie 08:00–12:00, 14:00–18:00; sáb 08:00–12:00`` (runs of equal days merged)."""
    runs: list[tuple[str, str, tuple[Interval, ...]]] = []
    for day in DAYS:
        intervals = hours.days.get(day, ())
        if runs and runs[-1][2] == intervals and _follows(runs[-1][1], day):
            runs[-1] = (runs[-1][0], day, intervals)
        else:
            runs.append((day, day, intervals))
    parts = []
    for first, last, intervals in runs:
        if not intervals:
            continue
        days = day_names[first] if first == last else f"{day_names[first]}–{day_names[last]}"
        parts.append(f"{days} {', '.join(_interval(i) for i in intervals)}")
    return "; ".join(parts)


def _follows(previous: str, day: str) -> bool:
    return DAYS.index(day) == DAYS.index(previous) + 1


def _interval(interval: Interval) -> str:
    opens, closes = interval
    return f"{opens:%H:%M}–{closes:%H:%M}"

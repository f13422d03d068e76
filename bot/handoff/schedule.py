"""The desk's opening hours (Bogotá time), read from configuration.

    PUENTE_DESK_HOURS="mon-fri 08:00-17:00; sat 09:00-12:00"
    PUENTE_DESK_HOURS="mon-fri 08:00-12:00 14:00-18:00"

Unset means the desk is always on duty. Days are ``mon`` .. ``sun``; a range of days shares the
intervals that follow it.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from bot.content.hours import format_week, is_open
from bot.content.schema import DAYS, OpeningHours

# The engine's port carries no language, so the hours are written the Colombian way.
DAY_NAMES = {
    "mon": "lun",
    "tue": "mar",
    "wed": "mié",
    "thu": "jue",
    "fri": "vie",
    "sat": "sáb",
    "sun": "dom",
}
_PART = re.compile(r"^(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+(?P<intervals>.+)$")
_INTERVAL = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


class ScheduleError(ValueError):
    """The opening hours cannot be read; the message quotes the part."""


class DeskHours:
    """Whether the desk is on duty at a moment, and its week written out."""

    def __init__(self, hours: OpeningHours | None) -> None:
        self._hours = hours

    @classmethod
    def parse(cls, text: str | None) -> DeskHours:
        return cls(parse_week(text) if text and text.strip() else None)

    def is_on_duty(self, moment: datetime) -> bool:
        return self._hours is None or is_open(self._hours, moment)

    def text(self) -> str | None:
        """E.g. ``lun–vie 08:00–17:00; sáb 09:00–12:00``; None when always on duty."""
        return None if self._hours is None else format_week(self._hours, DAY_NAMES)


def parse_week(text: str) -> OpeningHours:
    """Read ``mon-fri 08:00-17:00; sat 09:00-12:00`` (parts separated by ``;``)."""
    days: dict[str, tuple[tuple[time, time], ...]] = {}
    for raw in text.lower().split(";"):
        part = raw.strip()
        if not part:
            continue
        found = _PART.match(part)
        if found is None:
            raise ScheduleError(f"cannot read {part!r}: use e.g. 'mon-fri 08:00-17:00'")
        intervals = tuple(_interval(item, part) for item in found["intervals"].split())
        for day in _day_range(found["first"], found["last"] or found["first"], part):
            days[day] = days.get(day, ()) + intervals
    if not days:
        raise ScheduleError("no opening hours given")
    return OpeningHours(days)


def _day_range(first: str, last: str, part: str) -> tuple[str, ...]:
    if first not in DAYS or last not in DAYS:
        raise ScheduleError(f"unknown day in {part!r}: use {', '.join(DAYS)}")
    start, end = DAYS.index(first), DAYS.index(last)
    if end < start:
        raise ScheduleError(f"day range runs backwards in {part!r}")
    return DAYS[start : end + 1]


def _interval(item: str, part: str) -> tuple[time, time]:
    found = _INTERVAL.match(item)
    if found is None:
        raise ScheduleError(f"cannot read interval {item!r} in {part!r}: use HH:MM-HH:MM")
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2 > 0):
        raise ScheduleError(f"impossible time in {item!r}")
    opens, closes = time(h1, m1), time(23, 59, 59) if h2 == 24 else time(h2, m2)
    if closes <= opens:
        raise ScheduleError(f"interval {item!r} closes before it opens")
    return opens, closes

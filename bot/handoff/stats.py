"""Queue numbers: the expected wait promised to a person, and the supervisor's statistics.

Expected wait for a new case in a team (``position`` = cases ahead of it + 1):

    claims in the last hour > 0  ->  position / claims per minute (the team's recent pace)
    else, >= 3 recent waits      ->  the median wait of the team's cases in the last 14 days
    else                         ->  no estimate (the person is not promised a time)

Rounded up to 5 minutes; more than 4 hours is not promised. A wait is the time from a case's
creation to its first claim.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from bot.handoff.actor import Actor
from bot.handoff.clock import minutes_between
from bot.handoff.intake import ACTIVE_STATUSES, URGENT
from bot.storage.models import CaseStat, Caseworker, Handoff

PACE_WINDOW = timedelta(hours=1)
HISTORY_WINDOW = timedelta(days=14)
MIN_HISTORY = 3
MAX_WAIT_MINUTES = 4 * 60  # beyond this no figure is promised (the text speaks in minutes)


@dataclass(frozen=True)
class QueueStats:
    """What the supervisor page shows for the actor's teams over a period."""

    open_cases: int
    urgent_open: int
    claimed_cases: int
    oldest_open_minutes: float | None
    wait_samples: int
    median_wait_minutes: float | None
    p90_wait_minutes: float | None
    per_caseworker: tuple[tuple[str, int, int], ...]  # username, claimed now, closed in period
    per_outcome: tuple[tuple[str, int], ...]
    per_team: tuple[tuple[str, int], ...]  # open cases per team


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Linear-interpolated percentile (``fraction`` 0..1) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def expected_wait(session: Session, team: str, urgent: bool, now: datetime) -> int | None:
    """Minutes a new case in ``team`` will probably wait for a caseworker (None: no basis)."""
    ahead = (
        session.scalar(
            select(func.count()).where(
                Handoff.team == team,
                Handoff.status == "open",
                Handoff.priority <= (URGENT if urgent else URGENT + 1),
            )
        )
        or 0
    )
    pace = (
        session.scalar(select(func.count()).where(Handoff.team == team, Handoff.first_claimed_at >= now - PACE_WINDOW))
        or 0
    )
    if pace:
        minutes = (ahead + 1) * PACE_WINDOW.total_seconds() / 60 / pace
    else:
        waits = _waits(session, Handoff.team == team, now - HISTORY_WINDOW, limit=200)
        if len(waits) < MIN_HISTORY:
            return None
        minutes = percentile(waits, 0.5) or 0.0
    rounded = max(5, 5 * math.ceil(minutes / 5))
    return rounded if rounded <= MAX_WAIT_MINUTES else None


def queue_stats(session: Session, actor: Actor, since: datetime, now: datetime) -> QueueStats:
    """The actor's teams' queue now and over the period since ``since``."""
    scope = Handoff.team.in_(sorted(actor.teams)) if not actor.is_admin else Handoff.id.is_not(None)
    erased_scope = CaseStat.team.in_(sorted(actor.teams)) if not actor.is_admin else CaseStat.id.is_not(None)
    open_rows = list(
        session.execute(
            select(Handoff.priority, Handoff.created_at, Handoff.team).where(scope, Handoff.status == "open")
        )
    )
    claimed = session.scalar(select(func.count()).where(scope, Handoff.status == "claimed")) or 0
    waits = _waits(session, scope, since, limit=20000) + _erased_waits(session, erased_scope, since)
    teams: dict[str, int] = {}
    for _, _, team in open_rows:
        teams[team] = teams.get(team, 0) + 1
    return QueueStats(
        open_cases=len(open_rows),
        urgent_open=sum(1 for priority, _, _ in open_rows if priority == URGENT),
        claimed_cases=claimed,
        oldest_open_minutes=max((minutes_between(created, now) for _, created, _ in open_rows), default=None),
        wait_samples=len(waits),
        median_wait_minutes=percentile(waits, 0.5),
        p90_wait_minutes=percentile(waits, 0.9),
        per_caseworker=_per_caseworker(session, scope, since),
        per_outcome=_per_outcome(session, scope, erased_scope, since),
        per_team=tuple(sorted(teams.items())),
    )


def _waits(session: Session, scope: ColumnElement[bool], since: datetime, limit: int) -> list[float]:
    rows = session.execute(
        select(Handoff.created_at, Handoff.first_claimed_at)
        .where(scope, Handoff.created_at >= since, Handoff.first_claimed_at.is_not(None))
        .order_by(Handoff.created_at.desc())
        .limit(limit)
    )
    return [minutes_between(created, claimed) for created, claimed in rows if claimed is not None]


def _per_caseworker(session: Session, scope: ColumnElement[bool], since: datetime) -> tuple[tuple[str, int, int], ...]:
    claimed_now = func.sum(sql_case((Handoff.status == "claimed", 1), else_=0))
    closed = func.sum(sql_case(((Handoff.status == "closed") & (Handoff.closed_at >= since), 1), else_=0))
    rows = session.execute(
        select(Caseworker.username, claimed_now, closed)
        .join(Caseworker, Caseworker.id == Handoff.claimed_by)
        .where(scope, Handoff.status.in_((*ACTIVE_STATUSES, "closed")))
        .group_by(Caseworker.username)
        .order_by(Caseworker.username)
    )
    return tuple((name, int(now or 0), int(done or 0)) for name, now, done in rows if now or done)


def _erased_waits(session: Session, scope: ColumnElement[bool], since: datetime) -> list[float]:
    """Waits of cases whose person asked for erasure (kept as statistics only)."""
    rows = session.execute(
        select(CaseStat.created_at, CaseStat.first_claimed_at).where(
            scope, CaseStat.created_at >= since, CaseStat.first_claimed_at.is_not(None)
        )
    )
    return [minutes_between(created, claimed) for created, claimed in rows if claimed is not None]


def _per_outcome(
    session: Session, scope: ColumnElement[bool], erased_scope: ColumnElement[bool], since: datetime
) -> tuple[tuple[str, int], ...]:
    counts: dict[str, int] = {}
    live = select(Handoff.outcome, func.count()).where(scope, Handoff.closed_at >= since, Handoff.outcome.is_not(None))
    erased = select(CaseStat.outcome, func.count()).where(
        erased_scope, CaseStat.closed_at >= since, CaseStat.outcome.is_not(None)
    )
    for query in (live.group_by(Handoff.outcome), erased.group_by(CaseStat.outcome)):
        for outcome, count in session.execute(query):
            counts[outcome or "-"] = counts.get(outcome or "-", 0) + int(count)
    return tuple(sorted(counts.items(), key=lambda item: -item[1]))

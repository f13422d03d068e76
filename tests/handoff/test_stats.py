"""Waiting times: the estimate promised to a person, the supervisor's median and 90th percentile."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.handoff.stats import expected_wait, percentile, queue_stats
from bot.storage.models import Handoff
from tests.handoff.world import World


def test_percentile_interpolates() -> None:
    assert percentile([], 0.5) is None
    assert percentile([4.0], 0.9) == 4.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile(list(map(float, range(1, 11))), 0.9) == 9.1


def _age(world: World, case_id: int, created_minutes_ago: float, claimed_minutes_ago: float | None) -> None:
    now = datetime.now(UTC)
    values: dict[str, object] = {"created_at": now - timedelta(minutes=created_minutes_ago)}
    if claimed_minutes_ago is not None:
        at = now - timedelta(minutes=claimed_minutes_ago)
        values |= {"first_claimed_at": at, "claimed_at": at, "status": "closed", "outcome": "resolved", "closed_at": at}
    with world.db.begin() as conn:
        conn.execute(update(Handoff).where(Handoff.id == case_id).values(**values))


def test_no_history_means_no_promise(world: World) -> None:
    with Session(world.db) as session:
        assert expected_wait(session, "general", False, datetime.now(UTC)) is None


def test_recent_pace_and_queue_length_give_the_estimate(world: World) -> None:
    for n in range(2):  # two claims in the last hour: one case per 30 minutes
        _age(world, world.ask_person(f"user-30000{n}"), 50, 40 - n)
    now = datetime.now(UTC)
    with Session(world.db) as session:
        assert expected_wait(session, "general", False, now) == 30
    world.ask_person("user-300010")  # one case waiting ahead
    with Session(world.db) as session:
        assert expected_wait(session, "general", False, now) == 60
        assert expected_wait(session, "general", True, now) == 30  # urgent: normal cases are not ahead


def test_older_history_gives_the_median_wait(world: World) -> None:
    for n, wait in enumerate((10, 20, 40)):
        _age(world, world.ask_person(f"user-30010{n}"), 600 + wait, 600)
    with Session(world.db) as session:
        assert expected_wait(session, "general", False, datetime.now(UTC)) == 20


def test_supervisor_numbers(world: World) -> None:
    world.team("general")
    sofia = world.worker("sofia", role="supervisor")
    waits = [5, 10, 15, 20, 100]
    for n, wait in enumerate(waits):
        _age(world, world.ask_person(f"user-30020{n}"), 200 + wait, 200)
    world.ask_person("user-300300", urgent=True)
    now = datetime.now(UTC)
    with Session(world.db) as session:
        stats = queue_stats(session, sofia, now - timedelta(days=30), now)
    assert (stats.open_cases, stats.urgent_open, stats.wait_samples) == (1, 1, 5)
    assert stats.median_wait_minutes is not None and abs(stats.median_wait_minutes - 15) < 0.01
    assert stats.p90_wait_minutes is not None and abs(stats.p90_wait_minutes - 68) < 0.01
    assert stats.per_outcome == (("resolved", 5),)
    assert stats.per_team == (("general", 1),)


def test_a_very_long_wait_is_not_promised_as_a_number(world: World) -> None:
    _age(world, world.ask_person("user-300400"), 50, 40)  # one claim in the last hour
    for n in range(4):
        world.ask_person(f"user-30041{n}")  # 4 ahead: 5 x 60 min > 4 hours
    with Session(world.db) as session:
        assert expected_wait(session, "general", False, datetime.now(UTC)) is None

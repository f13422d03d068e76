"""Unanswered questions: collected, redacted, grouped; the CSV cannot carry formulas."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.console.gaps import Gaps, Question, group_questions, questions_csv
from tests.handoff.world import World


def test_unanswered_questions_are_grouped_by_language_and_topic(world: World) -> None:
    world.say("user-8000001", "hola")
    world.say("user-8000001", "1")
    world.say("user-8000001", "algo raro sobre 3001234567")
    world.say("user-8000001", "otra cosa rara")
    world.say("user-8000001", "9")  # a wrong pick: left out
    questions = Gaps(world.db, world.protector).questions(datetime.now(UTC) - timedelta(days=1))
    assert sorted(q.text for q in questions) == ["algo raro sobre [number]", "otra cosa rara"]
    groups = group_questions(questions)
    assert [(g.lang, g.topic, g.count) for g in groups] == [("es", "out_of_scope", 2)]


def test_csv_quotes_formula_cells() -> None:
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    text = questions_csv([Question(now, "es", "health", 0.31, '=HYPERLINK("x")')])
    assert text.splitlines()[1] == '2026-11-24 12:00,es,health,0.31,"\'=HYPERLINK(""x"")"'

"""The condition language of flow files: parsing, the ids it reads, and evaluation."""

from __future__ import annotations

import pytest

from bot.flows.conditions import ConditionError, comparisons, evaluate, names_in, parse_condition


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("children > 0", {"children": 2}, True),
        ("children > 0", {"children": 0}, False),
        ("pregnant == yes", {"pregnant": True}, True),
        ("pregnant", {"pregnant": True}, True),
        ("pregnant", {"pregnant": None}, False),
        ('income != "enough"', {"income": "none"}, True),
        ('city not in ["cucuta", "villa_del_rosario"]', {"city": "bogota"}, True),
        ("city in ['cucuta']", {"city": "cucuta"}, True),
        ("a == yes and (b >= 2 or not c)", {"a": True, "b": 0, "c": False}, True),
        ("score >= 1 and income in ['none', 'not_enough']", {"score": 1, "income": "enough"}, False),
    ],
)
def test_conditions_evaluate(source: str, values: dict[str, object], expected: bool) -> None:
    assert evaluate(parse_condition(source), values) is expected  # type: ignore[arg-type]


def test_unanswered_questions_make_every_comparison_false() -> None:
    assert not evaluate(parse_condition('income != "enough"'), {})
    assert not evaluate(parse_condition("children < 3"), {"children": None})
    assert evaluate(parse_condition("not children > 0"), {})


def test_yes_is_not_one_and_text_is_not_a_number() -> None:
    assert not evaluate(parse_condition("older == 1"), {"older": True})
    assert not evaluate(parse_condition("income > 2"), {"income": "none"})


def test_names_and_comparisons_are_listed() -> None:
    condition = parse_condition('a > 1 and (b == "x" or c) and d in [1, 2]')
    assert names_in(condition) == {"a", "b", "c", "d"}
    assert set(comparisons(condition)) == {("a", 1), ("b", "x"), ("d", (1, 2))}


@pytest.mark.parametrize("source", ["children >", "a == yes and", "(a", "a not b", "3", "a == [1, b]", "a ? 1"])
def test_malformed_conditions_are_refused(source: str) -> None:
    with pytest.raises(ConditionError):
        parse_condition(source)

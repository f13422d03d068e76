"""Free-text answers in five languages: yes/no, numbers and words, ranges, cities, months ago."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.engine.ports import FlowAnswer, FlowReply
from bot.flows.answers import read_answer
from bot.flows.loader import load_flows
from bot.flows.numbers import parse_count
from bot.flows.schema import Flow, Question
from bot.flows.timeago import parse_months_ago

CONTENT = Path(__file__).resolve().parents[2] / "routes_content"
TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def cash() -> Flow:
    return load_flows(CONTENT)["cash_transfer_eligibility"]


def question(flow: Flow, question_id: str) -> Question:
    found = flow.question(question_id)
    assert found is not None
    return found


def answer(
    flow: Flow, question_id: str, text: str, lang: str = "es", city: str | None = None
) -> FlowAnswer | None:
    return read_answer(question(flow, question_id), FlowReply(text, lang, TODAY, city))


@pytest.mark.parametrize(
    "text", ["si", "sí", "Sí!", "siii", "claro", "yes", "wi", "sim", "oui", "1", "si tengo", "Wi wi"]
)
def test_yes_in_five_languages(cash: Flow, text: str) -> None:
    assert answer(cash, "older", text) == FlowAnswer(True)


@pytest.mark.parametrize("text", ["no", "No.", "nao", "não", "non", "2", "no tengo", "nadie", "okenn"])
def test_no_in_five_languages(cash: Flow, text: str) -> None:
    assert answer(cash, "older", text) == FlowAnswer(False)


def test_i_dont_know_is_not_no(cash: Flow) -> None:
    assert answer(cash, "older", "no sé") is None  # not skippable: asked again
    assert answer(cash, "pregnant", "no sé") == FlowAnswer(None)
    assert answer(cash, "pregnant", "prefiero no decir") == FlowAnswer(None)
    assert answer(cash, "pregnant", "m pa konnen", "ht") == FlowAnswer(None)
    assert answer(cash, "pregnant", "3") == FlowAnswer(None)
    assert answer(cash, "older", "3") is None  # no third option there


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [("4", "es", 4), ("tres", "es", 3), ("três", "pt", 3), ("trois", "fr", 3), ("twa", "ht", 3),
     ("three", "en", 3), ("somos 5", "es", 5), ("de moun", "ht", 2), ("veinte", "es", 20), ("dix-sept", "fr", 17)],
)  # fmt: skip
def test_numbers_as_digits_or_words(text: str, lang: str, expected: int) -> None:
    assert parse_count(text, lang) == expected


def test_numbers_out_of_range_or_ambiguous_are_asked_again(cash: Flow) -> None:
    assert answer(cash, "household_size", "0") is None
    assert answer(cash, "household_size", "25") is None
    assert answer(cash, "household_size", "3 o 4") is None
    assert answer(cash, "household_size", "muchos") is None
    assert answer(cash, "household_size", "twa", "ht") == FlowAnswer(3)
    assert answer(cash, "children", "ninguno") == FlowAnswer(0)
    assert answer(cash, "children", "no") == FlowAnswer(0)


@pytest.mark.parametrize(
    ("text", "lang", "months"),
    [("hace 3 meses", "es", 3), ("tres meses", "es", 3), ("2 años", "es", 24), ("un año y medio", "es", 18),
     ("1 año y 3 meses", "es", 15), ("marzo 2024", "es", 32), ("03/2024", "es", 32), ("15/03/2024", "es", 32),
     ("2024-03", "es", 32), ("ayer", "es", 0), ("6 semanas", "es", 0), ("twa mwa", "ht", 3), ("2 lane", "ht", 24),
     ("mas 2025", "ht", 20), ("il y a trois mois", "fr", 3), ("há dois anos", "pt", 24), ("2 years ago", "en", 24),
     ("en marzo", "es", 8)],
)  # fmt: skip
def test_months_ago_from_durations_and_dates(text: str, lang: str, months: int) -> None:
    assert parse_months_ago(text, lang, TODAY) == months


def test_unclear_or_future_times_are_asked_again(cash: Flow) -> None:
    assert answer(cash, "arrival", "3") is None  # months or years?
    assert answer(cash, "arrival", "2027") is None
    assert answer(cash, "arrival", "hace 60 años") is None  # above the range
    assert answer(cash, "arrival", "no sé") == FlowAnswer(None)


@pytest.mark.parametrize(
    ("text", "city", "expected"),
    [("1", None, "cucuta"), ("2", None, "villa_del_rosario"), ("3", None, "other"), ("cucta", None, "cucuta"),
     ("kukuta", None, "cucuta"), ("villa rosario", None, "villa_del_rosario"),
     ("vila del rosaryo", None, "villa_del_rosario"), ("otra", None, "other"), ("lòt vil", None, "other"),
     ("vivo en bogota", "bogota", "bogota")],
)  # fmt: skip
def test_cities_with_typos(cash: Flow, text: str, city: str | None, expected: str) -> None:
    assert answer(cash, "city", text, city=city) == FlowAnswer(expected)


def test_unknown_city_is_asked_again(cash: Flow) -> None:
    assert answer(cash, "city", "no se donde") is None


def test_choice_by_number_or_by_its_words(cash: Flow) -> None:
    assert answer(cash, "income", "3") == FlowAnswer("enough")
    assert answer(cash, "income", "4") is None
    assert answer(cash, "income", "no tenemos ingresos") == FlowAnswer("none")
    assert answer(cash, "income", "Pa gen okenn lajan k ap antre", "ht") == FlowAnswer("none")
    assert answer(cash, "income", "banana") is None


def test_choice_by_the_words_of_one_option_only() -> None:
    work = load_flows(CONTENT)["employability_profile"]
    assert answer(work, "document", "tengo ppt") == FlowAnswer("ppt")
    assert answer(work, "document", "cedula venezolana") is None  # not the Colombian one
    assert answer(work, "experience", "mas de 2 años") == FlowAnswer("over_2")
    assert answer(work, "education", "bachillerato") == FlowAnswer("secondary")

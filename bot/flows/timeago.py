"""How many whole months ago something happened: "hace 3 meses", "2 ans", "marzo 2024", "03/2024".

Durations ("un año y medio", "6 semanas") and dates (a month name or number with a year, or a
year alone) in es, en, pt, fr and ht; "today"/"yesterday" and days or weeks count as 0 months.
"""

from __future__ import annotations

import re
from datetime import date

from bot.engine.keywords import fold
from bot.flows.numbers import word_value

_UNITS: dict[str, int] = {
    **dict.fromkeys(("mes", "meses", "mois", "mwa", "month", "months"), 1),
    **dict.fromkeys(("ano", "anos", "an", "ans", "annee", "annees", "ane", "lane", "year", "years"),
                    12),
    **dict.fromkeys(("semana", "semanas", "semaine", "semaines", "semen", "week", "weeks"), 0),
    **dict.fromkeys(("dia", "dias", "jour", "jours", "jou", "day", "days"), 0),
}
_ONE = frozenset({"a", "an", "un", "una", "uno", "um", "uma", "une", "yon", "en"})
_HALF = frozenset({"medio", "media", "meio", "meia", "demi", "half", "mwatye", "edmi"})
_JUST_NOW = frozenset(
    {"hoy", "ayer", "today", "yesterday", "hoje", "ontem", "aujourd hui", "hier", "jodi a", "ye",
     "recien", "recien llegue", "acabo de llegar", "just arrived", "just now", "acabei de chegar",
     "je viens d arriver", "m fek rive", "mwen fek rive"}
)  # fmt: skip
_MONTHS: dict[str, int] = {}
for _names in (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "january february march april may june july august september october november december",
    "janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro",
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
    "janvye fevriye mas avril me jen jiye out septanm oktob novanm desanm",
    "ene feb mar abr may jun jul ago sep sept set oct nov dic jan apr aug dec",
):
    for _number, _name in enumerate(_names.split(), 1):
        _MONTHS.setdefault(_name, _number)
_ABBREVIATED = {"ene": 1, "feb": 2, "mar": 3, "abr": 4, "ago": 8, "sep": 9, "sept": 9, "set": 9,
                "oct": 10, "nov": 11, "dic": 12, "jan": 1, "apr": 4, "aug": 8, "dec": 12}  # fmt: skip
_MONTHS.update(_ABBREVIATED)
_ISO = re.compile(r"\b((?:19|20)\d\d)[-/.](\d{1,2})(?:[-/.]\d{1,2})?\b")
_NUMERIC = re.compile(r"\b(?:\d{1,2}[-/.])?(\d{1,2})[-/.]((?:19|20)\d\d)\b")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


def parse_months_ago(text: str, lang: str, today: date) -> int | None:
    """Whole months between then and ``today``; None when the answer gives no time (or a future one)."""
    folded = fold(text)
    if folded in _JUST_NOW or any(phrase in folded for phrase in _JUST_NOW if " " in phrase):
        return 0
    when = _date_in(text.lower(), folded, today)
    if when is not None:
        months = (today.year - when[0]) * 12 + (today.month - when[1])
        return months if months >= 0 else None
    return _duration(folded.split(), lang)


def _date_in(raw: str, folded: str, today: date) -> tuple[int, int] | None:
    """(year, month) of a written date; a month name alone is its last occurrence."""
    if (iso := _ISO.search(raw)) is not None:
        return _checked(int(iso.group(1)), int(iso.group(2)))
    if (numeric := _NUMERIC.search(raw)) is not None:
        return _checked(int(numeric.group(2)), int(numeric.group(1)))
    words = folded.split()
    month = next((_MONTHS[w] for w in words if w in _MONTHS and not _is_abbreviation_clash(w, words)), None)
    year_match = _YEAR.search(folded)
    if year_match is not None:
        return int(year_match.group(1)), month or 6  # a year alone: its middle
    if month is not None:
        return (today.year, month) if month <= today.month else (today.year - 1, month)
    return None


def _is_abbreviation_clash(word: str, words: list[str]) -> bool:
    # "set" (pt September) is 7 in Creole and "may"/"mar"/"me" are common words: only trust
    # an abbreviation or a short month name when a year follows it.
    return len(word) <= 3 and not any(_YEAR.fullmatch(w) for w in words)


def _checked(year: int, month: int) -> tuple[int, int] | None:
    return (year, month) if 1 <= month <= 12 else None


def _duration(words: list[str], lang: str) -> int | None:
    """Sum of "<number> <unit>" pairs, plus half a year for "y medio" after years."""
    total: int | None = None
    last_unit = 0
    for index, word in enumerate(words):
        if word in _HALF and last_unit == 12:
            total = (total or 0) + 6
            continue
        unit = _UNITS.get(word)
        if unit is None or index == 0:
            continue
        amount = _amount(words[index - 1], lang)
        if amount is None:
            continue
        total = (total or 0) + amount * unit
        last_unit = unit
    return total


def _amount(word: str, lang: str) -> int | None:
    if word.isdigit() and len(word) <= 3:
        return int(word)
    if word in _ONE:
        return 1
    # Another language's number words only when long enough not to be a common short word
    # ("de" is 2 in Creole but "of" in Spanish).
    return word_value(word, lang, len(word) >= 4)

"""Finding Colombian phone numbers in free text, so the checker can trace each to the directory.

Long numbers are recognised by shape (10-digit mobiles ``350 750 5351``, ``01 8000 ...`` toll-free
lines, ``60X`` landlines, 7-digit local numbers written with a separator). Three-digit short codes
(``123``, ``155``) look like any other number (``Ley 985``, ``180 días``), so they count only when
written as a number to call: next to a call word (``línea``, ``llama``, ``emergencia``, ``call``,
``rele``...), followed by a parenthesis (``122 (Fiscalía)``), opening a list item, or joined to
another number (``155 o 123``). A number followed by a unit (``180 días``) never counts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_LONG = re.compile(
    r"(?<![\w+])(?:\+?57[ -]?)?(?:"
    r"01[ -]?8000[ -]?\d{2,3}(?:[ -]?\d{2,4}){1,2}"  # 01 8000 918080, 01 8000 42 37 01
    r"|3\d{2}[ -]?\d{3}[ -]?\d{4}"  # mobiles: 350 750 5351
    r"|60\d[ -]?\d{3}[ -]?\d{4}"  # 10-digit landlines: 607 ...
    r"|[2-8]\d{2}[ -]\d{4}"  # 7-digit local numbers written with a separator
    r")(?![\w]|[.,]\d)"
)
_SHORT = re.compile(r"(?<![\w.,/#-])#?1\d{2}(?![\w]|[.,]\d|-\d)")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words (lowercase, without accents) that make a nearby three-digit number a number to call.
_CALL_WORDS = _word_set(
    """
    linea lineas line lines ligne lignes linha linhas liy
    llama llamar llame llamas llamen llamando marca marcar marque call calling dial phone
    appelle appeler appelez compose composez ligue ligar liga rele relew
    numero numeros number nimewo telefono telephone telefone telefon tel whatsapp
    emergencia emergencias emergency emergencies urgence urgences ijans
    peligro danger perigo danje fiscalia usa use utilise itilize sevi
    """
)
_JOINERS = _word_set("o or ou y and et e oswa ak / , al a el la le the")
_UNITS = _word_set(
    """
    dias days jours jou horas hours heures edtan personas people pessoas personnes moun
    km mil anos years ans ane meses months mois semanas weeks semaines victimas casos cases
    """
)
_WINDOW = 3


@dataclass(frozen=True)
class PhoneMention:
    """A phone number found in a text: as written, and its digits."""

    text: str
    digits: str


def digits_of(number: str) -> str:
    """The dialled digits, without a leading +57 country code on long numbers."""
    digits = re.sub(r"\D", "", number)
    if len(digits) == 12 and digits.startswith("57"):
        return digits[2:]
    return digits


def find_phones(text: str) -> list[PhoneMention]:
    """Every phone number written in ``text`` (see the module docstring for the rules)."""
    accepted = [(m.start(), m.end()) for m in _LONG.finditer(text)]
    candidates = [
        (m.start(), m.end())
        for m in _SHORT.finditer(text)
        if not any(start <= m.start() < end for start, end in accepted)
    ]
    pending: list[tuple[int, int]] = []
    for span in (c for c in candidates if not _UNITS.intersection(_words(text[c[1] :])[:1])):
        (accepted if _is_call_context(text, *span) else pending).append(span)
    grew = True
    while grew:  # "155 o 123": a short code joined to an accepted number is one too
        grew = False
        for span in list(pending):
            if any(_is_joined(text, span, other) for other in accepted):
                accepted.append(span)
                pending.remove(span)
                grew = True
    return [PhoneMention(text[s:e], digits_of(text[s:e])) for s, e in sorted(accepted)]


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.findall(r"[a-z]+|\d+|/|,", plain)


def _is_call_context(text: str, start: int, end: int) -> bool:
    before = _words(text[:start])[-_WINDOW:]
    after = _words(text[end:])[:1]
    if _CALL_WORDS.intersection(before) or _CALL_WORDS.intersection(after):
        return True
    if re.match(r"\s*\((?!\d)", text[end:]):  # "122 (Fiscalía)", "123 (gratis, 24 horas)"
        return True
    line_start = text.rfind("\n", 0, start) + 1
    return re.fullmatch(r"\s*(?:[-*•·]|\d+[.)])?\s*\*?", text[line_start:start]) is not None


def _is_joined(text: str, span: tuple[int, int], other: tuple[int, int]) -> bool:
    gap = text[other[1] : span[0]] if other[1] <= span[0] else text[span[1] : other[0]]
    words = _words(gap)
    return len(gap) <= 10 and bool(words) and set(words) <= _JOINERS

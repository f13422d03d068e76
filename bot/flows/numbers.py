"""Whole numbers written as digits or words in es, en, pt, fr and ht: "4", "tres", "três", "twa".

Words are read in the person's language first; the other languages' words count only when
the whole answer is that one word, because short words collide ("de" is 2 in Creole and "of"
in Spanish, "en" is 1 in Creole and "in" in French).
"""

from __future__ import annotations

import re

from bot.engine.keywords import fold

_WORDS: dict[str, str] = {
    "es": "cero:0 un:1 uno:1 una:1 dos:2 tres:3 cuatro:4 cinco:5 seis:6 siete:7 ocho:8 nueve:9 "
    "diez:10 once:11 doce:12 trece:13 catorce:14 quince:15 dieciseis:16 diecisiete:17 "
    "dieciocho:18 diecinueve:19 veinte:20 treinta:30 cuarenta:40 cincuenta:50",
    "en": "zero:0 one:1 two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9 ten:10 "
    "eleven:11 twelve:12 thirteen:13 fourteen:14 fifteen:15 sixteen:16 seventeen:17 "
    "eighteen:18 nineteen:19 twenty:20 thirty:30 forty:40 fifty:50",
    "pt": "zero:0 um:1 uma:1 dois:2 duas:2 tres:3 quatro:4 cinco:5 seis:6 sete:7 oito:8 nove:9 "
    "dez:10 onze:11 doze:12 treze:13 catorze:14 quatorze:14 quinze:15 dezesseis:16 "
    "dezasseis:16 dezessete:17 dezassete:17 dezoito:18 dezenove:19 dezanove:19 vinte:20 "
    "trinta:30 quarenta:40 cinquenta:50",
    "fr": "zero:0 un:1 une:1 deux:2 trois:3 quatre:4 cinq:5 six:6 sept:7 huit:8 neuf:9 dix:10 "
    "onze:11 douze:12 treize:13 quatorze:14 quinze:15 seize:16 vingt:20 trente:30 "
    "quarante:40 cinquante:50",
    "ht": "zewo:0 en:1 youn:1 yon:1 de:2 twa:3 kat:4 senk:5 sis:6 set:7 uit:8 wit:8 nef:9 dis:10 "
    "onz:11 douz:12 trez:13 katoz:14 kenz:15 sez:16 diset:17 dizwit:18 diznef:19 ven:20 "
    "trant:30 karant:40 senkant:50",
}
NUMBER_WORDS: dict[str, dict[str, int]] = {
    lang: {word: int(value) for word, value in (pair.split(":") for pair in table.split())}
    for lang, table in _WORDS.items()
}
ZERO_WORDS = frozenset(
    {"ninguno", "ninguna", "ningun", "nadie", "none", "nobody", "no one", "nenhum", "nenhuma",
     "ninguem", "aucun", "aucune", "okenn", "pesonn", "pa gen", "pa genyen", "no hay"}
)  # fmt: skip
_JOINERS = frozenset({"y", "e", "and", "et"})
_TENS = frozenset({20, 30, 40, 50})
_DIGITS = re.compile(r"^\d{1,4}$")


def word_value(word: str, lang: str, alone: bool) -> int | None:
    """The number a single folded word stands for in ``lang`` (any language when ``alone``)."""
    value = NUMBER_WORDS.get(lang, {}).get(word)
    if value is None and alone:
        value = next((table[word] for table in NUMBER_WORDS.values() if word in table), None)
    return value


def numbers_in(text: str, lang: str) -> list[int]:
    """Every number a message mentions, in order ("veinte y dos" -> [22], "3 o 4" -> [3, 4])."""
    words = fold(text.replace("-", " ")).split()
    alone = len(words) == 1
    found: list[int] = []
    for index, word in enumerate(words):
        value = int(word) if _DIGITS.match(word) else word_value(word, lang, alone)
        if value is None:
            continue
        after_joiner = index >= 2 and words[index - 1] in _JOINERS
        previous = index - 2 if after_joiner else index - 1
        if found and previous >= 0 and _joins(found[-1], value) and _was_number(words[previous], lang):
            found[-1] += value  # "vingt deux", "twenty two", "vinte e dois", "dix sept"
        else:
            found.append(value)
    return found


def parse_count(text: str, lang: str) -> int | None:
    """The one number an answer gives; None when there is none or several different ones."""
    folded = fold(text)
    if folded in ZERO_WORDS or any(folded.startswith(f"{word} ") for word in ZERO_WORDS):
        return 0
    found = set(numbers_in(text, lang))
    return found.pop() if len(found) == 1 else None


def _joins(tens: int, unit: int) -> bool:
    return (tens in _TENS and 1 <= unit <= 9) or (tens == 10 and 7 <= unit <= 9)


def _was_number(word: str, lang: str) -> bool:
    return bool(_DIGITS.match(word)) or word_value(word, lang, False) is not None

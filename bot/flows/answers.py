"""Free-text answers understood: yes/no in five languages, numbers, options, cities, months ago.

``read_answer`` returns a ``FlowAnswer`` (its value may be None for "I prefer not to say") or
None when the text does not answer the question, so the question is asked again.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from bot.engine.keywords import fold
from bot.engine.ports import FlowAnswer as Answer
from bot.engine.ports import FlowReply as Reply
from bot.flows.numbers import ZERO_WORDS, parse_count
from bot.flows.schema import Question
from bot.flows.timeago import parse_months_ago

YES_NO_KEYS: tuple[str, ...] = ("yes", "no", "skip")
"""The numbered answers of a yes/no question, in order ("skip" only when skippable)."""
CITY_KEYS: tuple[str, ...] = ("cucuta", "villa_del_rosario", "other")
"""The numbered answers of a city question, in order."""

YES = frozenset(
    {"si", "claro", "yes", "yeah", "yep", "yup", "wi", "sim", "oui", "ouais", "ok", "okay", "dale",
     "correcto", "exacto", "afirmativo", "cierto", "seguro", "sure", "certo", "exato", "bien sur",
     "asi es", "por supuesto", "of course", "com certeza", "wi wi", "se sa", "dakò", "dako", "sip"}
)  # fmt: skip
NO = frozenset(
    {"no", "nao", "non", "nope", "nop", "nah", "negativo", "nunca", "never", "jamais", "not",
     "ninguno", "ninguna", "nadie", "nobody", "nenhum", "nenhuma", "ninguem", "aucun", "aucune",
     "okenn", "pesonn", "pa gen", "pa genyen", "no hay", "no tengo", "non pa", "non mesi"}
)  # fmt: skip
SKIP = frozenset(
    {"prefiero no decir", "prefiero no responder", "prefiero no contestar", "no quiero decir",
     "no quiero responder", "no se", "nose", "no lo se", "ni idea", "no sabria", "prefer not",
     "prefer not to say", "i prefer not to say", "rather not", "dont know", "don t know",
     "i don t know", "idk", "not sure", "nao sei", "prefiro nao dizer", "prefiro nao responder",
     "je ne sais pas", "je sais pas", "sais pas", "je prefere ne pas dire", "je prefere ne pas repondre",
     "prefere ne pas", "mwen pa konnen", "m pa konnen", "pa konnen", "m pa konn", "mwen pa konn",
     "mwen pa vle di", "m pa vle di", "mwen pa vle reponn", "m pa vle reponn", "pase", "saltar",
     "skip", "pular", "passer", "omitir"}
)  # fmt: skip
OTHER_CITY = frozenset(
    {"otra", "otro", "otra ciudad", "other", "another", "another city", "outra", "outro",
     "outra cidade", "autre", "autre ville", "lot", "lot vil", "yon lot vil", "lot kote"}
)  # fmt: skip
# A fallback for when the NLU's city entity found nothing (the NLU knows many more cities).
_CITY_NAMES = {"cucuta": "cucuta", "kukuta": "cucuta", "villa del rosario": "villa_del_rosario",
               "villa rosario": "villa_del_rosario", "la parada": "villa_del_rosario",
               "villa": "villa_del_rosario"}  # fmt: skip
_FILLER = frozenset(
    {"tengo", "tenemos", "tiene", "tienes", "soy", "estoy", "con", "una", "uno", "los", "las", "del",
     "que", "para", "por", "pues", "bueno", "creo", "have", "has", "the", "and", "with", "tenho",
     "temos", "tem", "sou", "estou", "com", "suis", "avec", "mwen", "gen", "genyen"}
)  # fmt: skip
_REPEATS = re.compile(r"(\w)\1+")
_FUZZY_CHOICE = 88.0
_FUZZY_CITY = 80.0


def read_answer(question: Question, reply: Reply) -> Answer | None:
    """The answer the reply gives to ``question``, or None when it gives none."""
    folded = fold(reply.text)
    if not folded:
        return None
    if question.skippable and _is_skip(folded):
        return Answer(None)
    readers = {
        "yes_no": lambda: _yes_no(question, folded),
        "number": lambda: _number(question, reply),
        "months_ago": lambda: _months(question, reply),
        "choice": lambda: _choice(question, folded),
        "city": lambda: _city(folded, reply.city),
    }
    return readers[question.kind]()


def option_keys(question: Question) -> tuple[str, ...]:
    """The keys behind the numbered answers shown for ``question`` (empty for free answers)."""
    if question.kind == "yes_no":
        return YES_NO_KEYS if question.skippable else YES_NO_KEYS[:2]
    if question.kind == "city":
        return CITY_KEYS
    return tuple(option.id for option in question.options)


def parse_yes_no(folded: str) -> bool | None:
    """True, False or None (neither) from the start of a folded answer ("si tengo" -> True)."""
    words = folded.split()
    heads = [" ".join(words[:2]), words[0], _REPEATS.sub(r"\1", words[0])]
    for head in heads:
        if head in YES:
            return True
        if head in NO:
            return False
    return None


def _is_skip(folded: str) -> bool:
    return folded in SKIP or any(folded.startswith(f"{phrase} ") for phrase in SKIP if " " in phrase)


def _pick(folded: str, count: int) -> int | None:
    """A 1-based option number when the whole answer is one ("2", "#2", "2.")."""
    match = re.fullmatch(r"(?:n|no|numero|opcion|option|opcao|opsyon)?\s*(\d{1,2})", folded)
    number = int(match.group(1)) if match else None
    return number if number is not None and 1 <= number <= count else None


def _yes_no(question: Question, folded: str) -> Answer | None:
    keys = option_keys(question)
    if (number := _pick(folded, len(keys))) is not None:
        key = keys[number - 1]
        return Answer(None if key == "skip" else key == "yes")
    if _is_skip(folded):
        return None  # "no sé" is not "no"
    value = parse_yes_no(folded)
    return None if value is None else Answer(value)


def _number(question: Question, reply: Reply) -> Answer | None:
    value = parse_count(reply.text, reply.lang)
    folded = fold(reply.text)
    if value is None and question.minimum == 0 and (parse_yes_no(folded) is False or folded in ZERO_WORDS):
        value = 0  # "¿cuántos niños?" - "no"
    return _in_range(question, value)


def _months(question: Question, reply: Reply) -> Answer | None:
    return _in_range(question, parse_months_ago(reply.text, reply.lang, reply.today))


def _in_range(question: Question, value: int | None) -> Answer | None:
    if value is None:
        return None
    low = question.minimum if question.minimum is not None else value
    high = question.maximum if question.maximum is not None else value
    return Answer(value) if low <= value <= high else None


def _choice(question: Question, folded: str) -> Answer | None:
    if (number := _pick(folded, len(question.options))) is not None:
        return Answer(question.options[number - 1].id)
    if (by_words := _choice_by_words(question, folded)) is not None:
        return Answer(by_words)
    labels = {
        fold(text): option.id for option in question.options for text in option.text.texts.values()
    }
    found = process.extract(folded, list(labels), scorer=fuzz.WRatio, limit=2)
    if not found or found[0][1] < _FUZZY_CHOICE:
        return None
    best = labels[found[0][0]]
    runner_up = labels[found[1][0]] if len(found) > 1 else best
    if runner_up != best and found[1][1] > found[0][1] - 5:
        return None  # two options fit about as well: ask again rather than guess
    return Answer(best)


def _choice_by_words(question: Question, folded: str) -> str | None:
    """The one option whose label (in any language) holds every word the answer means."""
    words = {word for word in folded.split() if len(word) >= 3 and word not in _FILLER}
    if not words:
        return None
    matches = [
        option.id
        for option in question.options
        if words <= {w for text in option.text.texts.values() for w in fold(text).split()}
    ]
    return matches[0] if len(matches) == 1 else None


def _city(folded: str, hint: str | None) -> Answer | None:
    if (number := _pick(folded, len(CITY_KEYS))) is not None:
        return Answer(CITY_KEYS[number - 1])
    if hint is not None:
        return Answer(hint)
    if folded in OTHER_CITY:
        return Answer("other")
    match = process.extractOne(folded, list(_CITY_NAMES), scorer=fuzz.WRatio, score_cutoff=_FUZZY_CITY)
    return Answer(_CITY_NAMES[match[0]]) if match else None

"""Redaction of what people wrote before content editors read it: numbers, e-mails, names.

    e-mail addresses                         -> [email]
    web links                                -> [link]
    letters + 5 or more digits (V-12345678)  -> [document]
    6 or more digits, spaces/dots/dashes     -> [number]   (phones, document numbers)
    the words after "me llamo", "my name is", "mwen rele"... (3 at most)      -> [name]
    a capitalised word after "soy", "I am", "je suis"...                      -> [name]
    two or more capitalised words in a row that are not known places          -> [name]

It errs on the side of hiding: a lowercase name with no cue ("mi esposo juan") is not caught,
which is why the supervisor page is itself behind a login and never public.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_DOCUMENT = re.compile(r"\b[A-Za-z]{1,3}[-.\s]?\d(?:[\d.]*\d){4,}\b")
_NUMBER = re.compile(r"\+?\d(?:[\s.\-()]*\d){5,}")
_STRONG_CUES = (
    r"me llamo|mi nombre es|my name is|me chamo|meu nome [eé]|je m'appelle|je m’appelle|"
    r"mon nom est|mwen rele|non mwen se|[mn]y name's"
)
_WEAK_CUES = r"soy|i am|i'm|sou|je suis|mwen se"
_STOP = r"(?:y|e|et|and|tengo|i|je|eu|mwen|de|from|del|da|du|que)"
_WORD = r"[^\W\d_][\w'’-]*"
_NAME_WORD = rf"(?!{_STOP}\b){_WORD}"
_AFTER_STRONG = re.compile(
    rf"(?P<cue>\b(?:{_STRONG_CUES})\b[\s:]*)(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})",
    re.IGNORECASE,
)
_UPPER = "A-ZÁÉÍÓÚÑÇÈ"
_LOWER = "a-záéíóúñçèêôûàâîï'’-"
_AFTER_WEAK = re.compile(rf"(?P<cue>\b(?:{_WEAK_CUES})\s+)(?P<name>[{_UPPER}][\w'’-]+)", re.IGNORECASE)
_CAPITALISED_RUN = re.compile(
    rf"(?<![.!?¿¡]\s)(?<!^)\b([{_UPPER}][{_LOWER}]+(?:\s+[{_UPPER}][{_LOWER}]+)+)"
)
KNOWN_WORDS = frozenset(
    {
        "cúcuta", "cucuta", "villa", "rosario", "norte", "santander", "colombia", "venezuela",
        "bogotá", "bogota", "los", "patios", "la", "parada", "el", "del", "san", "antonio",
        "táchira", "tachira", "migración", "migracion", "icbf", "sena", "cruz", "roja", "medicina",
        "legal", "haití", "haiti", "ecuador", "perú", "peru", "chile", "brasil", "brazil", "panamá",
        "sisben", "eps", "ppt", "pep", "rumv", "etpv", "acnur", "unhcr", "oim", "iom", "unicef",
        "defensoría", "defensoria", "pueblo", "fiscalía", "fiscalia", "comisaría", "comisaria",
        "familia", "personería", "personeria", "hospital", "erasmo", "meoz", "puente", "simón",
        "simon", "bolívar", "bolivar", "francisco", "paula", "de", "y", "venezuelan",
        "venezolano", "venezolana", "venezuelano", "venezuelana", "vénézuélien", "vénézuélienne",
        "colombian", "colombiano", "colombiana", "colombien", "colombienne", "haitian", "haitiano",
        "haitiana", "haïtien", "haïtienne", "ayisyen", "venezyelyen",
    }
)


def redact(text: str) -> str:
    """``text`` with contact details, document numbers and likely names replaced by markers."""
    text = _EMAIL.sub("[email]", text)
    text = _LINK.sub("[link]", text)
    text = _DOCUMENT.sub(_document, text)
    text = _NUMBER.sub("[number]", text)
    text = _AFTER_STRONG.sub(lambda m: f"{m['cue']}[name]", text)
    text = _AFTER_WEAK.sub(_weak_name, text)
    return _CAPITALISED_RUN.sub(_name_run, text)


def _document(found: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in found.group())
    return "[document]" if digits >= 5 else found.group()


def _weak_name(found: re.Match[str]) -> str:
    name = found["name"]
    if not name[0].isupper() or name.lower() in KNOWN_WORDS:
        return found.group()
    return f"{found['cue']}[name]"


def _name_run(found: re.Match[str]) -> str:
    words = found.group(1).split()
    if all(word.lower() in KNOWN_WORDS for word in words):
        return found.group()
    return "[name]"

"""Text normalisation shared by every NLU component: folding, placeholders and elongation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_URL = re.compile(r"(?:https?://|www\.)\S+|\b\S+\.(?:com|net|org|co|ly|io|me|xyz|info)(?:/\S*)?\b")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_ELONGATED = re.compile(r"([^\dk])\1{2,}")  # "k" is spared: "kkk" is laughter
# Laughter says something about the language ("jaja" es, "kkk"/"rsrs" pt, "mdr" fr, "haha"):
# each kind is written one way before elongation squeezing would reduce "kkkk" to "k".
_LAUGHTER = (
    (re.compile(r"\b(?:j+[aeiou]+){2,}j*\b"), "jaja"),
    (re.compile(r"\b(?:h+[aeiou]+){2,}h*\b"), "haha"),
    (re.compile(r"\bk{3,}\b"), "kkk"),
    (re.compile(r"\b(?:rs){2,}r?\b"), "rsrs"),
    (re.compile(r"\b(?:mdr+|ptdr+)\b"), "mdr"),
)
_LAUGH = re.compile(r"\b(?:jaja|haha|kkk|rsrs|mdr|lol|xd)\b")
# Emoji modifiers (skin tones, variation selectors, zero-width joiner) carry no meaning here.
_EMOJI_NOISE = re.compile("[\U0001f3fb-\U0001f3ff\ufe0e\ufe0f\u200d]")
_EMOJI = re.compile("([\U0001f000-\U0001faff\u2600-\u27bf])")
_NOT_WORD = re.compile(r"[^\w\s\U0001f000-\U0001faff\u2600-\u27bf]")
_SPACES = re.compile(r"\s+")

URL_TOKEN = "urltoken"
EMAIL_TOKEN = "emailtoken"
NUMBER_TOKEN = "0"
LAUGH_TOKEN = "jaja"


def strip_accents(text: str) -> str:
    """Remove combining marks: "Cúcuta" -> "Cucuta", "ñ" -> "n"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def squeeze_elongation(text: str) -> str:
    """Collapse a letter typed three or more times in a row: "ayudaaaa" -> "ayuda"."""
    return _ELONGATED.sub(r"\1", text)


def base_clean(text: str) -> str:
    """Lower-case, placeholder URLs/e-mails, squeeze elongation, drop punctuation (keeps accents)."""
    text = _EMOJI_NOISE.sub("", text.lower())
    text = _URL.sub(f" {URL_TOKEN} ", text)
    text = _EMAIL.sub(f" {EMAIL_TOKEN} ", text)
    for pattern, canonical in _LAUGHTER:
        text = pattern.sub(canonical, text)
    text = squeeze_elongation(text)
    text = _NOT_WORD.sub(" ", text).replace("_", " ")
    text = _EMOJI.sub(r" \1 ", text)
    return _SPACES.sub(" ", text).strip()


def placeholders(plain: str) -> str:
    """Numbers and laughter ("jajaja", "kkkk", "haha") as placeholder tokens."""
    text = _NUMBER.sub(f" {NUMBER_TOKEN} ", plain)
    text = _LAUGH.sub(LAUGH_TOKEN, text)
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """The intent view of a text: lower-case, no accents, numbers and laughter as placeholders."""
    return placeholders(strip_accents(base_clean(text)))


def fold_keep_numbers(text: str) -> str:
    """Like :func:`fold` but digits stay as typed (for entity extraction)."""
    return strip_accents(base_clean(text))


@dataclass(frozen=True)
class Views:
    """The normalised forms of one message's bounded window, computed once per prediction."""

    clean: str
    """Lower-case, placeholders for URLs, no punctuation; accents kept (language id)."""
    plain: str
    """``clean`` without accents, digits as typed (entities)."""
    folded: str
    """``plain`` with number and laughter placeholders (intent and urgency)."""

    @classmethod
    def of(cls, text: str) -> Views:
        clean = base_clean(bound(text))
        plain = strip_accents(clean)
        return cls(clean, plain, placeholders(plain))


HEAD = 600
TAIL = 300


def bound(text: str, head: int = HEAD, tail: int = TAIL) -> str:
    """A bounded window of a long text: its beginning and its end, where people put the point."""
    if len(text) <= head + tail:
        return text
    return f"{text[:head]} {text[-tail:]}"

"""Feature analyzers: the character and word n-grams each model reads from a message."""

from __future__ import annotations

from itertools import pairwise

from nlu.normalize import Views, strip_accents


def char_wb_ngrams(words: list[str], min_n: int, max_n: int) -> list[str]:
    """Character n-grams inside word boundaries, each word padded with spaces (like char_wb)."""
    grams: list[str] = []
    for word in words:
        padded = f" {word} "
        size = len(padded)
        for n in range(min_n, max_n + 1):
            if n > size:
                if n == min_n:
                    grams.append(padded)
                break
            grams.extend(padded[i : i + n] for i in range(size - n + 1))
    return grams


def word_ngrams(words: list[str]) -> list[str]:
    """Word unigrams and bigrams, prefixed so they never collide with character n-grams."""
    grams = [f"w:{w}" for w in words]
    grams.extend(f"b:{a} {b}" for a, b in pairwise(words))
    return grams


def intent_grams(views: Views) -> list[str]:
    """Folded char_wb 2-5 plus word 1-2 grams: the intent and urgency models' features."""
    words = views.folded.split()
    return char_wb_ngrams(words, 2, 5) + word_ngrams(words)


def language_grams(views: Views) -> list[str]:
    """Accents kept, char_wb 1-4 plus folded words, no digits: the language model's features."""
    words = [w for w in views.clean.split() if not w.isdigit()]
    grams = [g for g in char_wb_ngrams(words, 1, 4) if g != " "]
    return grams + [f"w:{strip_accents(w)}" for w in words]


def intent_features(text: str) -> list[str]:
    """Analyzer for training: :func:`intent_grams` of a raw text."""
    return intent_grams(Views.of(text))


def language_features(text: str) -> list[str]:
    """Analyzer for training: :func:`language_grams` of a raw text."""
    return language_grams(Views.of(text))

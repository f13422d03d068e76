"""Fuzzy matching of key terms: a misspelt word the model never saw counts as the term it resembles."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from nlu.linear import Vectorizer

_MIN_LENGTH = 4
_CUTOFF = 85.0
_MAX_WORDS = 40


@dataclass(frozen=True)
class KeyTerms:
    """The words that weigh most in the intent model ("desalojo", "refugio", "vacuna", ...).

    Character n-grams already absorb most typos; this adds the word feature of the nearest key
    term for an unknown word ("desalojaron" is known, "desalogo" becomes "desalojo").
    """

    terms: tuple[str, ...]

    def grams(self, words: list[str], vectorizer: Vectorizer) -> list[str]:
        """Word features of the key terms that unknown words resemble."""
        vocabulary = vectorizer.vocabulary
        unknown = [
            w for w in dict.fromkeys(words) if len(w) >= _MIN_LENGTH and w.isalpha() and f"w:{w}" not in vocabulary
        ][:_MAX_WORDS]
        if not unknown or not self.terms:
            return []
        scores = process.cdist(unknown, self.terms, scorer=fuzz.ratio, score_cutoff=_CUTOFF)
        best = scores.argmax(axis=1)
        return [f"w:{self.terms[column]}" for row, column in enumerate(best.tolist()) if scores[row, column] > 0]

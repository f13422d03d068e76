"""Language identification for short, informal messages, with the user's language as a prior."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nlu.features import language_grams
from nlu.linear import LinearHead, Vectorizer, softmax
from nlu.normalize import Views

# How much more likely the user's current language is, a priori, than any other; short
# messages ("ok", "PPT", "gracias" typed by a Portuguese speaker) lean on it harder.
_PRIOR_SHORT = 6.0
_PRIOR_LONG = 2.0
_SHORT_WORDS = 3


@dataclass(frozen=True)
class LanguageIdentifier:
    """A character n-gram classifier over the five languages, trained from the NLU data."""

    vectorizer: Vectorizer
    head: LinearHead
    neutral_words: frozenset[str]
    """Words seen in most languages' data (PPT, SISBEN, ok, whatsapp): they say nothing."""
    default: str

    def probabilities(self, views: Views, current: str | None = None) -> dict[str, float]:
        """P(language | text), with the current language as a prior when given."""
        probs = softmax(self.head.decision(self.vectorizer.transform(language_grams(views))))
        if current in self.head.classes:
            boost = _PRIOR_SHORT if len(views.clean.split()) <= _SHORT_WORDS else _PRIOR_LONG
            probs = probs * np.where(np.array(self.head.classes) == current, boost, 1.0)
            probs = probs / probs.sum()
        return {lang: float(p) for lang, p in zip(self.head.classes, probs, strict=True)}

    def identify(self, views: Views, current: str | None = None) -> str:
        """The language of a message; the current (or default) one when the text says nothing."""
        fallback = current if current in self.head.classes else self.default
        if not self.has_signal(views):
            return fallback
        probs = self.probabilities(views, current)
        return max(probs, key=lambda lang: probs[lang])

    def has_signal(self, views: Views) -> bool:
        """Whether a message holds any word that tells languages apart."""
        return any(w.isalpha() and w not in self.neutral_words for w in views.plain.split())

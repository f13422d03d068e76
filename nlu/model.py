"""The trained NLU model: every component in one picklable bundle, and how it predicts."""

from __future__ import annotations

from dataclasses import dataclass

from nlu.entities import CityMatcher, extract_entities
from nlu.features import intent_grams
from nlu.intents import IntentClassifier
from nlu.language import LanguageIdentifier
from nlu.linear import SparseVector, Vectorizer
from nlu.normalize import Views
from nlu.spelling import KeyTerms
from nlu.types import Prediction
from nlu.urgency import UrgencyDetector

ALTERNATIVES = 3


@dataclass(frozen=True)
class TrainingReport:
    """What a training run used and how long it took."""

    counts: dict[str, dict[str, int]]
    """Examples per intent and language."""
    urgent: int
    seconds: float
    warnings: tuple[str, ...] = ()

    @property
    def examples(self) -> int:
        return sum(sum(by_lang.values()) for by_lang in self.counts.values())

    @property
    def languages(self) -> list[str]:
        return sorted({lang for by_lang in self.counts.values() for lang in by_lang})


@dataclass(frozen=True)
class NluModel:
    """Language id, intent classifier, urgency detector and entity matchers, trained together."""

    fingerprint: str
    vectorizer: Vectorizer
    intents: IntentClassifier
    key_terms: KeyTerms
    urgency: UrgencyDetector
    language: LanguageIdentifier
    cities: CityMatcher
    report: TrainingReport

    def predict(self, text: str, lang: str | None = None) -> Prediction:
        """Understand one message (``lang`` is the user's current language, if known)."""
        return self.prediction(text, lang, ranked=None)

    def vectorize(self, views: Views) -> SparseVector:
        """The shared TF-IDF vector of the intent and urgency models (key terms fuzzily added)."""
        grams = intent_grams(views)
        grams += self.key_terms.grams(views.folded.split(), self.vectorizer)
        return self.vectorizer.transform(grams)

    def prediction(self, text: str, lang: str | None, ranked: list[tuple[str, float]] | None) -> Prediction:
        """A Prediction with our language, urgency and entities, and the intent ranking given
        (a Rasa server's) or our own when None."""
        views = Views.of(text)
        vector = self.vectorize(views)
        ranked = ranked or self.intents.rank(vector)
        intent, confidence = ranked[0]
        return Prediction(
            intent=intent,
            confidence=round(confidence, 4),
            lang=self.language.identify(views, lang),
            urgent=self.urgency.is_urgent(text, views, vector),
            alternatives=tuple((i, round(p, 4)) for i, p in ranked[1 : 1 + ALTERNATIVES]),
            entities=extract_entities(views, self.cities),
        )

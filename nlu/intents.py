"""Intent classification: a calibrated linear model over character and word n-grams."""

from __future__ import annotations

from dataclasses import dataclass

from nlu.linear import LinearHead, SparseVector, softmax

OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class IntentClassifier:
    """Ranks intents for a message; unknown-looking text goes to out_of_scope.

    ``temperature`` calibrates the softmax confidence (fitted on held-out folds);
    ``min_coverage`` is the share of known n-grams below which a message is treated as noise
    ("asdfgh", another alphabet) rather than forced into a topic.
    """

    head: LinearHead
    temperature: float
    min_coverage: float

    def rank(self, vector: SparseVector) -> list[tuple[str, float]]:
        """All intents with calibrated probabilities, most likely first."""
        probs = softmax(self.head.decision(vector), self.temperature)
        ranked = sorted(zip(self.head.classes, probs.tolist(), strict=True), key=lambda p: -p[1])
        if vector.coverage < self.min_coverage:
            return [(OUT_OF_SCOPE, 1.0 - vector.coverage)] + [
                (i, p * vector.coverage) for i, p in ranked if i != OUT_OF_SCOPE
            ]
        return ranked

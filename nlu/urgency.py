"""Urgent-risk detection: recall first, a classifier on the urgent flag OR high-recall patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlu.linear import LinearHead, SparseVector, sigmoid
from nlu.normalize import HEAD, TAIL, Views, bound, fold
from nlu.urgent_patterns import compile_patterns

WIDE_WINDOW = (3000, 1000)

Compiled = tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]


def _patterns() -> Compiled:
    return compile_patterns()


@dataclass(frozen=True)
class UrgencyDetector:
    """Flags immediate danger to life or safety.

    A missed urgent message is the worst error; a false alarm only adds a line of emergency
    numbers to the answer. The patterns (nlu.urgent_patterns) carry most of the recall; the
    classifier adds what they miss, with ``threshold`` set on held-out folds to flag about 1% of
    non-urgent messages. Guards against hyperbole and danger that is over apply to both.
    """

    head: LinearHead
    threshold: float
    _compiled: Compiled = field(default_factory=_patterns, repr=False, compare=False)

    def probability(self, vector: SparseVector) -> float:
        """The classifier's probability that the message is urgent."""
        return sigmoid(float(self.head.decision(vector)[0]))

    def matches_pattern(self, folded: str) -> bool:
        """Whether folded text uses a known wording of immediate danger, hyperbole blanked out."""
        danger, (hyperbole, *_) = self._compiled
        text = hyperbole.sub(" ", folded)
        return any(p.search(text) for p in danger) and not self._is_over(text)

    def is_urgent(self, text: str, views: Views, vector: SparseVector) -> bool:
        """Classifier OR patterns: either one is enough."""
        _, (hyperbole, *_) = self._compiled
        folded = views.folded
        flagged = self.probability(vector) >= self.threshold
        if flagged and hyperbole.search(folded) is None and not self._is_over(folded):
            return True
        # Danger wording can sit in the middle of a long story: look at a wider window.
        wide = folded if len(text) <= HEAD + TAIL else fold(bound(text, *WIDE_WINDOW))
        return self.matches_pattern(wide)

    def _is_over(self, folded: str) -> bool:
        """Whether the text says the danger is over, in the past, or a fear of being sent back."""
        _, (_, resolved, past, now, back) = self._compiled
        if resolved.search(folded) or back.search(folded):
            return True
        return past.search(folded) is not None and now.search(folded) is None

    def __getstate__(self) -> dict[str, object]:
        # Compiled regexes are rebuilt from the source on load, so a cached model always uses
        # the patterns of the running code.
        return {"head": self.head, "threshold": self.threshold}

    def __setstate__(self, state: dict[str, object]) -> None:
        object.__setattr__(self, "head", state["head"])
        object.__setattr__(self, "threshold", state["threshold"])
        object.__setattr__(self, "_compiled", _patterns())

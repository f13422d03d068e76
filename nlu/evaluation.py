"""Evaluation on labelled JSONL (text, intent, urgent, lang): the figures the targets are set on."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from nlu.types import Prediction

OUT_OF_SCOPE = "out_of_scope"
_WARM_UP = 20
_SHORT_WORDS = 3


class Predictor(Protocol):
    def predict(self, text: str, lang: str | None = None) -> Prediction: ...


@dataclass(frozen=True)
class Labelled:
    """One evaluation message with its gold labels."""

    text: str
    intent: str
    urgent: bool
    lang: str


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    support: int

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class EvalReport:
    """Every figure of one evaluation run."""

    count: int
    accuracy: float
    macro_f1: float
    per_language: dict[str, float]
    per_intent: dict[str, Scores]
    urgent: Scores
    language_accuracy: float
    short_language_accuracy: float
    """Language-id accuracy on messages of one to three words."""
    out_of_scope_precision: float
    confusions: list[tuple[str, str, int]]
    latency_ms: dict[str, float]
    language_counts: dict[str, int] = field(default_factory=dict)
    misses: list[tuple[Labelled, Prediction]] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        """The headline figures as plain data (for JSON output and tests)."""
        return {
            "messages": self.count,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "per_language_accuracy": {k: round(v, 4) for k, v in self.per_language.items()},
            "urgent_recall": round(self.urgent.recall, 4),
            "urgent_precision": round(self.urgent.precision, 4),
            "language_id_accuracy": round(self.language_accuracy, 4),
            "language_id_accuracy_1_3_words": round(self.short_language_accuracy, 4),
            "out_of_scope_precision": round(self.out_of_scope_precision, 4),
            "latency_ms": {k: round(v, 3) for k, v in self.latency_ms.items()},
        }


def read_labelled(path: Path) -> list[Labelled]:
    """Read a labelled JSONL file; raises ValueError naming the line of a bad record."""
    rows: list[Labelled] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            rows.append(
                Labelled(str(record["text"]), str(record["intent"]), bool(record["urgent"]), str(record["lang"]))
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a labelled record ({exc})") from exc
    return rows


def evaluate(predictor: Predictor, rows: Sequence[Labelled], repeat: int = 1) -> EvalReport:
    """Predict every row (without telling the language) and score the predictions."""
    for row in rows[:_WARM_UP]:  # first calls pay one-off costs (lazy imports, caches)
        predictor.predict(row.text)
    predictions: list[Prediction] = []
    latencies: list[float] = []
    for round_ in range(max(repeat, 1)):
        for row in rows:
            start = time.perf_counter()
            prediction = predictor.predict(row.text)
            latencies.append((time.perf_counter() - start) * 1000)
            if round_ == 0:
                predictions.append(prediction)
    return score(rows, predictions, latencies)


def score(rows: Sequence[Labelled], predictions: Sequence[Prediction], latencies: Sequence[float]) -> EvalReport:
    """The report for aligned gold rows and predictions."""
    pairs = list(zip(rows, predictions, strict=True))
    intents = sorted({r.intent for r in rows} | {p.intent for p in predictions})
    per_intent = {i: _scores((r.intent == i, p.intent == i) for r, p in pairs) for i in intents}
    gold_intents = [i for i in intents if per_intent[i].support]
    return EvalReport(
        count=len(pairs),
        accuracy=_share(r.intent == p.intent for r, p in pairs),
        macro_f1=_mean(per_intent[i].f1 for i in gold_intents),
        per_language={
            lang: _share(r.intent == p.intent for r, p in pairs if r.lang == lang)
            for lang in sorted({r.lang for r in rows})
        },
        per_intent=per_intent,
        urgent=_scores((r.urgent, p.urgent) for r, p in pairs),
        language_accuracy=_share(r.lang == p.lang for r, p in pairs),
        short_language_accuracy=_share(r.lang == p.lang for r, p in pairs if len(r.text.split()) <= _SHORT_WORDS),
        out_of_scope_precision=per_intent.get(OUT_OF_SCOPE, Scores(0.0, 0.0, 0)).precision,
        confusions=[
            (g, p, n)
            for (g, p), n in Counter((r.intent, p.intent) for r, p in pairs if r.intent != p.intent).most_common(8)
        ],
        latency_ms=_percentiles(latencies),
        language_counts=dict(Counter(r.lang for r in rows)),
        misses=[(r, p) for r, p in pairs if (r.intent, r.urgent, r.lang) != (p.intent, p.urgent, p.lang)],
    )


def _scores(outcomes: Iterable[tuple[bool, bool]]) -> Scores:
    counts = Counter(outcomes)
    tp, fp, fn = counts[(True, True)], counts[(False, True)], counts[(True, False)]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return Scores(precision, recall, tp + fn)


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 0.0


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def _percentiles(latencies: Sequence[float]) -> dict[str, float]:
    if not latencies:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0}
    ordered = sorted(latencies)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99)}

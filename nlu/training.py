"""Training: fits every component of the NluModel from Rasa-format data (needs scikit-learn)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nlu.entities import CityMatcher
from nlu.features import intent_grams, language_grams
from nlu.intents import IntentClassifier
from nlu.language import LanguageIdentifier
from nlu.linear import FloatArray, LinearHead, Vectorizer, compile_head, fit_vectorizer
from nlu.model import NluModel, TrainingReport
from nlu.normalize import EMAIL_TOKEN, URL_TOKEN, Views, fold_keep_numbers
from nlu.rasa_data import DataProblem, RasaDataError, TrainingData
from nlu.spelling import KeyTerms
from nlu.urgency import UrgencyDetector

_FOLDS = 3
_SEED = 13
_ABSENT = -10.0  # decision score of an intent missing from a fold's training part


@dataclass(frozen=True)
class TrainingOptions:
    """Hyper-parameters, chosen by measurement on held-out folds (see bench/nlu.py)."""

    intent_c: float = 1.0
    urgent_c: float = 3.0
    language_c: float = 10.0
    urgent_false_alarm_rate: float = 0.01
    """Share of held-out non-urgent examples the urgency classifier may flag on its own; the
    patterns carry the rest of the recall (see nlu.urgency)."""
    min_coverage: float = 0.5
    key_terms: int = 1000
    default_language: str = "es"


def train_model(data: TrainingData, fingerprint: str, options: TrainingOptions | None = None) -> NluModel:
    """Fit the whole model on the examples of ``data``."""
    import sklearn.linear_model
    import sklearn.svm  # noqa: F401  (loaded before limiting its BLAS threads)
    from threadpoolctl import threadpool_limits

    # Many small fits: BLAS worker threads only contend with each other (and with the web
    # server) on a 2-core machine; one thread is several times faster here.
    with threadpool_limits(limits=1):
        return _train(data, fingerprint, options or TrainingOptions())


def _train(data: TrainingData, fingerprint: str, opts: TrainingOptions) -> NluModel:
    started = time.perf_counter()
    examples = data.examples
    views = [Views.of(e.text) for e in examples]
    intents = np.array([e.intent for e in examples])
    urgent = np.array([e.urgent for e in examples], dtype=bool)
    langs = np.array([e.lang for e in examples])

    if len(set(intents.tolist())) < 2:
        raise RasaDataError([DataProblem(data.files[0], 0, "need examples of at least 2 intents")])
    vectorizer, matrix = fit_vectorizer([intent_grams(v) for v in views])
    intent_model = _fit_intents(matrix, intents, opts)
    temperature, urgent_scores = _held_out(matrix, intents, urgent, opts)
    language = _train_language(views, langs, opts)
    return NluModel(
        fingerprint=fingerprint,
        vectorizer=vectorizer,
        intents=IntentClassifier(compile_head(intent_model, symmetric=True), temperature, opts.min_coverage),
        key_terms=_key_terms(vectorizer, intent_model, opts),
        urgency=_urgency_detector(matrix, urgent, urgent_scores, opts),
        language=language,
        cities=CityMatcher.from_synonyms(city_synonyms(data)),
        report=_report(data, time.perf_counter() - started),
    )


def city_synonyms(data: TrainingData) -> dict[str, tuple[str, ...]]:
    """The synonym blocks that name cities: those sharing a name with the ``city`` lookup table."""
    lookup = data.lookups.get("city")
    if not lookup:
        return dict(data.synonyms)
    names = {fold_keep_numbers(n) for n in lookup}
    return {
        canonical: variants
        for canonical, variants in data.synonyms.items()
        if names & {fold_keep_numbers(v) for v in (canonical.replace("_", " "), *variants)}
    }


def _fit_intents(matrix: Any, intents: np.ndarray[Any, Any], opts: TrainingOptions) -> Any:
    from sklearn.svm import LinearSVC

    return LinearSVC(C=opts.intent_c).fit(matrix, intents)


def _key_terms(vectorizer: Vectorizer, model: Any, opts: TrainingOptions) -> KeyTerms:
    """The words of six letters or more with the largest weight for any intent."""
    weight = np.abs(np.asarray(model.coef_)).max(axis=0)
    words = [
        (float(weight[column]), gram[2:])
        for gram, column in vectorizer.vocabulary.items()
        if gram.startswith("w:") and len(gram) >= 8 and gram[2:].isalpha()
    ]
    words.sort(reverse=True)
    return KeyTerms(tuple(word for _, word in words[: opts.key_terms]))


def _urgency_detector(
    matrix: Any, urgent: np.ndarray[Any, Any], held_out: FloatArray, opts: TrainingOptions
) -> UrgencyDetector:
    if urgent.all() or not urgent.any():
        # Nothing to learn from: the classifier never fires and the patterns work alone.
        silent = LinearHead(("urgent",), np.zeros((matrix.shape[1], 1), np.float32), np.full(1, -30, np.float32))
        return UrgencyDetector(silent, 1.0)
    model = _fit_urgency(matrix, urgent, opts)
    return UrgencyDetector(compile_head(model), _urgent_threshold(held_out[~urgent], opts))


def _fit_urgency(matrix: Any, urgent: np.ndarray[Any, Any], opts: TrainingOptions) -> Any:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=opts.urgent_c, class_weight="balanced", max_iter=2000)
    return model.fit(matrix, urgent)


def _held_out(
    matrix: Any, intents: np.ndarray[Any, Any], urgent: np.ndarray[Any, Any], opts: TrainingOptions
) -> tuple[float, FloatArray]:
    """Out-of-fold decisions: the softmax temperature and each example's urgent probability."""
    classes = np.unique(intents)
    decisions = np.full((len(intents), len(classes)), _ABSENT, dtype=np.float32)
    urgent_scores = np.zeros(len(intents), dtype=np.float32)
    for train_idx, test_idx in _folds(intents, urgent):
        intent_model = _fit_intents(matrix[train_idx], intents[train_idx], opts)
        columns = np.searchsorted(classes, intent_model.classes_)
        decisions[np.ix_(test_idx, columns)] = _decisions(intent_model, matrix[test_idx])
        if len(np.unique(urgent[train_idx])) == 2:
            urgency_model = _fit_urgency(matrix[train_idx], urgent[train_idx], opts)
            urgent_scores[test_idx] = urgency_model.predict_proba(matrix[test_idx])[:, 1]
    temperature = _fit_temperature(decisions, np.searchsorted(classes, intents))
    return temperature, urgent_scores


def _folds(
    intents: np.ndarray[Any, Any], urgent: np.ndarray[Any, Any]
) -> list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]]:
    """Stratified folds by intent and urgency (urgency dropped where a stratum is too small)."""
    from sklearn.model_selection import StratifiedKFold

    pairs = [f"{i}|{u}" for i, u in zip(intents.tolist(), urgent.tolist(), strict=True)]
    counts = Counter(pairs)
    strata = np.array([p if counts[p] >= _FOLDS else p.split("|")[0] for p in pairs])
    smallest = min(Counter(strata.tolist()).values())
    splits = max(2, min(_FOLDS, smallest))
    folds = StratifiedKFold(splits, shuffle=True, random_state=_SEED)
    return list(folds.split(np.zeros(len(strata)), strata))


def _decisions(model: Any, matrix: Any) -> FloatArray:
    scores = np.asarray(model.decision_function(matrix), dtype=np.float32)
    return np.column_stack([-scores, scores]) if scores.ndim == 1 else scores


def _fit_temperature(decisions: FloatArray, gold: np.ndarray[Any, Any]) -> float:
    """The softmax temperature that minimises held-out negative log-likelihood."""
    scores, labels = decisions.astype(np.float64), gold
    best, best_loss = 1.0, float("inf")
    for temperature in np.geomspace(0.05, 5.0, 60):
        z = scores / temperature
        z -= z.max(axis=1, keepdims=True)
        log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -float(log_probs[np.arange(len(labels)), labels].mean())
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return best


def _urgent_threshold(non_urgent_scores: FloatArray, opts: TrainingOptions) -> float:
    """The classifier threshold: the held-out non-urgent score quantile at the false-alarm rate."""
    if non_urgent_scores.size == 0:
        return 0.5
    return float(np.quantile(non_urgent_scores, 1.0 - opts.urgent_false_alarm_rate))


def _train_language(views: Sequence[Views], langs: np.ndarray[Any, Any], opts: TrainingOptions) -> LanguageIdentifier:
    from sklearn.linear_model import LogisticRegression

    vectorizer, matrix = fit_vectorizer([language_grams(v) for v in views])
    neutral = _neutral_words(views, langs)
    present = sorted(set(langs.tolist()))
    if len(present) == 1:  # one language only: nothing to tell apart
        only = LinearHead((present[0],), np.zeros((matrix.shape[1], 1), np.float32), np.zeros(1, np.float32))
        return LanguageIdentifier(vectorizer, only, neutral, present[0])
    model = LogisticRegression(C=opts.language_c, tol=1e-3, max_iter=2000).fit(matrix, langs)
    return LanguageIdentifier(vectorizer, compile_head(model, symmetric=True), neutral, opts.default_language)


def _neutral_words(views: Sequence[Views], langs: np.ndarray[Any, Any]) -> frozenset[str]:
    """Words used in at least three languages' data: acronyms, agency names, 'ok'."""
    seen: dict[str, set[str]] = {}
    for view, lang in zip(views, langs.tolist(), strict=True):
        for word in set(view.plain.split()):
            seen.setdefault(word, set()).add(lang)
    neutral = {w for w, where in seen.items() if len(where) >= 3}
    return frozenset(neutral | {URL_TOKEN, EMAIL_TOKEN})


def _report(data: TrainingData, seconds: float) -> TrainingReport:
    counts: dict[str, dict[str, int]] = {}
    for example in data.examples:
        by_lang = counts.setdefault(example.intent, {})
        by_lang[example.lang] = by_lang.get(example.lang, 0) + 1
    return TrainingReport(
        counts=counts,
        urgent=sum(e.urgent for e in data.examples),
        seconds=round(seconds, 2),
        warnings=tuple(str(w) for w in data.warnings),
    )

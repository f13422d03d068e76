"""Compiled linear text models: TF-IDF vocabulary and weights as plain numpy arrays.

Training uses scikit-learn; prediction only needs numpy, so a process that loads a cached
model never imports scikit-learn or scipy (it keeps resident memory and start-up low).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class SparseVector:
    """One message as TF-IDF weights: column indices and their l2-normalised values."""

    indices: IntArray
    values: FloatArray
    known: int
    total: int

    @property
    def coverage(self) -> float:
        """Share of the message's n-grams that the vocabulary knows (0 for an empty message)."""
        return self.known / self.total if self.total else 0.0


@dataclass(frozen=True)
class Vectorizer:
    """Sublinear TF-IDF with l2 norm over a fixed vocabulary (same maths as scikit-learn)."""

    vocabulary: dict[str, int]
    idf: FloatArray

    def transform(self, grams: Sequence[str]) -> SparseVector:
        counts = Counter(grams)
        # map() with dict.get keeps the per-gram loop in C: this is the hot path of predict().
        columns = np.fromiter(map(self.vocabulary.get, counts, repeat(-1)), np.int64, len(counts))
        tf = np.fromiter(counts.values(), np.float32, len(counts))
        known = columns >= 0
        if not known.any():
            empty = np.zeros(0, dtype=np.int64)
            return SparseVector(empty, np.zeros(0, dtype=np.float32), 0, len(grams))
        indices, tf = columns[known], tf[known]
        values = (np.log(tf) + np.float32(1.0)) * self.idf[indices]
        values /= np.sqrt(np.dot(values, values))
        return SparseVector(indices, values, int(tf.sum()), len(grams))


@dataclass(frozen=True)
class LinearHead:
    """A linear classifier over a Vectorizer's columns; weights stored feature-major."""

    classes: tuple[str, ...]
    weights: FloatArray  # shape (n_features, n_outputs)
    bias: FloatArray  # shape (n_outputs,)

    def decision(self, vector: SparseVector) -> FloatArray:
        if vector.indices.size == 0:
            return self.bias.copy()
        scores: FloatArray = vector.values @ self.weights[vector.indices] + self.bias
        return scores


def softmax(scores: FloatArray, temperature: float = 1.0) -> FloatArray:
    """Numerically stable softmax with a temperature."""
    z = scores.astype(np.float64) / temperature
    z -= z.max()
    e = np.exp(z)
    out: FloatArray = (e / e.sum()).astype(np.float32)
    return out


def sigmoid(score: float) -> float:
    """The logistic function, safe for large magnitudes."""
    if score >= 0:
        return 1.0 / (1.0 + math.exp(-score))
    e = math.exp(score)
    return e / (1.0 + e)


def fit_vectorizer(documents: Sequence[list[str]]) -> tuple[Vectorizer, Any]:
    """Fit TF-IDF on documents given as their n-gram lists; returns the compiled vectorizer and
    the training matrix (scipy sparse)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    tfidf = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
    matrix = tfidf.fit_transform(documents)
    vocabulary = {str(k): int(v) for k, v in tfidf.vocabulary_.items()}
    return Vectorizer(vocabulary, tfidf.idf_.astype(np.float32)), matrix


def _identity(grams: list[str]) -> list[str]:
    return grams


def compile_head(model: Any, symmetric: bool = False) -> LinearHead:
    """Turn a fitted scikit-learn linear classifier into a LinearHead.

    A binary model has one row of weights (the score of its second class); ``symmetric`` turns
    it into two outputs (-score, +score) so that a softmax ranks both classes.
    """
    coef = np.asarray(model.coef_, dtype=np.float32)
    bias = np.asarray(model.intercept_, dtype=np.float32)
    classes = tuple(str(c) for c in model.classes_)
    if symmetric and coef.shape[0] == 1 and len(classes) == 2:
        coef, bias = np.vstack([-coef, coef]), np.concatenate([-bias, bias])
    return LinearHead(classes, np.ascontiguousarray(coef.T), bias)

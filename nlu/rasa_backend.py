"""An optional backend that asks a running Rasa server for the intent (POST /model/parse).

Language identification, urgency and entities stay our own; when Rasa is down or answers
nonsense, the local model answers and a warning is logged (never the message text).
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from nlu.facade import Nlu
from nlu.normalize import bound
from nlu.types import INTENTS, Prediction

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 2.0
_RASA_FALLBACK_INTENT = "nlu_fallback"


class RasaUnusableError(ValueError):
    """Rasa answered, but not with something we can use."""


class RasaBackend:
    """Intent from Rasa, everything else from the local model (which also stands in for Rasa)."""

    def __init__(self, url: str, local: Nlu, client: httpx.Client | None = None) -> None:
        self.url = url.rstrip("/") + "/model/parse"
        self.local = local
        self.client = client or httpx.Client(timeout=DEFAULT_TIMEOUT)
        self._failing = False

    def predict(self, text: str, lang: str | None = None) -> Prediction:
        try:
            ranked = self._ask_rasa(text)
        except (httpx.HTTPError, RasaUnusableError) as exc:
            self._note_failure(exc)
            return self.local.predict(text, lang)
        if self._failing:
            log.warning("Rasa server answers again; using it for intents")
            self._failing = False
        return self.local.model.prediction(text, lang, ranked)

    def close(self) -> None:
        self.client.close()

    def _ask_rasa(self, text: str) -> list[tuple[str, float]]:
        response = self.client.post(self.url, json={"text": bound(text)})
        response.raise_for_status()
        try:
            payload = response.json()
        except ValueError as exc:
            raise RasaUnusableError("answer is not JSON") from exc
        return parse_ranking(payload)

    def _note_failure(self, exc: Exception) -> None:
        if not self._failing:
            log.warning("Rasa server unusable (%s); using the local NLU model", type(exc).__name__)
        self._failing = True


def parse_ranking(payload: Any) -> list[tuple[str, float]]:
    """Our intents, best first, from a /model/parse answer (Rasa's fallback means out_of_scope)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("intent"), dict):
        raise RasaUnusableError("answer has no intent")
    ranking = payload.get("intent_ranking")
    entries = [payload["intent"], *(ranking if isinstance(ranking, list) else [])]
    ranked: list[tuple[str, float]] = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        name = entry.get("name")
        name = "out_of_scope" if name == _RASA_FALLBACK_INTENT else name
        score = entry.get("confidence")
        if name in INTENTS and isinstance(score, int | float) and all(name != n for n, _ in ranked):
            ranked.append((str(name), float(score)))
    if not ranked:
        raise RasaUnusableError("answer names none of our intents")
    return ranked

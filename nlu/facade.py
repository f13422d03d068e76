"""``Nlu``: the in-process understander the engine calls (load or train, then predict)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from nlu import cache
from nlu.model import NluModel, TrainingReport
from nlu.rasa_data import read_data_dir
from nlu.types import Prediction

if TYPE_CHECKING:
    from nlu.rasa_backend import RasaBackend

log = logging.getLogger(__name__)


class Nlu:
    """Predicts intent, confidence, alternatives, urgency, language and entities for a message."""

    def __init__(self, model: NluModel) -> None:
        self.model = model

    @classmethod
    def load(cls, data_dir: Path, cache_dir: Path) -> Nlu:
        """The cached model when it matches the data and code; otherwise train and cache one."""
        key = cache.fingerprint(data_dir)
        model = cache.load_cached(cache_dir, key)
        if model is not None:
            return cls(model)
        return train(data_dir, cache_dir)

    @property
    def report(self) -> TrainingReport:
        return self.model.report

    def predict(self, text: str, lang: str | None = None) -> Prediction:
        """Understand one message; ``lang`` is the user's current language, if known."""
        return self.model.predict(text if isinstance(text, str) else str(text), lang)


def train(data_dir: Path, cache_dir: Path | None = None) -> Nlu:
    """Train a model from ``data_dir`` (raises RasaDataError on bad data); cache it if asked."""
    from nlu.training import train_model

    key = cache.fingerprint(data_dir)
    model = train_model(read_data_dir(data_dir), key)
    if cache_dir is not None:
        try:
            cache.save(cache_dir, model)
        except OSError as exc:  # a read-only disk must not stop the bot: it retrains next time
            log.warning("cannot cache the NLU model in %s (%s)", cache_dir, type(exc).__name__)
    return Nlu(model)


def load_understander(
    data_dir: Path, cache_dir: Path, backend: str = "local", rasa_url: str | None = None
) -> Nlu | RasaBackend:
    """The configured understander: the local model, or Rasa backed by the local model."""
    local = Nlu.load(data_dir, cache_dir)
    if backend != "rasa":
        return local
    if not rasa_url:
        raise ValueError("the rasa backend needs a Rasa server URL (PUENTE_RASA_URL)")
    from nlu.rasa_backend import RasaBackend

    return RasaBackend(rasa_url, local)

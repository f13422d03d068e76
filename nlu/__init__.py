"""Multilingual understanding of one message: intent, urgency, language and entities.

``Nlu.load(data_dir, cache_dir).predict(text, lang)`` returns a ``Prediction``. Names are
imported lazily so that ``import nlu`` stays cheap (no numpy or scikit-learn until used).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nlu.facade import Nlu as Nlu
    from nlu.facade import load_understander as load_understander
    from nlu.facade import train as train
    from nlu.rasa_backend import RasaBackend as RasaBackend
    from nlu.rasa_data import RasaDataError as RasaDataError
    from nlu.rasa_data import TrainingData as TrainingData
    from nlu.rasa_data import read_data_dir as read_data_dir
    from nlu.types import INTENTS as INTENTS
    from nlu.types import LANGUAGES as LANGUAGES
    from nlu.types import TOPICS as TOPICS
    from nlu.types import Entities as Entities
    from nlu.types import Prediction as Prediction

__all__ = [
    "INTENTS",
    "LANGUAGES",
    "TOPICS",
    "Entities",
    "Nlu",
    "Prediction",
    "RasaBackend",
    "RasaDataError",
    "TrainingData",
    "load_understander",
    "read_data_dir",
    "train",
]

_HOMES = {
    "Nlu": "nlu.facade",
    "load_understander": "nlu.facade",
    "train": "nlu.facade",
    "RasaBackend": "nlu.rasa_backend",
    "RasaDataError": "nlu.rasa_data",
    "TrainingData": "nlu.rasa_data",
    "read_data_dir": "nlu.rasa_data",
    "INTENTS": "nlu.types",
    "LANGUAGES": "nlu.types",
    "TOPICS": "nlu.types",
    "Entities": "nlu.types",
    "Prediction": "nlu.types",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'nlu' has no attribute {name!r}")
    return getattr(import_module(home), name)

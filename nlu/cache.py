"""The on-disk model cache: a pickle per fingerprint of the training data and the NLU code."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

from nlu.model import NluModel
from nlu.rasa_data import data_files

log = logging.getLogger(__name__)

FORMAT_VERSION = "1"
_PACKAGE_DIR = Path(__file__).resolve().parent


def fingerprint(data_dir: Path) -> str:
    """A hash of every data file (name and bytes) and of the NLU package's source code."""
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    for path in data_files(data_dir):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for path in sorted(_PACKAGE_DIR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def model_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"nlu-model-{key[:20]}.pkl"


def load_cached(cache_dir: Path, key: str) -> NluModel | None:
    """The cached model for this fingerprint, or None (missing, unreadable or stale)."""
    path = model_path(cache_dir, key)
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            # The cache directory is written only by this program (var/nlu by default).
            model = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError) as exc:
        log.warning("ignoring unreadable NLU model cache %s (%s)", path, type(exc).__name__)
        return None
    if not isinstance(model, NluModel) or model.fingerprint != key:
        return None
    return model


def save(cache_dir: Path, model: NluModel) -> Path:
    """Write the model atomically and remove models of other fingerprints."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = model_path(cache_dir, model.fingerprint)
    with tempfile.NamedTemporaryFile(dir=cache_dir, prefix=".tmp-", delete=False) as handle:
        pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(handle.name, target)
    for old in cache_dir.glob("nlu-model-*.pkl"):
        if old != target:
            old.unlink(missing_ok=True)
    return target

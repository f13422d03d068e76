"""The Nlu facade: cached loading, the Prediction contract, and odd input that must not crash."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from bot.engine.ports import Understander
from nlu import Nlu, Prediction
from nlu.cache import fingerprint
from nlu.types import INTENTS, LANGUAGES
from tests.nlu.conftest import SAMPLE_DATA


def test_load_trains_once_then_reads_the_cache(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, data)
    first = Nlu.load(data, tmp_path / "cache")
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [f"nlu-model-{fingerprint(data)[:20]}.pkl"]
    started = time.perf_counter()
    second = Nlu.load(data, tmp_path / "cache")
    assert time.perf_counter() - started < 1.0
    assert second.model.fingerprint == first.model.fingerprint
    assert second.predict("hola") == first.predict("hola")


def test_changed_data_is_retrained_and_the_old_model_removed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, data)
    Nlu.load(data, tmp_path / "cache")
    with (data / "es.yml").open("a", encoding="utf-8") as handle:
        handle.write("- intent: thanks\n  examples: |\n    - gracias\n    - mil gracias\n")
    reloaded = Nlu.load(data, tmp_path / "cache")
    assert reloaded.model.fingerprint == fingerprint(data)
    assert len(list((tmp_path / "cache").iterdir())) == 1
    assert "thanks" in reloaded.model.intents.head.classes


def test_an_unreadable_cache_file_is_replaced(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / f"nlu-model-{fingerprint(SAMPLE_DATA)[:20]}.pkl").write_bytes(b"not a pickle")
    assert Nlu.load(SAMPLE_DATA, cache).predict("hola").intent == "greeting"


def test_nlu_is_an_understander(sample_nlu: Nlu) -> None:
    understander: Understander = sample_nlu
    assert isinstance(understander.predict("hola"), Prediction)


def test_prediction_has_ranked_alternatives_and_a_confidence(nlu: Nlu) -> None:
    prediction = nlu.predict("necesito trabajo en cucuta")
    assert prediction.intent == "employability"
    assert 0.0 <= prediction.confidence <= 1.0
    assert len(prediction.alternatives) == 3
    scores = [prediction.confidence, *(score for _, score in prediction.alternatives)]
    assert scores == sorted(scores, reverse=True)
    assert {i for i, _ in prediction.alternatives} <= set(INTENTS) - {prediction.intent}
    assert prediction.entities.city == "cucuta"


def test_menu_pick_number_is_an_entity(nlu: Nlu) -> None:
    assert nlu.predict("opcion 2").entities.number == 2


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "🙂", "?", "a" * 20_000, "ayuda " * 4_000, "\x00\x01"])
def test_odd_text_does_not_crash(nlu: Nlu, text: str) -> None:
    prediction = nlu.predict(text)
    assert prediction.intent in INTENTS and prediction.lang in LANGUAGES
    assert 0.0 <= prediction.confidence <= 1.0


def test_empty_text_is_out_of_scope(nlu: Nlu) -> None:
    assert nlu.predict("   ").intent == "out_of_scope"


def test_long_text_is_fast(nlu: Nlu) -> None:
    text = "necesito ayuda con el PPT para mis hijos en cucuta " * 400
    started = time.perf_counter()
    nlu.predict(text)
    assert time.perf_counter() - started < 0.1


def test_importing_nlu_is_cheap() -> None:
    import subprocess
    import sys

    code = "import sys, nlu; print(sorted(m for m in ('numpy', 'sklearn', 'rapidfuzz') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("text", ["привет как дела", "你好吗", "asdfgh qwerty"])
def test_unknown_text_is_out_of_scope(nlu: Nlu, text: str) -> None:
    assert nlu.predict(text).intent == "out_of_scope"

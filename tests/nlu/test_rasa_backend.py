"""The Rasa backend against a local HTTP server that answers like Rasa's POST /model/parse."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import pytest

from nlu import Nlu, RasaBackend, load_understander
from nlu.rasa_backend import parse_ranking
from tests.nlu.conftest import SAMPLE_DATA


class FakeRasa(BaseHTTPRequestHandler):
    """Answers /model/parse with the ranking in ``self.server.answer`` and records the texts."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server: Any = self.server
        server.seen.append((self.path, body["text"]))
        payload = json.dumps(server.answer(body["text"])).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


def rasa_answer(name: str, confidence: float, *others: tuple[str, float]) -> dict[str, object]:
    ranking = [{"name": name, "confidence": confidence}] + [{"name": n, "confidence": c} for n, c in others]
    return {"text": "...", "intent": ranking[0], "intent_ranking": ranking, "entities": []}


@pytest.fixture
def rasa_server() -> Iterator[Any]:
    server: Any = HTTPServer(("127.0.0.1", 0), FakeRasa)
    server.seen = []
    server.answer = lambda text: rasa_answer("food", 0.91, ("cash_transfer", 0.05), ("shelter", 0.02))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def url_of(server: Any) -> str:
    host, port = server.server_address
    return f"http://{host}:{port}"


def test_intent_comes_from_rasa_and_urgency_language_entities_from_us(rasa_server: Any, sample_nlu: Nlu) -> None:
    backend = RasaBackend(url_of(rasa_server), sample_nlu)
    prediction = backend.predict("mi marido me esta pegando ahorita en cucuta", lang="es")
    assert (prediction.intent, prediction.confidence) == ("food", 0.91)
    assert prediction.alternatives == (("cash_transfer", 0.05), ("shelter", 0.02))
    assert prediction.urgent and prediction.lang == "es"
    assert prediction.entities.city == "cucuta"
    assert rasa_server.seen == [("/model/parse", "mi marido me esta pegando ahorita en cucuta")]


def test_rasa_fallback_intent_means_out_of_scope(rasa_server: Any, sample_nlu: Nlu) -> None:
    rasa_server.answer = lambda text: rasa_answer("nlu_fallback", 0.4, ("greeting", 0.2))
    prediction = RasaBackend(url_of(rasa_server), sample_nlu).predict("zzz")
    assert prediction.intent == "out_of_scope"
    assert prediction.alternatives == (("greeting", 0.2),)


def test_rasa_down_falls_back_to_the_local_model_and_logs_without_the_text(
    sample_nlu: Nlu, caplog: pytest.LogCaptureFixture
) -> None:
    server: Any = HTTPServer(("127.0.0.1", 0), FakeRasa)
    url = url_of(server)
    server.server_close()  # nothing listens there any more
    backend = RasaBackend(url, sample_nlu, httpx.Client(timeout=0.5))
    with caplog.at_level(logging.WARNING, logger="nlu.rasa_backend"):
        prediction = backend.predict("necesito trabajo secreto")
        backend.predict("necesito trabajo secreto otra vez")
    assert prediction == sample_nlu.predict("necesito trabajo secreto")
    assert len(caplog.records) == 1  # one warning per outage, not one per message
    assert "secreto" not in caplog.text and "ConnectError" in caplog.text


def test_an_answer_without_our_intents_falls_back(rasa_server: Any, sample_nlu: Nlu) -> None:
    rasa_server.answer = lambda text: rasa_answer("chitchat", 0.99)
    assert RasaBackend(url_of(rasa_server), sample_nlu).predict("hola").intent == "greeting"


def test_parse_ranking_ignores_unknown_and_duplicate_intents() -> None:
    answer = rasa_answer("thanks", 0.8, ("thanks", 0.8), ("weird", 0.1), ("goodbye", 0.1))
    assert parse_ranking(answer) == [("thanks", 0.8), ("goodbye", 0.1)]


def test_load_understander_picks_the_backend(rasa_server: Any, tmp_path: Any) -> None:
    local = load_understander(SAMPLE_DATA, tmp_path)
    remote = load_understander(SAMPLE_DATA, tmp_path, "rasa", url_of(rasa_server))
    assert isinstance(local, Nlu) and isinstance(remote, RasaBackend)
    assert remote.predict("hola").intent == "food"

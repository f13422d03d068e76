"""``puente work`` as `puente serve` runs it: a process of its own answers the queue and sends replies."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import Engine
from twilio.request_validator import RequestValidator

from bot.channels.intake import IntakeStore
from bot.engine.messages import InboundMessage
from bot.storage.models import InboundJob
from bot.storage.protection import Protector
from tests.channels.conftest import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, WHATSAPP_FROM, count, fixture
from tests.channels.fake_twilio import FakeTwilio

REPO = Path(__file__).resolve().parents[2]


def test_a_work_process_answers_queued_messages_and_stops_on_sigterm(
    db: Engine, protector: Protector, puente_environ: dict[str, str]
) -> None:
    store = IntakeStore(db, protector, "webhook")
    users = [f"+57303{n:07d}" for n in range(5)]
    store.accept_many(
        [InboundMessage("whatsapp", u, f"SMw{n}", "hola", datetime.now(UTC)) for n, u in enumerate(users)]
    )
    fake = FakeTwilio(ACCOUNT_SID, AUTH_TOKEN)
    with fake.running() as api_url:
        environ = twilio_environ(puente_environ, PUBLIC_URL, api_url)
        command = [sys.executable, "-m", "bot", "work", "--priority", "low"]
        process = subprocess.Popen(command, cwd=REPO, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while len(fake.sent) < len(users) and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.05)
            process.send_signal(signal.SIGTERM)
            output = process.communicate(timeout=30)[0].decode(errors="replace")
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, output
    assert sorted(m.to for m in fake.sent) == sorted(f"whatsapp:{u}" for u in users)
    assert count(db, InboundJob) == 0
    assert all(u not in output for u in users)  # no number in the logs


def test_serve_web_only_queues_channel_messages_and_answers_none(
    db: Engine, puente_environ: dict[str, str]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    fake = FakeTwilio(ACCOUNT_SID, AUTH_TOKEN)
    with fake.running() as api_url:
        environ = twilio_environ(puente_environ, base, api_url)
        command = [sys.executable, "-m", "bot", "serve", "--web-only", "--port", str(port)]
        process = subprocess.Popen(command, cwd=REPO, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(base, process)
            params = fixture("twilio_whatsapp_text.json")
            signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{base}/webhooks/twilio", params)
            response = httpx.post(f"{base}/webhooks/twilio", data=params, headers={"X-Twilio-Signature": signature})
            time.sleep(1.5)  # an answerer here would have claimed it by now (it is woken at once)
            children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        finally:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=30)
    assert response.status_code == 200
    assert count(db, InboundJob) == 1  # queued, waiting for a `puente work` elsewhere
    assert fake.sent == []
    assert children == []  # no `puente work` started beside it


def twilio_environ(puente_environ: dict[str, str], public_url: str, api_url: str) -> dict[str, str]:
    """A Puente process's environment with Twilio configured against the local fake."""
    return {
        "PATH": os.environ.get("PATH", ""),
        **puente_environ,
        "PUENTE_PUBLIC_URL": public_url,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_WHATSAPP_FROM": WHATSAPP_FROM,
        "TWILIO_API_BASE_URL": api_url,
    }


def _wait_healthy(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            httpx.get(f"{base}/healthz", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("puente serve did not answer within 60 s")

"""``puente work`` as `puente serve` runs it: a process of its own answers the queue and sends replies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from bot.channels.intake import IntakeStore
from bot.engine.messages import InboundMessage
from bot.storage.models import InboundJob
from bot.storage.protection import Protector
from tests.channels.conftest import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, WHATSAPP_FROM, count
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
        environ = {
            "PATH": os.environ.get("PATH", ""),
            **puente_environ,
            "PUENTE_PUBLIC_URL": PUBLIC_URL,
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_WHATSAPP_FROM": WHATSAPP_FROM,
            "TWILIO_API_BASE_URL": api_url,
        }
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

"""Two real sender processes (``puente outbox run``) on one database never send a message twice."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from sqlalchemy import Engine, select

from bot.storage.models import OutboxItem
from bot.storage.protection import Protector
from tests.channels.conftest import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, SMS_FROM, WHATSAPP_FROM
from tests.channels.fake_twilio import FakeTwilio
from tests.channels.queue import queue_replies

REPO = Path(__file__).resolve().parents[2]
MESSAGES = 400


def sender_environ(db_url: str, keys: dict[str, str], api_url: str, var_dir: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        **keys,
        "DATABASE_URL": db_url,
        "PUENTE_VAR_DIR": str(var_dir),
        "PUENTE_PUBLIC_URL": PUBLIC_URL,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_WHATSAPP_FROM": WHATSAPP_FROM,
        "TWILIO_SMS_FROM": SMS_FROM,
        "TWILIO_API_BASE_URL": api_url,
    }


def test_two_sender_processes_never_send_the_same_message_twice(
    db_url: str, db: Engine, protector: Protector, key_environ: dict[str, str], tmp_path: Path
) -> None:
    users = [f"+57302{n:07d}" for n in range(MESSAGES)]
    queue_replies(db, protector, "whatsapp", users)
    fake = FakeTwilio(ACCOUNT_SID, AUTH_TOKEN, latency=0.02)
    with fake.running() as api_url:
        environ = sender_environ(db_url, key_environ, api_url, tmp_path)
        command = [sys.executable, "-m", "bot", "outbox", "run", "--drain", "--timeout", "60", "--rate", "2000"]
        processes = [
            subprocess.Popen(command, cwd=REPO, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=90)[0].decode(errors="replace") for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert Counter(m.to for m in fake.sent) == Counter(f"whatsapp:{u}" for u in users)  # each exactly once
    with db.connect() as conn:
        rows = conn.execute(select(OutboxItem.status, OutboxItem.lease_owner)).all()
    assert Counter(status for status, _ in rows) == Counter({"sent": MESSAGES})
    owners = Counter((owner or "").rsplit(":", 2)[1] for _, owner in rows)  # by process id
    assert len(owners) == 2, owners  # both processes did part of the work
    assert all("+57302" not in output for output in outputs)  # no number in the logs

"""Engine benchmark: whole conversations through the real inbox (NLU, content, store), one core.

Run ``.venv/bin/python bench/engine.py [--sizes 1000,10000,100000] [--conversations 200] [--rounds 3]``.
Uses a fresh SQLite file, or PostgreSQL when PUENTE_TEST_DATABASE_URL is set (in a private
schema, dropped at the end). For each stored-population size it bulk-loads that many contacts
with a few sealed messages each, then drives new people's whole conversations in-process,
``--rounds`` times, and reports messages/s and per-message latency percentiles. The per-message
cost (median over the rounds of the mean) must stay flat as the population grows. Writes
bench/results/engine-<backend>.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# A new person: greeting, language, a route and a section, the menu, another route, thanks.
CONVERSATION = ("hola", "1", "necesito trabajo", "2", "menu", "donde puedo comer", "gracias")
WARM_UP_CONVERSATIONS = 30


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@contextmanager
def database(tmp: Path) -> Iterator[str]:
    """A migrated, empty database: a SQLite file, or a private schema on PUENTE_TEST_DATABASE_URL."""
    from sqlalchemy import text

    from bot.storage.database import create_db_engine, upgrade

    server = os.environ.get("PUENTE_TEST_DATABASE_URL")
    if not server:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        upgrade(create_db_engine(url))
        yield url
        return
    schema = f"puente_bench_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(server)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{schema}"
    try:
        db = create_db_engine(url)
        upgrade(db)
        db.dispose()
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def populate(puente: Any, target: int) -> None:
    """Bulk-insert stored conversations until the contacts table holds ``target`` rows."""
    from sqlalchemy import func, insert, select

    from bot.storage.models import Contact, Message

    protector, now = puente.protector, datetime.now(UTC)
    with puente.db.begin() as conn:
        have = conn.scalar(select(func.count()).select_from(Contact)) or 0
    sealed_state = protector.seal('{"step": "idle", "lang": "es"}')
    sealed_text = protector.seal("hola, necesito ayuda")
    while have < target:
        n = min(2000, target - have)
        contacts = [
            {
                "channel": "whatsapp",
                "user_hash": uuid.uuid4().hex * 2,
                "address_enc": sealed_text,
                "state_enc": sealed_state,
                "lang": "es",
                "created_at": now,
                "last_inbound_at": now,
            }
            for _ in range(n)
        ]
        with puente.db.begin() as conn:
            ids = conn.execute(insert(Contact).returning(Contact.id), contacts).scalars().all()
            conn.execute(
                insert(Message),
                [
                    {
                        "contact_id": cid,
                        "channel": "whatsapp",
                        "direction": d,
                        "provider_message_id": uuid.uuid4().hex if d == "in" else None,
                        "text_enc": sealed_text,
                        "options": [],
                        "urgent": False,
                        "understood": True,
                        "has_location": False,
                        "media_count": 0,
                        "created_at": now,
                    }
                    for cid in ids
                    for d in ("in", "out", "in", "out")
                ],
            )
        have += n


def drive(puente: Any, conversations: int) -> list[float]:
    """Per-message seconds for ``conversations`` new people, each the whole CONVERSATION."""
    from bot.engine.messages import InboundMessage

    latencies: list[float] = []
    for _ in range(conversations):
        user = f"+57300{uuid.uuid4().int % 10**7:07d}"
        for line in CONVERSATION:
            message = InboundMessage("whatsapp", user, uuid.uuid4().hex, line, datetime.now(UTC))
            started = time.perf_counter()
            puente.inbox.receive(message)
            latencies.append(time.perf_counter() - started)
    return latencies


def measure(puente: Any, size: int, conversations: int, rounds: int) -> dict[str, Any]:
    populate(puente, size)
    means, every = [], []
    for _ in range(rounds):
        latencies = drive(puente, conversations)
        means.append(statistics.mean(latencies) * 1000)
        every.extend(x * 1000 for x in latencies)
    mean = statistics.median(means)
    return {
        "stored_conversations": size,
        "messages": len(every),
        "messages_per_second": round(1000 / mean, 1),
        "mean_ms": round(mean, 3),
        "round_means_ms": [round(m, 3) for m in means],
        "p50_ms": round(percentile(every, 0.50), 3),
        "p95_ms": round(percentile(every, 0.95), 3),
        "p99_ms": round(percentile(every, 0.99), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--conversations", type=int, default=200, help="new people per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    from bot.app import build_puente
    from bot.keys import new_test_environ
    from bot.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp, database(Path(tmp)) as url:
        environ = {
            **new_test_environ(),
            "DATABASE_URL": url,
            "PUENTE_VAR_DIR": tmp,
            "PUENTE_NLU_CACHE_DIR": str(REPO / "var" / "nlu"),
        }
        puente = build_puente(load_settings(environ), environ)
        drive(puente, WARM_UP_CONVERSATIONS)  # caches, prepared statements, the allocator
        rows = []
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(puente, size, args.conversations, args.rounds))
            print(json.dumps(rows[-1]), flush=True)
        backend = puente.db.dialect.name
        puente.db.dispose()
    ratio = round(rows[-1]["mean_ms"] / rows[0]["mean_ms"], 3)
    result = {"backend": backend, "rows": rows, "cost_ratio_last_to_first": ratio}
    print(
        f"{backend}: {rows[0]['mean_ms']} ms per message at {rows[0]['stored_conversations']} stored conversations, "
        f"{rows[-1]['mean_ms']} ms at {rows[-1]['stored_conversations']}: ratio {ratio}"
    )
    out = REPO / "bench" / "results" / f"engine-{backend}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

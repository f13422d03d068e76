"""Engine benchmark: whole conversations through the real inbox (NLU, content, store), one core.

Run ``.venv/bin/python bench/engine.py [--sizes 1000,10000,100000] [--conversations 200]``.
Uses a fresh SQLite file, or PostgreSQL when PUENTE_TEST_DATABASE_URL is set (its tables are
dropped and re-created). For each stored-population size it bulk-loads that many contacts with a
few sealed messages each, then drives new conversations in-process and reports messages/s and
per-message latency percentiles. Per-message cost must stay flat as the population grows.
Writes bench/results/engine-<backend>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CONVERSATION = ["hola", "1", "necesito trabajo", "2", "menu", "mi esposo me pega", "gracias"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def fresh_database(tmp: Path) -> str:
    from sqlalchemy import text

    from bot.storage.database import create_db_engine, upgrade
    from bot.storage.models import Base

    url = os.environ.get("PUENTE_TEST_DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    db = create_db_engine(url)
    if db.dialect.name == "postgresql":
        with db.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(text(f'DROP TABLE IF EXISTS "{table.name}" CASCADE'))
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(db)
    db.dispose()
    return url


def populate(puente: object, target: int) -> None:
    """Bulk-insert stored conversations until the contacts table holds ``target`` rows."""
    from sqlalchemy import func, insert, select

    from bot.app import Puente
    from bot.storage.models import Contact, Message

    assert isinstance(puente, Puente)
    protector, now = puente.protector, datetime.now(UTC)
    with puente.db.begin() as conn:
        have = conn.scalar(select(func.count()).select_from(Contact)) or 0
    sealed_state, sealed_text = protector.seal('{"step": "idle", "lang": "es"}'), protector.seal("hola, necesito ayuda")
    batch = 2000
    while have < target:
        n = min(batch, target - have)
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


def drive(puente: object, conversations: int) -> list[float]:
    """Per-message seconds for ``conversations`` new people, each the whole CONVERSATION."""
    from bot.app import Puente
    from bot.engine.messages import InboundMessage

    assert isinstance(puente, Puente)
    latencies: list[float] = []
    for _ in range(conversations):
        user = f"+57300{uuid.uuid4().int % 10**7:07d}"
        for line in CONVERSATION:
            message = InboundMessage("whatsapp", user, uuid.uuid4().hex, line, datetime.now(UTC))
            started = time.perf_counter()
            puente.inbox.receive(message)
            latencies.append(time.perf_counter() - started)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--conversations", type=int, default=200)
    args = parser.parse_args()
    import logging

    logging.disable(logging.INFO)
    from bot.app import build_puente
    from bot.keys import new_test_environ
    from bot.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_database(Path(tmp))
        environ = {
            **os.environ,
            **new_test_environ(),
            "DATABASE_URL": url,
            "PUENTE_VAR_DIR": tmp,
            "PUENTE_NLU_CACHE_DIR": str(REPO / "var" / "nlu"),
        }
        puente = build_puente(load_settings(environ), environ)
        drive(puente, 5)  # warm-up: caches, prepared statements
        rows = []
        for size in (int(s) for s in args.sizes.split(",")):
            populate(puente, size)
            latencies = drive(puente, args.conversations)
            ms = [x * 1000 for x in latencies]
            rows.append(
                {
                    "stored_conversations": size,
                    "messages": len(ms),
                    "messages_per_second": round(len(ms) / sum(latencies), 1),
                    "mean_ms": round(statistics.mean(ms), 3),
                    "p50_ms": round(percentile(ms, 0.50), 3),
                    "p95_ms": round(percentile(ms, 0.95), 3),
                    "p99_ms": round(percentile(ms, 0.99), 3),
                }
            )
            print(json.dumps(rows[-1]))
        backend = puente.db.dialect.name
        puente.db.dispose()
    first, last = rows[0]["mean_ms"], rows[-1]["mean_ms"]
    result = {"backend": backend, "rows": rows, "cost_ratio_last_to_first": round(float(last) / float(first), 3)}
    print(
        f"{backend}: mean per-message cost at {rows[-1]['stored_conversations']} / {rows[0]['stored_conversations']}"
        f" stored conversations = {result['cost_ratio_last_to_first']}"
    )
    out = REPO / "bench" / "results" / f"engine-{backend}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

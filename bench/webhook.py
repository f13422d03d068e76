"""The Twilio webhook's own CPU cost: signed requests through the ASGI app in this process, no network.

Run ``.venv/bin/python bench/webhook.py [--backend postgresql|sqlite] [--requests 6000]
[--concurrency 32] [--runs 3] [--no-database]``. It builds the app as ``puente serve
--web-only`` does (on a fresh database, as bench/load.py makes them), starts its lifespan, then
calls it directly with the requests bench/load.py would send, ``--concurrency`` at a time, and
reports CPU milliseconds per request and requests per second (also written to
bench/results/webhook.json). Without uvicorn, sockets and the load generator the figure is
steady enough to compare two versions of the webhook path on a noisy machine; bench/load.py
gives the whole picture. ``--no-database`` answers at once instead of queueing, to show what
the database part costs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import load  # noqa: E402  (bench/load.py: requests, environment, fresh databases)

PORT = 8000
RESULTS = BENCH / "results" / "webhook.json"


def asgi_request(payload: bytes) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """Headers and body of a raw HTTP/1.1 request as planned by bench/load.py."""
    head, _, body = payload.partition(b"\r\n\r\n")
    headers = []
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        headers.append((name.strip().lower(), value.strip()))
    return headers, body


async def call(app: Any, headers: list[tuple[bytes, bytes]], body: bytes) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": load.WEBHOOK,
        "raw_path": load.WEBHOOK.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", PORT),
    }
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop()
        await asyncio.Event().wait()  # nothing more comes (a disconnect never happens here)
        raise AssertionError

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    await app(scope, receive, send)
    return statuses[0]


async def measure(
    app: Any, requests: list[tuple[list[tuple[bytes, bytes]], bytes]], concurrency: int
) -> dict[str, Any]:
    lifespan_in: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    lifespan_out: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    await lifespan_in.put({"type": "lifespan.startup"})
    lifespan = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}}, lifespan_in.get, lifespan_out.put)
    )
    assert (await lifespan_out.get())["type"] == "lifespan.startup.complete"
    warm, timed = requests[:100], requests[100:]
    for headers, body in warm:
        await call(app, headers, body)
    gate = asyncio.Semaphore(concurrency)

    async def limited(headers: list[tuple[bytes, bytes]], body: bytes) -> int:
        async with gate:
            return await call(app, headers, body)

    cpu, wall = time.process_time(), time.perf_counter()
    statuses = await asyncio.gather(*(limited(h, b) for h, b in timed))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    await lifespan_in.put({"type": "lifespan.shutdown"})
    await lifespan_out.get()
    await lifespan
    return {
        "requests": len(timed),
        "statuses": dict(Counter(statuses)),
        "cpu_ms_per_request": round(cpu * 1000 / len(timed), 4),
        "requests_per_second": round(len(timed) / wall, 1),
    }


def build_app(backend: str, tmp: Path, pg_url: str, no_database: bool) -> Any:
    url = load.fresh_database(backend, tmp, pg_url, "bench_webhook")
    environ = load.serve_environ(tmp, url, PORT, "http://127.0.0.1:9", 1000.0)
    os.environ.update(environ)
    from bot.app import create_web_app
    from bot.channels.hub import ChannelHub
    from bot.inbox import Received

    if no_database:

        async def answered_at_once(self: ChannelHub, message: object) -> Received:
            return Received(duplicate=False)

        ChannelHub.receive = answered_at_once  # type: ignore[method-assign]
    return create_web_app()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-database", action="store_true")
    parser.add_argument("--pg-url", default=load.default_pg_url() or load.DEFAULT_PG)
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as raw:
        app = build_app(args.backend, Path(raw), args.pg_url, args.no_database)
        for index in range(args.runs):  # new people each run; a tenth of the requests repeat (Twilio's retries)
            planned = load.plan(str(index), args.requests + 100, 0.1, PORT, seed=index)
            requests = [asgi_request(p.payload) for p in planned]
            run = asyncio.run(measure(app, requests, args.concurrency))
            print(f"  {run}", flush=True)
            runs.append(run)
    median = statistics.median(run["cpu_ms_per_request"] for run in runs)
    name = f"{args.backend}{'-no-database' if args.no_database else ''}"
    print(f"{name}: median {median} ms CPU per webhook")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[name] = {"median_cpu_ms_per_request": median, "concurrency": args.concurrency, "runs": runs}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

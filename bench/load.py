"""Webhook load: signed Twilio requests through `puente serve`, against a bare-endpoint floor.

Run ``.venv/bin/python bench/load.py [--backends sqlite,postgresql] [--concurrency 1,8,32]
[--requests 3000] [--workers 1] [--background 1] [--answer during|after] [--runs 1]``; PostgreSQL is in the default
backends when PUENTE_BENCH_PG_URL or PUENTE_TEST_DATABASE_URL names a server. Bounded: every
request goes to 127.0.0.1, each level sends a fixed number of requests and stops at
``--time-limit`` seconds whatever happens.

For each backend (a fresh SQLite file; PostgreSQL: the database ``--pg-database``, default
"bench", on the server of ``--pg-url``, dropped and re-created) it migrates, starts ``puente
serve --workers N --background B`` configured for Twilio with the REST API pointed at a local
stand-in (bench/standin.py), then per
concurrency level drives new users' conversations as signed webhook requests, some repeated
with the same MessageSid (Twilio's retries). It reports accepted requests/s, webhook latency
percentiles, errors, how fast the outbox drained to the stand-in, and the server's resident
memory (all its processes). At the end it checks that every unique message was stored once and
answered, and every reply reached the stand-in exactly once. With ``--answer after`` the
server is ``puente serve --web-only`` and a ``puente work`` answers after each level: the web
tier's own capacity, as when answerers run on another machine. The same generator against
bench/bare_app.py (same uvicorn settings) gives the floor. Writes bench/results/load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
PYTHON = sys.executable
RESULTS = BENCH / "results" / "load.json"
sys.path.insert(0, str(REPO))

ACCOUNT_SID = "AC0000000000000000000000000000bench"
AUTH_TOKEN = "bench-auth-token-0123456789abcdef"
WHATSAPP_FROM = "whatsapp:+14155238886"
CONVERSATION = ("hola", "1", "necesito trabajo", "2", "menu", "donde puedo comer", "gracias")
WEBHOOK = "/webhooks/twilio"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


# -- the requests --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """One webhook request, ready to write to the socket."""

    payload: bytes
    sid: str
    user: str
    duplicate: bool


def plan(level: str, count: int, duplicate_share: float, port: int, seed: int) -> list[Planned]:
    """``count`` requests: new users' whole conversations, interleaved, with repeats mixed in.

    Users take turns (everyone's first message, then everyone's second, ...), so one person's
    next message comes after their previous one was answered, as with real people. A repeat is
    the same signed request again, a little later (Twilio retrying).
    """
    from twilio.request_validator import RequestValidator

    rng = random.Random(seed)
    validator = RequestValidator(AUTH_TOKEN)
    url = f"http://127.0.0.1:{port}{WEBHOOK}"
    unique = max(1, round(count * (1 - duplicate_share)))
    users = [f"+5730{level}{n:06d}" for n in range(-(-unique // len(CONVERSATION)))]
    firsts: list[Planned] = []
    for step, line in enumerate(CONVERSATION):
        for user in users:
            if len(firsts) < unique:
                firsts.append(_signed(validator, url, port, user, line, step))
    planned = list(firsts)
    for _ in range(count - unique):
        original = rng.randrange(len(firsts))
        again = firsts[original]
        position = min(len(planned), original + 1 + rng.randrange(64))
        planned.insert(position, Planned(again.payload, again.sid, again.user, duplicate=True))
    return planned


def _signed(validator: Any, url: str, port: int, user: str, line: str, step: int) -> Planned:
    sid = f"SM{uuid.uuid4().hex}"
    params = {
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ProfileName": f"Bench {step}",
        "MessageType": "text",
        "SmsSid": sid,
        "WaId": user.lstrip("+"),
        "SmsStatus": "received",
        "Body": line,
        "To": WHATSAPP_FROM,
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": f"whatsapp:{user}",
        "ApiVersion": "2010-04-01",
    }
    body = urlencode(params).encode()
    head = (
        f"POST {WEBHOOK} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: TwilioProxy/1.1\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: "
        f"{validator.compute_signature(url, params)}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return Planned(head.encode() + body, sid, user, duplicate=False)


# -- the generator ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one level of load produced."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    accepted_sids: set[str] = field(default_factory=set)
    started: float = 0.0
    finished: float = 0.0
    unsent: int = 0


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, payload: bytes) -> int:
    writer.write(payload)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def drive(port: int, planned: Sequence[Planned], concurrency: int, time_limit: float, timeout: float) -> Outcome:
    """Send ``planned`` over ``concurrency`` keep-alive connections; stop at the time limit."""
    outcome = Outcome()
    queue = iter(range(len(planned)))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + time_limit

    async def connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for index in queue:
                if loop.time() > deadline:
                    outcome.unsent += 1
                    continue
                request = planned[index]
                began = time.perf_counter()
                try:
                    status = await asyncio.wait_for(_exchange(reader, writer, request.payload), timeout)
                except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
                    outcome.errors[type(exc).__name__] += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    continue
                outcome.latencies.append(time.perf_counter() - began)
                outcome.statuses[status] += 1
                if status == 200:
                    outcome.accepted_sids.add(request.sid)
                else:
                    outcome.errors[f"http {status}"] += 1
        finally:
            writer.close()

    outcome.started = time.time()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    outcome.finished = time.time()
    return outcome


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def summary(outcome: Outcome, requests: int) -> dict[str, Any]:
    seconds = outcome.finished - outcome.started
    ms = [x * 1000 for x in outcome.latencies]
    accepted = outcome.statuses.get(200, 0)
    return {
        "requests": requests,
        "answered": len(ms),
        "accepted": accepted,
        "unsent_at_time_limit": outcome.unsent,
        "seconds": round(seconds, 3),
        "accepted_per_second": round(accepted / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(ms, 0.50), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "p99_ms": round(percentile(ms, 0.99), 2),
        "max_ms": round(max(ms), 2) if ms else None,
        "errors": sum(outcome.errors.values()) + outcome.unsent,
        "error_kinds": dict(outcome.errors),
    }


def run_level(port: int, planned: Sequence[Planned], concurrency: int, time_limit: float) -> Outcome:
    try:
        import uvloop

        runner: Any = uvloop.run
    except ImportError:
        runner = asyncio.run
    result: Outcome = runner(drive(port, planned, concurrency, time_limit, timeout=15.0))
    return result


# -- processes -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants (uvicorn workers, `puente work`)."""
    children: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children[int(fields[1])].append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and all its descendants, in MB."""
    total = 0.0
    for pid in process_tree(root):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
    return round(total, 1)


def machine_busy_seconds() -> float:
    """CPU seconds spent busy by the whole machine so far (all processes, all cores)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(root: int) -> dict[str, float]:
    """CPU seconds used so far by the web processes and by the background (`puente work`) ones."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {"web": 0.0, "background": 0.0, "machine": machine_busy_seconds()}
    for pid in process_tree(root):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            kind = "background" if b"work" in command else "web"
            used[kind] += (int(fields[11]) + int(fields[12])) / ticks
    return used


@contextlib.contextmanager
def started(command: list[str], env: dict[str, str], cwd: Path, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A process with its output in ``log``, terminated (killed after 30 s) afterwards."""
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str], port: int, cwd: Path, log: Path) -> Iterator[int]:
    """Start a server process, wait until it answers on ``port``, stop it afterwards."""
    with started(command, env, cwd, log) as process:
        _wait_ready(port, process)
        yield process.pid


def _wait_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering")
        with contextlib.suppress(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return
        time.sleep(0.05)
    raise RuntimeError("server did not answer within 60 s")


@contextlib.contextmanager
def standin() -> Iterator[str]:
    """The Twilio stand-in in its own process; yields its base URL."""
    process = subprocess.Popen(
        [PYTHON, str(BENCH / "standin.py"), ACCOUNT_SID, AUTH_TOKEN],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().decode().strip()
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sent_records(api: str) -> list[tuple[str, int, str, float]]:
    records = httpx.get(f"{api}/_bench/sent", timeout=30).json()["sent"]
    return [tuple(r) for r in records]  # type: ignore[misc]


# -- databases -------------------------------------------------------------------------------------


def fresh_database(backend: str, tmp: Path, pg_url: str, pg_database: str) -> str:
    """A migrated, empty database; returns its URL."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp / 'load.sqlite3'}"
    else:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{pg_database}"'))
        admin.dispose()
        url = make_url(pg_url).set(database=pg_database).render_as_string(hide_password=False)
    env = {**base_environ(tmp), "DATABASE_URL": url}
    subprocess.run([PYTHON, "-m", "bot", "db", "upgrade"], env=env, cwd=tmp, check=True, capture_output=True)
    return url


def backlog(db: Any) -> int:
    """Replies not yet handed to the provider, plus inbound messages not yet answered."""
    from sqlalchemy import func, select

    from bot.storage.models import OutboxItem

    with db.connect() as conn:
        open_items = select(func.count()).select_from(OutboxItem).where(OutboxItem.status.in_(("pending", "sending")))
        return int(conn.scalar(open_items) or 0) + _unanswered(conn)


def _unanswered(conn: Any) -> int:
    from sqlalchemy import func, select

    from bot.storage import models

    pending = getattr(models, "InboundJob", None)
    if pending is None:
        return 0
    return int(conn.scalar(select(func.count()).select_from(pending)) or 0)


def wait_drained(db: Any, timeout: float) -> float | None:
    """Seconds until nothing is left to answer or send; None if ``timeout`` passed first."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if backlog(db) == 0:
            return time.monotonic() - started
        time.sleep(0.1)
    return None


# -- checks ----------------------------------------------------------------------------------------


def check_answers(db: Any, accepted_sids: set[str], sent: list[tuple[str, int, str, float]]) -> dict[str, Any]:
    """Every accepted message stored once and answered; every reply at the stand-in exactly once."""
    from sqlalchemy import select

    from bot.storage.models import Message, OutboxItem

    with db.connect() as conn:
        inbound = set(conn.scalars(select(Message.provider_message_id).where(Message.direction == "in")))
        rows = conn.execute(select(Message.contact_id, Message.direction).order_by(Message.contact_id, Message.id))
        unanswered = _unanswered_turns([(c, d) for c, d in rows])
        outbox = dict(conn.execute(select(OutboxItem.id, OutboxItem.status)).all())
    per_part = Counter((outbox_id, digest) for _, outbox_id, digest, _ in sent)
    sent_ids = {outbox_id for _, outbox_id, _, _ in sent}
    problems = {
        "accepted_not_stored": len(accepted_sids - inbound),
        "stored_not_accepted": len(inbound - accepted_sids),
        "messages_without_reply": unanswered,
        "replies_not_sent": sum(1 for status in outbox.values() if status != "sent"),
        "replies_sent_twice": sum(1 for n in per_part.values() if n > 1),
        "sent_without_outbox_item": len(sent_ids - outbox.keys()),
        "outbox_items_never_sent": len(outbox.keys() - sent_ids),
    }
    return {
        "unique_messages": len(inbound),
        "replies": len(outbox),
        "parts_sent": len(sent),
        **problems,
        "ok": not any(problems.values()),
    }


def _unanswered_turns(rows: list[tuple[int, str]]) -> int:
    """Inbound messages not followed by a reply before the same person's next message."""
    missing = 0
    for _, group in itertools.groupby(rows, key=lambda r: r[0]):
        directions = [d for _, d in group]
        for here, after in zip(directions, [*directions[1:], "end"], strict=True):
            missing += here == "in" and after != "out"
    return missing


# -- one backend -----------------------------------------------------------------------------------


def base_environ(tmp: Path) -> dict[str, str]:
    from bot.keys import new_test_environ

    keys = getattr(base_environ, "keys", None) or new_test_environ()
    base_environ.keys = keys  # type: ignore[attr-defined]  # one key set per benchmark run
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp)),
        **keys,
        "PUENTE_VAR_DIR": str(tmp / "var"),
        "PUENTE_NLU_CACHE_DIR": str(REPO / "var" / "nlu"),
    }


def serve_environ(tmp: Path, url: str, port: int, api: str, outbox_rate: float) -> dict[str, str]:
    return {
        **base_environ(tmp),
        "DATABASE_URL": url,
        "PUENTE_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_WHATSAPP_FROM": WHATSAPP_FROM,
        "TWILIO_API_BASE_URL": api,
        "PUENTE_OUTBOX_RATE": str(outbox_rate),
    }


def bench_puente(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    from bot.storage.database import create_db_engine

    with tempfile.TemporaryDirectory() as raw, standin() as api:
        tmp = Path(raw)
        url = fresh_database(backend, tmp, args.pg_url, args.pg_database)
        db = create_db_engine(url)
        port = free_port()
        command = [PYTHON, "-m", "bot", "serve", "--port", str(port), "--workers", str(args.workers)]
        command += ["--web-only"] if args.answer == "after" else ["--background", str(args.background)]
        env = serve_environ(tmp, url, port, api, args.outbox_rate)
        levels: list[dict[str, Any]] = []
        accepted: set[str] = set()
        with running(command, env, port, tmp, tmp / "server.log") as pid:
            idle_rss = tree_rss_mb(pid)
            warm = plan("9", 4 * len(CONVERSATION), 0.0, port, seed=0)  # caches, connections, first turns
            accepted |= run_level(port, warm, 4, args.time_limit).accepted_sids
            with answering_after(args, env, tmp):
                wait_drained(db, args.drain_timeout)
            for index, concurrency in enumerate(args.concurrency):
                planned = plan(str(index), _count(args, concurrency), args.duplicates, port, seed=index + 1)
                cpu_before, own_before = tree_cpu_seconds(pid), time.process_time()
                outcome = run_level(port, planned, concurrency, args.time_limit)
                cpu = _cpu_row(cpu_before, tree_cpu_seconds(pid), time.process_time() - own_before, outcome)
                rss = tree_rss_mb(pid)
                with answering_after(args, env, tmp):
                    drained = wait_drained(db, args.drain_timeout)
                sent = [r for r in sent_records(api) if r[3] >= outcome.started]
                accepted |= outcome.accepted_sids
                row = {"concurrency": concurrency, **summary(outcome, len(planned)), "rss_mb_after_load": rss, **cpu}
                row.update(_drain(sent, outcome, drained))
                levels.append(row)
                print(f"  {backend} c={concurrency}: {_line(row)}", flush=True)
            idle_after = tree_rss_mb(pid)
        checks = check_answers(db, accepted, sent_records(api))
        db.dispose()
    return {
        "backend": backend,
        "workers": args.workers,
        "answer": args.answer,
        "background": args.background if args.answer == "during" else 0,
        "outbox_rate_per_second": args.outbox_rate,
        "rss_mb_idle_before": idle_rss,
        "rss_mb_idle_after": idle_after,
        "levels": levels,
        "checks": checks,
    }


@contextlib.contextmanager
def answering_after(args: argparse.Namespace, env: dict[str, str], tmp: Path) -> Iterator[None]:
    """With ``--answer after``: a `puente work` answers what the web-only server queued, then stops."""
    if args.answer != "after":
        yield
        return
    with started([PYTHON, "-m", "bot", "work"], env, tmp, tmp / "work.log"):
        yield


def _cpu_row(before: dict[str, float], after: dict[str, float], generator: float, outcome: Outcome) -> dict[str, Any]:
    """CPU per answered request during the load: web processes, background, the generator itself."""
    answered = max(1, len(outcome.latencies))
    seconds = max(outcome.finished - outcome.started, 1e-9)
    return {
        "web_cpu_ms_per_request": round((after["web"] - before["web"]) * 1000 / answered, 3),
        "background_cores_during_load": round((after["background"] - before["background"]) / seconds, 2),
        "generator_cpu_ms_per_request": round(generator * 1000 / answered, 3),
        "machine_cores_busy_during_load": round((after["machine"] - before["machine"]) / seconds, 2),
    }


def _count(args: argparse.Namespace, concurrency: int) -> int:
    return int(args.requests if concurrency > 1 else max(100, args.requests // 6))


def _drain(sent: list[tuple[str, int, str, float]], outcome: Outcome, drained: float | None) -> dict[str, Any]:
    times = [t for *_, t in sent]
    span = (max(times) - outcome.started) if times else 0.0
    return {
        "parts_sent": len(sent),
        "outbox_drain_per_second": round(len(sent) / span, 1) if span > 0 else None,
        "drained_seconds_after_load": None if drained is None else round(drained, 2),
    }


def _line(row: dict[str, Any]) -> str:
    return (
        f"{row['accepted_per_second']} accepted/s, p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, "
        f"p99 {row['p99_ms']} ms, errors {row['errors']}, drain {row['outbox_drain_per_second']}/s "
        f"(done {row['drained_seconds_after_load']} s after load), rss {row['rss_mb_after_load']} MB, "
        f"web cpu {row['web_cpu_ms_per_request']} ms/request, background {row['background_cores_during_load']} cores"
        f", machine {row['machine_cores_busy_during_load']} cores busy"
    )


def bench_bare(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as raw:
        tmp = Path(raw)
        port = free_port()
        command = [PYTHON, str(BENCH / "bare_app.py"), str(port), str(args.workers)]
        env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", raw)}
        levels = []
        with running(command, env, port, tmp, tmp / "bare.log") as pid:
            run_level(port, plan("9", 200, 0.0, port, seed=0), 4, args.time_limit)
            for index, concurrency in enumerate(args.concurrency):
                planned = plan(str(index), _count(args, concurrency), args.duplicates, port, seed=index + 1)
                cpu_before, own_before = tree_cpu_seconds(pid), time.process_time()
                outcome = run_level(port, planned, concurrency, args.time_limit)
                cpu = _cpu_row(cpu_before, tree_cpu_seconds(pid), time.process_time() - own_before, outcome)
                row = {"concurrency": concurrency, **summary(outcome, len(planned)), "rss_mb": tree_rss_mb(pid), **cpu}
                levels.append(row)
                print(
                    f"  bare c={concurrency}: {row['accepted_per_second']} accepted/s, p95 {row['p95_ms']} ms, "
                    f"web cpu {row['web_cpu_ms_per_request']} ms/request, "
                    f"generator cpu {row['generator_cpu_ms_per_request']} ms/request"
                )
    return {"workers": args.workers, "levels": levels}


# -- main ------------------------------------------------------------------------------------------


def median_rows(runs: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Per concurrency level, the median of each number over repeated runs."""
    merged = []
    for rows in zip(*runs, strict=True):
        row: dict[str, Any] = {}
        for key, value in rows[0].items():
            numbers = [r[key] for r in rows if isinstance(r.get(key), int | float)]
            row[key] = statistics.median(numbers) if len(numbers) == len(rows) else value
        merged.append(row)
    return merged


def default_pg_url() -> str | None:
    """PUENTE_BENCH_PG_URL, else the server of PUENTE_TEST_DATABASE_URL (its database is left alone)."""
    return os.environ.get("PUENTE_BENCH_PG_URL") or os.environ.get("PUENTE_TEST_DATABASE_URL")


def default_backends() -> list[str]:
    return ["sqlite", "postgresql"] if default_pg_url() else ["sqlite"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default=",".join(default_backends()))
    parser.add_argument("--concurrency", default="1,8,32", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--requests", type=int, default=3000, help="requests per level (a sixth at concurrency 1)")
    parser.add_argument("--duplicates", type=float, default=0.1, help="share of requests that repeat a MessageSid")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers (two do not help on 2 cores)")
    parser.add_argument("--background", type=int, default=1, help="`puente work` processes beside the web workers")
    parser.add_argument(
        "--answer",
        choices=("during", "after"),
        default="during",
        help="during: `puente serve` answers while the load runs (one machine does everything); "
        "after: `puente serve --web-only` takes the load and a `puente work` answers after each level "
        "(the web tier alone, as when the answerers run on another machine)",
    )
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per level at most")
    parser.add_argument("--drain-timeout", type=float, default=120.0)
    parser.add_argument("--outbox-rate", type=float, default=1000.0, help="PUENTE_OUTBOX_RATE for the server")
    parser.add_argument("--pg-url", default=default_pg_url() or DEFAULT_PG)
    parser.add_argument("--pg-database", default="bench")
    parser.add_argument("--skip-bare", action="store_true")
    args = parser.parse_args()

    results: dict[str, Any] = {"args": {k: v for k, v in vars(args).items() if k != "pg_url"}}
    if not args.skip_bare:
        bare_runs = [bench_bare(args)["levels"] for _ in range(args.runs)]
        results["bare"] = median_rows(bare_runs)
    for backend in args.backends.split(","):
        runs = []
        for _ in range(args.runs):
            runs.append(bench_puente(backend, args))
        results[backend] = {**runs[-1], "levels": median_rows([r["levels"] for r in runs]), "runs": runs}
        if "bare" in results:
            for row, floor in zip(results[backend]["levels"], results["bare"], strict=True):
                row["share_of_bare"] = round(row["accepted_per_second"] / floor["accepted_per_second"], 3)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    print(f"written to {RESULTS.relative_to(REPO)}")


def print_table(results: dict[str, Any]) -> None:
    for name in ("bare", "sqlite", "postgresql"):
        if name not in results:
            continue
        levels = results[name] if name == "bare" else results[name]["levels"]
        print(f"{name}:")
        for row in levels:
            share = f", {row['share_of_bare']:.0%} of bare" if "share_of_bare" in row else ""
            print(
                f"  c={row['concurrency']:>2}: {row['accepted_per_second']:>7} accepted/s  p50 {row['p50_ms']} ms  "
                f"p95 {row['p95_ms']} ms  p99 {row['p99_ms']} ms  errors {row['errors']}{share}"
            )
        if name != "bare":
            checks = results[name]["checks"]
            print(f"  answered exactly once: {checks['ok']} ({checks})")


if __name__ == "__main__":
    main()

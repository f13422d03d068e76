"""Cold start: seconds from `puente serve` process start to the first answered web-chat message,
and the server's resident memory at idle after that.

Run ``.venv/bin/python bench/coldstart.py [--runs 5]``. Each run starts a fresh server on a free
port of 127.0.0.1 with a new SQLite file (migrated first, as `make run` does) and the NLU cache
that `make run` leaves in var/nlu. Writes bench/results/coldstart.json.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_run(tmp: Path) -> dict[str, float]:
    port = free_port()
    env = {
        **os.environ,
        "PUENTE_VAR_DIR": str(tmp),
        "PUENTE_NLU_CACHE_DIR": str(REPO / "var" / "nlu"),
        "DATABASE_URL": f"sqlite:///{tmp / 'cold.sqlite3'}",
    }
    subprocess.run([PYTHON, "-m", "bot", "db", "upgrade"], env=env, check=True, capture_output=True)
    started = time.perf_counter()
    server = subprocess.Popen(
        [PYTHON, "-m", "bot", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        answered = _first_answer(port, started)
        time.sleep(2.0)  # idle
        return {"seconds_to_first_answer": round(answered, 3), "idle_rss_mb": round(rss_mb(server.pid), 1)}
    finally:
        server.terminate()
        server.wait(timeout=20)


def _first_answer(port: int, started: float) -> float:
    body = {"user": "coldstart-bench-user", "text": "hola"}
    deadline = started + 60
    with httpx.Client(timeout=5) as client:
        while time.perf_counter() < deadline:
            try:
                response = client.post(f"http://127.0.0.1:{port}/api/v1/chat", json=body)
                if response.status_code == 200 and response.json()["replies"]:
                    return time.perf_counter() - started
            except httpx.TransportError:
                time.sleep(0.02)
    raise RuntimeError("the server did not answer within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    subprocess.run(
        [PYTHON, "-m", "bot", "nlu", "train"],
        env={**os.environ, "PUENTE_NLU_CACHE_DIR": str(REPO / "var" / "nlu")},
        check=True,
        capture_output=True,
    )
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(one_run(Path(tmp)))
            print(json.dumps(runs[-1]))
    result = {
        "runs": runs,
        "median_seconds_to_first_answer": statistics.median(r["seconds_to_first_answer"] for r in runs),
        "median_idle_rss_mb": statistics.median(r["idle_rss_mb"] for r in runs),
    }
    print(
        f"cold start to first answer: median {result['median_seconds_to_first_answer']} s; "
        f"idle resident memory: median {result['median_idle_rss_mb']} MB"
    )
    out = REPO / "bench" / "results" / "coldstart.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

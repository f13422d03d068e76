"""The shared base of the fake provider servers: a threaded local HTTP server with failures on demand.

Each request the fake would accept first consults ``Failures``: a script of forced outcomes
(``"500"``, ``"429"``, ``"timeout"``, ...) taken in order, else a random failure at ``rate``.
A ``timeout`` answers only after the client gave up and records nothing: it stands for a
request that never reached the provider (a retry after a timeout the provider *did* process
would duplicate the message; neither API has an idempotency key).
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Failures:
    """Which requests fail, and how."""

    rate: float = 0.0
    modes: tuple[str, ...] = ("500",)
    script: deque[str] = field(default_factory=deque)
    timeout_delay: float = 0.7
    seed: int = 7

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()
        self.injected = 0

    def next_outcome(self) -> str:
        with self._lock:
            if self.script:
                outcome = self.script.popleft()
            elif self.rate and self._rng.random() < self.rate:
                outcome = self._rng.choice(self.modes)
            else:
                return "ok"
            self.injected += 1
            return outcome


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler], owner: object) -> Iterator[str]:
    """Serve ``handler`` on a free loopback port; yields the base URL."""
    server = QuietServer(("127.0.0.1", 0), handler)
    server.owner = owner  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class Handler(BaseHTTPRequestHandler):
    """Common plumbing: body reading, JSON answers, no logging to stderr."""

    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # headers and body go out in two writes: without this, delayed ACKs add ~40 ms a request
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:
        return

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length", "0") or 0)
        return self.rfile.read(length) if length else b""

    def answer(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client already gave up (a timeout test)

    def stall(self, failures: Failures) -> None:
        time.sleep(failures.timeout_delay)

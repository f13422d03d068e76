"""A local stand-in for Twilio's Messages API for the load benchmark, run as its own process.

``python bench/standin.py ACCOUNT_SID AUTH_TOKEN`` listens on a free port of 127.0.0.1, prints
its base URL on the first line of stdout and serves until stdin closes. It speaks the wire format
of ``tests/channels/fake_twilio.py`` (HTTP Basic auth, form-encoded parameters, a 201 JSON
message resource) and records each accepted message: recipient, the outbox id from the signed
status-callback URL, a digest of the body and the wall-clock time. ``GET /_bench/sent`` returns
those records as JSON.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, parse_qsl, urlsplit


class StandIn(ThreadingHTTPServer):
    """The server and what it has accepted."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, account_sid: str, auth_token: str) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.path_expected = f"/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.auth_expected = "Basic " + base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self.account_sid = account_sid
        self.lock = threading.Lock()
        self.sent: list[tuple[str, int, str, float]] = []

    def record(self, form: dict[str, str]) -> str:
        callback = parse_qs(urlsplit(form.get("StatusCallback", "")).query)
        outbox = int(callback.get("outbox", ["0"])[0])
        digest = hashlib.sha1(form.get("Body", "").encode()).hexdigest()[:16]
        with self.lock:
            self.sent.append((form.get("To", ""), outbox, digest, time.time()))
        return f"SM{uuid.uuid4().hex}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: StandIn

    def setup(self) -> None:
        super().setup()
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path != self.server.path_expected:
            self._answer(404, {"code": 20404, "message": "not found", "status": 404})
        elif self.headers.get("Authorization") != self.server.auth_expected:
            self._answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
        else:
            form = dict(parse_qsl(body.decode(), keep_blank_values=True))
            self._answer(201, self._resource(self.server.record(form), form))

    def do_GET(self) -> None:
        with self.server.lock:
            records = list(self.server.sent)
        self._answer(200, {"sent": records})

    def _resource(self, sid: str, form: dict[str, str]) -> dict[str, object]:
        account = self.server.account_sid
        return {
            "account_sid": account,
            "api_version": "2010-04-01",
            "body": form.get("Body", ""),
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": form.get("From", ""),
            "num_media": "0",
            "num_segments": "1",
            "sid": sid,
            "status": "queued",
            "to": form.get("To", ""),
            "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
        }

    def _answer(self, status: int, payload: dict[str, object]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    account_sid, auth_token = sys.argv[1], sys.argv[2]
    server = StandIn(account_sid, auth_token)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    sys.stdin.read()  # until the benchmark closes our stdin (or exits)
    server.shutdown()
    server.server_close()


if __name__ == "__main__":
    main()

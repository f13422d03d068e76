"""A local stand-in for Twilio's Messages API (``/2010-04-01/Accounts/<sid>/Messages.json``).

Speaks Twilio's wire format: HTTP Basic auth with the account SID and auth token, form-encoded
parameters, a 201 JSON message resource on success, Twilio's JSON error bodies otherwise.
Outcomes on demand (see ``Failures``): ``500``, ``503``, ``429``, ``429:<retry-after>``,
``timeout``, ``error:<code>`` (400 with that Twilio error code).
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from urllib.parse import parse_qsl

from tests.channels.fakehttp import Failures, Handler, serving


@dataclass(frozen=True)
class SentMessage:
    sid: str
    to: str
    sender: str
    body: str | None
    content_sid: str | None
    status_callback: str | None
    at: float = 0.0


@dataclass
class FakeTwilio:
    account_sid: str
    auth_token: str
    failures: Failures = field(default_factory=Failures)
    latency: float = 0.0
    sent: list[SentMessage] = field(default_factory=list)
    requests: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def accept(self, form: dict[str, str]) -> SentMessage:
        message = SentMessage(
            sid=f"SM{uuid.uuid4().hex}",
            to=form.get("To", ""),
            sender=form.get("From", ""),
            body=form.get("Body"),
            content_sid=form.get("ContentSid"),
            status_callback=form.get("StatusCallback"),
            at=time.monotonic(),
        )
        with self._lock:
            self.sent.append(message)
        return message

    def count(self) -> None:
        with self._lock:
            self.requests += 1

    @contextmanager
    def running(self) -> Iterator[str]:
        with serving(_TwilioHandler, self) as url:
            yield url


def _error(code: int, status: int, message: str) -> bytes:
    return json.dumps(
        {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status}
    ).encode()


class _TwilioHandler(Handler):
    def do_POST(self) -> None:
        fake: FakeTwilio = self.server.owner  # type: ignore[attr-defined]
        fake.count()
        body = self.read_body()
        if self.path != f"/2010-04-01/Accounts/{fake.account_sid}/Messages.json":
            self.answer(404, _error(20404, 404, "not found"), "application/json")
            return
        expected = base64.b64encode(f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
        if self.headers.get("Authorization") != f"Basic {expected}":
            self.answer(401, _error(20003, 401, "Authenticate"), "application/json")
            return
        if fake.latency:
            time.sleep(fake.latency)
        self._respond(fake, dict(parse_qsl(body.decode(), keep_blank_values=True)))

    def _respond(self, fake: FakeTwilio, form: dict[str, str]) -> None:
        outcome = fake.failures.next_outcome()
        if outcome == "timeout":
            self.stall(fake.failures)
            self.answer(500, _error(20500, 500, "late"), "application/json")
        elif outcome.startswith("429"):
            _, _, after = outcome.partition(":")
            headers = {"Retry-After": after} if after else {}
            self.answer(429, _error(20429, 429, "Too Many Requests"), "application/json", headers)
        elif outcome.startswith("error:"):
            code = int(outcome.split(":")[1])
            text = f"The 'To' number {form.get('To')} is not valid"  # Twilio quotes numbers
            self.answer(400, _error(code, 400, text), "application/json")
        elif outcome in ("500", "503"):
            self.answer(int(outcome), _error(20500, int(outcome), "Internal Server Error"), "application/json")
        else:
            self.answer(201, json.dumps(_resource(fake, fake.accept(form))).encode(), "application/json")


def _resource(fake: FakeTwilio, message: SentMessage) -> dict[str, object]:
    now = formatdate(usegmt=True)
    return {
        "account_sid": fake.account_sid,
        "api_version": "2010-04-01",
        "body": message.body or "",
        "date_created": now,
        "date_sent": None,
        "date_updated": now,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": message.sender,
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": "1",
        "price": None,
        "price_unit": "USD",
        "sid": message.sid,
        "status": "queued",
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{fake.account_sid}/Messages/{message.sid}/Media.json"},
        "to": message.to,
        "uri": f"/2010-04-01/Accounts/{fake.account_sid}/Messages/{message.sid}.json",
    }

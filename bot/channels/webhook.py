"""Reading provider webhooks safely: bounded bodies, and refusals answered as plain 4xx responses.

A refused request is answered before anything is stored, with a short reason that carries
no part of the request (no payload, no presented secret).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response


class WebhookRejected(Exception):
    """The request is refused with ``status``; ``reason`` is safe to show and to log."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason

    def response(self) -> Response:
        return PlainTextResponse(self.reason, status_code=self.status)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise WebhookRejected(413, f"body larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise WebhookRejected(413, f"body larger than {limit} bytes")
    return bytes(body)


def require_content_type(request: Request, expected: str) -> None:
    """Refuse with 415 unless the body is declared as ``expected``."""
    declared = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if declared != expected:
        raise WebhookRejected(415, f"content type must be {expected}")

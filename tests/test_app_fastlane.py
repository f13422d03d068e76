"""``FastLane``: the channels' plain ASGI webhooks are called directly, everything else goes
through the Starlette app as before (methods, path parameters, mounted apps, lifespan)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from bot.app import FastLane, SecurityHeaders


class Plain:
    """A plain ASGI endpoint that says whether Starlette's router saw the request first."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        routed = "router" in scope  # Starlette's Router puts itself in the scope
        await PlainTextResponse("routed" if routed else "direct")(scope, receive, send)


async def function_endpoint(request: Request) -> Response:
    return PlainTextResponse("routed" if "router" in request.scope else "direct")


def client(**kwargs: Any) -> TestClient:
    hooks = [
        Route("/hook", Plain(), methods=["POST"]),
        Route("/hook/{id:int}", Plain(), methods=["POST"]),
        Route("/status", function_endpoint, methods=["POST"]),
    ]
    started: list[str] = []

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        started.append("yes")
        yield

    inner = Starlette(routes=hooks, lifespan=lifespan)
    test_client = TestClient(FastLane(SecurityHeaders(inner), hooks), **kwargs)
    test_client.started = started  # type: ignore[attr-defined]
    return test_client


def test_a_plain_asgi_webhook_is_called_directly_without_the_browser_headers() -> None:
    with client() as http:
        answer = http.post("/hook", content=b"x")
        page = http.get("/hook")  # what a browser would open goes through Starlette, with them
    assert answer.status_code == 200 and answer.text == "direct"
    assert "x-frame-options" not in answer.headers and "content-security-policy" not in answer.headers
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"


def test_everything_else_goes_through_starlette() -> None:
    with client() as http:
        assert http.started == ["yes"]  # type: ignore[attr-defined]  # the lifespan reached the app
        assert http.post("/hook/7").text == "routed"  # path parameters
        assert http.post("/status").text == "routed"  # a function endpoint (Starlette wraps it)
        wrong_method = http.get("/hook")
        assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "POST"
        assert http.post("/nowhere").status_code == 404


def test_a_mounted_app_with_a_root_path_goes_through_starlette() -> None:
    with client(root_path="/puente") as http:
        assert http.post("/puente/hook").text == "routed"

"""Fixtures for console tests: the console (and web chat API) on a World, a signed-in client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from bot.app import SecurityHeaders
from bot.console import ConsoleConfig, ServiceChoice, build_console
from bot.console.totp import code_at
from bot.storage.protection import Protector
from bot.web.chat import chat_routes
from tests.fakes import EchoTexts
from tests.handoff.world import FAST_HASHER, PASSWORD, World, make_world

REPO = Path(__file__).resolve().parents[2]
SERVICES = [
    ServiceChoice("comisaria_familia_cucuta", "Comisaría de Familia de Cúcuta", "cucuta", ("gbv",)),
    ServiceChoice("sena_cucuta", "SENA Cúcuta", "cucuta", ("employability",)),
]
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Site:
    world: World
    app: Starlette

    def client(self) -> TestClient:
        return TestClient(self.app, follow_redirects=False)


def console_app(world: World, *, cookie_secure: bool = False) -> Starlette:
    config = ConsoleConfig(canned_replies=REPO / "routes_content" / "canned_replies.yaml", cookie_secure=cookie_secure)
    mount = build_console(world.db, world.protector, EchoTexts(), lambda: SERVICES, config, FAST_HASHER)
    return Starlette(routes=[*chat_routes(world.inbox), mount], middleware=[Middleware(SecurityHeaders)])


@pytest.fixture
def world(db: Engine, protector: Protector) -> World:
    return make_world(db, protector)


@pytest.fixture
def site(db: Engine, protector: Protector) -> Iterator[Site]:
    world = make_world(db, protector)
    world.team("general")
    world.team("gbv")
    world.worker("ana")
    world.worker("beto")
    world.worker("gina", teams=("gbv",))
    world.worker("sofia", role="supervisor", teams=("general",))
    world.worker("root", role="admin", teams=())
    yield Site(world, console_app(world))


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no CSRF field on the page"
    return found[1]


def enrol(world: World, username: str) -> str:
    """Set up TOTP with a code of the previous time step; returns the secret."""
    account_id = world.actors[username].id
    secret, _ = world.accounts.start_enrolment(account_id)
    assert world.accounts.confirm_enrolment(account_id, code_at(secret, datetime.now(UTC) - timedelta(seconds=30)))
    return secret


def sign_in(client: TestClient, world: World, username: str, password: str = PASSWORD) -> str:
    """Sign in (with a TOTP code when the account has one); returns the page CSRF token."""
    page = client.get("/console/login")
    response = client.post(
        "/console/login", data={"csrf": csrf_of(page.text), "username": username, "password": password}
    )
    assert response.status_code == 303, response.text
    if response.headers["location"] == "/console/login/code":
        secret = _secret_of(world, username)
        form = client.get("/console/login/code")
        response = client.post(
            "/console/login/code", data={"csrf": csrf_of(form.text), "code": code_at(secret, datetime.now(UTC))}
        )
        assert response.status_code == 303, response.text
    assert response.headers["location"] == "/console/", response.headers["location"]
    return csrf_of(client.get("/console/").text)


def _secret_of(world: World, username: str) -> str:
    from sqlalchemy import select

    from bot.storage.models import Caseworker

    with world.db.connect() as conn:
        sealed = conn.scalar(select(Caseworker.totp_secret_enc).where(Caseworker.username == username))
    assert sealed is not None
    return world.protector.open(sealed)

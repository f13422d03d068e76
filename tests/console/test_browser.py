"""The console in real headless Chromium, next to a person using the web chat.

One server and one browser for the whole module; the tests run in order and share the case:
login -> the queue shows a new urgent case without reloading -> claim -> canned reply reaches
the person's chat page -> note -> close. Screenshots of the queue and the case view at 1280 px
and 390 px go to test-artifacts/.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from bot.app import Puente, build_app, build_puente
from bot.console.accounts import Accounts
from bot.console.totp import code_at
from bot.settings import load_settings
from bot.storage.database import create_db_engine, upgrade
from tests.handoff.world import FAST_HASHER, PASSWORD

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
URGENT = "mi esposo me está pegando ahora mismo, ayuda"


@dataclass
class Scene:
    """What the tests share: the server, the browser, and the pages still open."""

    url: str
    puente: Puente
    browser: Any
    totp_secret: str
    pages: dict[str, Any] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory, key_environ: dict[str, str], real_nlu: object) -> Iterator[Scene]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    playwright_api = pytest.importorskip("playwright.sync_api")
    tmp = tmp_path_factory.mktemp("console-browser")
    url = f"sqlite:///{tmp / 'puente.sqlite3'}"
    db = create_db_engine(url)
    upgrade(db)
    db.dispose()
    environ = {
        **key_environ,
        "DATABASE_URL": url,
        "PUENTE_VAR_DIR": str(tmp / "var"),
        "PUENTE_CONSOLE_COOKIE_SECURE": "false",
    }
    puente = build_puente(load_settings(environ), environ, nlu=real_nlu)  # type: ignore[arg-type]
    accounts = Accounts(puente.db, puente.protector, FAST_HASHER)
    for team in ("general", "gbv"):
        accounts.add_team(team)
    accounts.add_caseworker("ana", PASSWORD, "caseworker", ["general", "gbv"])
    sofia = accounts.add_caseworker("sofia", PASSWORD, "supervisor", ["general", "gbv"])
    secret, _ = accounts.start_enrolment(sofia)
    assert accounts.confirm_enrolment(sofia, code_at(secret, datetime.now(UTC) - timedelta(seconds=30)))
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(build_app(puente, watch_content=False), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield Scene(f"http://127.0.0.1:{port}", puente, browser, totp_secret=secret)
        browser.close()
    server.should_exit = True
    thread.join(timeout=5)
    puente.db.dispose()


def _chat(scene: Scene, user: str, *texts: str) -> None:
    """Another person, through the chat API."""
    for text in texts:
        response = httpx.post(f"{scene.url}/api/v1/chat", json={"user": user, "text": text}, timeout=30)
        response.raise_for_status()


def _shoot(page: Any, name: str) -> None:
    """What a caseworker sees on opening the page (laptop 1280x900, phone 390x844), and the
    whole page; fails if the page scrolls sideways."""
    ARTIFACTS.mkdir(exist_ok=True)
    url = page.url.split("#")[0]
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(ARTIFACTS / f"console-{name}-{width}.png"))
        page.screenshot(path=str(ARTIFACTS / f"console-{name}-{width}-full.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{name} scrolls sideways at {width} px ({overflow} px wide)"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_login_then_the_queue_shows_a_new_urgent_case_by_itself(scene: Scene) -> None:
    _chat(scene, "second-person-01", "hola", "1", "quiero hablar con una persona")
    console = scene.browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    console.goto(scene.url + "/console/")
    assert console.url.endswith("/console/login")
    console.fill("input[name=username]", "ana")
    console.fill("input[name=password]", PASSWORD)
    console.click("button.primary")
    console.wait_for_selector(".case:not(.urgent)")
    assert console.locator(".case.urgent").count() == 0
    console.evaluate("window.__notReloaded = true")

    person = scene.browser.new_context(viewport={"width": 390, "height": 800}).new_page()
    person.goto(scene.url + "/")
    person.fill("#text", "hola")
    person.press("#text", "Enter")
    person.click("text=1. Español")
    person.wait_for_selector(".msg.bot >> nth=1")
    person.fill("#text", URGENT)
    person.press("#text", "Enter")

    console.wait_for_selector(".case.urgent", timeout=15000)
    assert console.evaluate("window.__notReloaded === true"), "the queue must update without a reload"
    assert "gbv" in console.inner_text(".case.urgent")
    assert console.evaluate("document.title").startswith("(2)")
    rows = console.locator("#queue .case")
    assert "urgent" in (rows.nth(0).get_attribute("class") or ""), "urgent cases come first"
    _shoot(console, "queue")
    scene.pages.update(console=console, person=person)


def test_claim_reply_note_close(scene: Scene) -> None:
    console, person = scene.pages["console"], scene.pages["person"]
    console.click(".case.urgent >> text=Claim")
    console.wait_for_selector("#reply-form")
    assert URGENT in console.inner_text("#transcript")

    console.select_option("#canned", "safety")
    assert console.input_value("#reply-text").startswith("¿Estás a salvo en este momento?")
    console.fill("#reply-text", "Hola, soy Ana del equipo. ¿Estás a salvo en este momento?")
    console.click("#send")
    console.wait_for_selector(".line.worker >> text=Hola, soy Ana del equipo.")
    assert console.inner_text(".line.worker .delivery") == "sent"

    person.wait_for_selector(".msg.bot >> text=Hola, soy Ana del equipo.", timeout=15000)
    user = person.evaluate("localStorage.getItem('puente.user')")
    polled = httpx.get(f"{scene.url}/api/v1/chat", params={"user": user, "after": 0}, timeout=10).json()
    assert polled["replies"][-1]["text"] == "Hola, soy Ana del equipo. ¿Estás a salvo en este momento?"

    person.fill("#text", "sí, ya estoy en casa de mi hermana")
    person.press("#text", "Enter")
    console.wait_for_selector(".line.person >> text=ya estoy en casa de mi hermana", timeout=15000)

    console.fill("#note-text", "Está con su hermana. Orientar sobre medida de protección.")
    console.click("#add-note")
    console.wait_for_selector(".notes >> text=Está con su hermana.")
    _shoot(console, "case")

    console.select_option("#outcome", "referred")
    console.select_option("#referral", "comisaria_familia_cucuta")
    console.click("#close")
    console.wait_for_url("**/console/?closed=*")
    assert "with you" not in console.inner_text("#queue").lower().split("with colleagues")[0].split("with you")[1]
    person.wait_for_selector(".msg.bot >> text=Nuestro equipo cerró esta conversación", timeout=15000)


def test_supervisor_signs_in_with_a_code_and_sees_the_numbers(scene: Scene) -> None:
    _chat(scene, "third-person-01", "hola", "1", "me llamo Pedro Gómez y quiero comprar un perro de raza")
    page = scene.browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(scene.url + "/console/login")
    page.fill("input[name=username]", "sofia")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/console/login/code")
    page.fill("input[name=code]", code_at(scene.totp_secret, datetime.now(UTC)))
    page.click("button.primary")
    page.wait_for_url("**/console/")
    page.click("text=Supervision")
    page.wait_for_selector("#open-count")
    assert int(page.inner_text("#open-count")) >= 1  # the second person still waits
    assert "Pedro" not in page.content() and "[name]" in page.content()
    _shoot(page, "supervisor")

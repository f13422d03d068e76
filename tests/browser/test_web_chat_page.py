"""The web chat page in real headless Chromium: talk, pick an option, quick exit, 360 px layout."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from bot.app import build_app

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(puente: object) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it when run as root)")
    port = _free_port()
    config = uvicorn.Config(build_app(puente, watch_content=False), host="127.0.0.1", port=port, log_level="warning")  # type: ignore[arg-type]
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    while not uv.started:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def page(server: str) -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        context = browser.new_context(viewport={"width": 360, "height": 740})
        pg = context.new_page()
        pg.route("https://www.google.com/**", lambda route: route.fulfill(body="<title>Clima</title>neutral"))
        yield pg
        browser.close()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_conversation_options_and_quick_exit(server: str, page: object) -> None:
    pg = page  # playwright Page
    pg.goto(server + "/")  # type: ignore[attr-defined]
    pg.fill("#text", "hola")  # type: ignore[attr-defined]
    pg.press("#text", "Enter")  # type: ignore[attr-defined]
    pg.wait_for_selector("text=Ley 1581 de 2012")  # type: ignore[attr-defined]
    pg.click("text=1. Español")  # type: ignore[attr-defined]
    pg.wait_for_selector(".msg.bot >> nth=1")  # type: ignore[attr-defined]
    pg.fill("#text", "necesito trabajo")  # type: ignore[attr-defined]
    pg.press("#text", "Enter")  # type: ignore[attr-defined]
    pg.wait_for_selector(".msg.bot >> nth=2")  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "web-chat-360.png"), full_page=True)  # type: ignore[attr-defined]
    width = pg.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert width <= 360, "the page must not scroll sideways at 360 px"
    assert pg.evaluate("localStorage.getItem('puente.user')")  # type: ignore[attr-defined]
    pg.click("#quick-exit")  # type: ignore[attr-defined]
    pg.wait_for_url("https://www.google.com/**")  # type: ignore[attr-defined]
    assert "neutral" in pg.content()  # type: ignore[attr-defined]
    pg.goto(server + "/")  # type: ignore[attr-defined]
    assert pg.evaluate("localStorage.getItem('puente.user')") is None  # type: ignore[attr-defined]
    assert pg.locator(".msg").count() == 0  # type: ignore[attr-defined]

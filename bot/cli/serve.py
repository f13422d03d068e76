"""``puente serve``: the web chat, API and channel webhooks under uvicorn, and ``puente work`` beside them."""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Annotated

import typer
import uvicorn

from bot.logs import configure_logging
from bot.settings import load_settings

log = logging.getLogger(__name__)

RESTART_SECONDS = 2.0
STOP_SECONDS = 20.0


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1,
    background: Annotated[
        int,
        typer.Option(
            min=0,
            help="`puente work` processes that answer channel messages and send replies "
            "(0: the web workers do it themselves)",
        ),
    ] = 1,
    web_only: Annotated[
        bool,
        typer.Option(
            "--web-only",
            help="Only take requests: channel messages wait in the queue for `puente work` processes "
            "run elsewhere (another machine, or later)",
        ),
    ] = False,
) -> None:
    """Serve http://HOST:PORT with the web chat at / (migrations must be applied first)."""
    from bot.keys import protector_from_environ

    configure_logging()
    settings = load_settings(os.environ)
    protector_from_environ(os.environ, settings.var_dir, create=True)  # first start: make local keys
    channels = settings.twilio_enabled or settings.telegram_enabled
    helpers = background if channels and not web_only else 0
    # Answers wait for spare CPU; webhooks and the web chat come first. On SQLite a starved
    # answerer would hold the one write lock, so it only gets a lower priority.
    priority = "low" if settings.database_url.startswith("sqlite") else "idle"
    typer.echo(f"Puente web chat on http://{host or settings.host}:{port or settings.port}/")
    with _helpers(helpers, priority):
        uvicorn.run(
            "bot.app:create_web_app" if helpers or web_only else "bot.app:create_app",
            factory=True,
            host=host or settings.host,
            port=port or settings.port,
            workers=workers,
            log_level="info",
            access_log=False,  # access lines would carry query strings with user ids
        )


@contextlib.contextmanager
def _helpers(count: int, priority: str) -> Iterator[None]:
    """Run ``count`` ``puente work`` processes, restarted if they die, stopped at the end."""
    command = [sys.executable, "-m", "bot", "work", "--priority", priority, "--with-parent"]
    stopping = threading.Event()
    processes: list[subprocess.Popen[bytes]] = []
    lock = threading.Lock()

    def start() -> subprocess.Popen[bytes] | None:
        with lock:
            if stopping.is_set():
                return None
            processes.append(subprocess.Popen(command))
            return processes[-1]

    def keep_running() -> None:
        process = start()
        while process is not None:
            process.wait()
            if stopping.is_set():
                return
            log.error("puente work exited with %s; restarting", process.returncode)
            if stopping.wait(RESTART_SECONDS):
                return
            process = start()

    for _ in range(count):
        threading.Thread(target=keep_running, daemon=True).start()
    try:
        yield
    finally:
        with lock:
            stopping.set()
            for process in processes:
                if process.poll() is None:
                    process.terminate()
        for process in processes:
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()

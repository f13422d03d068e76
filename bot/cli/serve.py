"""``puente serve``: the web chat, API and channel webhooks under uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn

from bot.logs import configure_logging
from bot.settings import load_settings


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1,
) -> None:
    """Serve http://HOST:PORT with the web chat at / (migrations must be applied first)."""
    from bot.keys import protector_from_environ

    configure_logging()
    settings = load_settings(os.environ)
    protector_from_environ(os.environ, settings.var_dir, create=True)  # first start: make local keys
    typer.echo(f"Puente web chat on http://{host or settings.host}:{port or settings.port}/")
    uvicorn.run(
        "bot.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level="info",
        access_log=False,  # access lines would carry query strings with user ids
    )

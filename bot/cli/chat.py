"""``puente chat``: talk to the bot in the terminal; reads stdin line by line when piped."""

from __future__ import annotations

import logging
import os
import sys
import uuid
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console

from bot.engine.messages import InboundMessage, OutboundMessage
from bot.logs import configure_logging
from bot.settings import load_settings


def chat(
    user: Annotated[str, typer.Option(help="User id on the 'cli' channel (keeps the conversation)")] = "",
    lang: Annotated[str | None, typer.Option(help="Start in this language (es, en, pt, fr, ht)")] = None,
) -> None:
    """Chat with Puente through the real engine and database."""
    from bot.app import build_puente
    from bot.storage.database import upgrade

    configure_logging(logging.WARNING)
    settings = load_settings(os.environ)
    puente = build_puente(settings, os.environ, create_keys=True)
    upgrade(puente.db)
    console = Console(highlight=False)
    user_id = user or f"cli-{uuid.uuid4().hex[:12]}"
    interactive = sys.stdin.isatty()
    if lang:  # a language's name as first message shows the privacy notice in that language
        _say(puente, console, user_id, _LANG_WORDS.get(lang, lang), echo=True)
    if interactive:
        console.print("[dim]Puente — write a message, Ctrl-D to leave.[/dim]")
    for line in _lines(console, interactive):
        if not interactive:
            console.print(f"[bold cyan]» {line}[/bold cyan]")
        _say(puente, console, user_id, line, echo=True)
    puente.db.dispose()


_LANG_WORDS = {"es": "español", "en": "english", "pt": "português", "fr": "français", "ht": "kreyòl"}


def _lines(console: Console, interactive: bool) -> list[str] | _Prompt:
    return _Prompt(console) if interactive else [line.rstrip("\n") for line in sys.stdin]


class _Prompt:
    """Iterates over lines typed at a Rich prompt until Ctrl-D."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def __iter__(self) -> _Prompt:
        return self

    def __next__(self) -> str:
        try:
            return self._console.input("[bold cyan]» [/bold cyan]")
        except (EOFError, KeyboardInterrupt):
            raise StopIteration from None


def _say(puente: object, console: Console, user_id: str, text: str, *, echo: bool) -> None:
    from bot.app import Puente

    assert isinstance(puente, Puente)
    message = InboundMessage("cli", user_id, uuid.uuid4().hex, text, datetime.now(UTC))
    for reply in puente.inbox.receive(message).replies:
        if echo:
            _print_reply(console, reply.message)


def _print_reply(console: Console, reply: OutboundMessage) -> None:
    console.print(reply.text, markup=False, soft_wrap=True)
    for number, label in enumerate(reply.options, start=1):
        console.print(f"  {number}. {label}", markup=False)
    console.print()

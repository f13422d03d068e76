"""The ``puente`` command line: one Typer app, sub-commands registered from their modules."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.settings import SettingsError, load_settings

app = typer.Typer(
    help="Puente: care and protection routes for refugees and migrants.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def main() -> None:
    """Console-script entry point."""
    from dotenv import load_dotenv

    from bot.cli import caseworkers, channels, chat, content, data, nlu, serve, work

    load_dotenv(".env", override=False)  # a local .env file, if present; real variables win

    app.add_typer(nlu.app, name="nlu")
    app.add_typer(content.app, name="content")
    app.add_typer(data.app, name="data")
    app.add_typer(channels.telegram_app, name="telegram")
    app.add_typer(channels.outbox_app, name="outbox")
    app.add_typer(caseworkers.app, name="caseworker")
    app.add_typer(caseworkers.team_app, name="team")
    app.command("serve")(serve.serve)
    app.command("work")(work.work)
    app.command("chat")(chat.chat)
    from bot.content.problems import ContentError
    from nlu import RasaDataError

    try:
        app()
    except SettingsError as exc:
        _fail("Configuration error", exc)
    except ContentError as exc:
        _fail("Content error (fix the file named, or run `puente content check`)", exc)
    except RasaDataError as exc:
        _fail("NLU training data error", exc)


def _fail(what: str, exc: Exception) -> None:
    console = Console(stderr=True, highlight=False)
    console.print(f"[red]{what}:[/red]")
    console.print(str(exc), markup=False)
    raise SystemExit(2) from None


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "head",
) -> None:
    """Apply database migrations (SQLite file under var/ by default, or DATABASE_URL)."""
    from bot.storage.database import create_db_engine, upgrade

    settings = load_settings(os.environ)
    engine = create_db_engine(settings.database_url)
    upgrade(engine, revision)
    engine.dispose()
    typer.echo(f"database at {settings.describe()['database_url']} is at revision {revision}")


@app.command("config")
def config() -> None:
    """Print the effective configuration, secrets masked."""
    table = Table("setting", "value")
    for name, value in load_settings(os.environ).describe().items():
        table.add_row(name, value)
    Console().print(table)

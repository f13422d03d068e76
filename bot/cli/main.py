"""The ``puente`` command line: one Typer app, sub-commands registered from their modules."""

from __future__ import annotations

import typer

app = typer.Typer(help="Puente: care and protection routes for refugees and migrants.", no_args_is_help=True)


def main() -> None:
    """Console-script entry point."""
    _register()
    app()


def _register() -> None:
    from bot.cli import content, nlu

    app.add_typer(nlu.app, name="nlu")
    app.add_typer(content.app, name="content")

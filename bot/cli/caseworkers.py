"""``puente caseworker ...`` and ``puente team ...``: console accounts and the teams cases go to.

    puente team add gbv [--require-totp]
    printf '%s\n' "$PASSWORD" | puente caseworker add ana --role caseworker --team gbv --password-stdin
    puente caseworker list
    puente caseworker unlock ana | reset-totp ana
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.console.accounts import AccountError, Accounts
from bot.handoff.actor import ROLES
from bot.settings import load_settings

app = typer.Typer(help="Caseworker accounts for the console at /console.", no_args_is_help=True)
team_app = typer.Typer(help="Teams that handed-off cases are routed to.", no_args_is_help=True)


def _accounts() -> Accounts:
    from bot.keys import protector_from_environ
    from bot.storage.database import create_db_engine

    settings = load_settings(os.environ)
    protector = protector_from_environ(os.environ, settings.var_dir, create=True)
    return Accounts(create_db_engine(settings.database_url), protector)


def _fail(exc: AccountError) -> typer.Exit:
    Console(stderr=True).print(f"[red]{exc}[/red]")
    return typer.Exit(code=1)


@app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name: lowercase letters, digits, . _ -")],
    role: Annotated[str, typer.Option(help=f"One of {', '.join(ROLES)}")] = "caseworker",
    team: Annotated[list[str] | None, typer.Option(help="A team (repeat for several)")] = None,
    password_stdin: Annotated[bool, typer.Option(help="Read the password from stdin")] = False,
) -> None:
    """Create a console account (supervisors and admins must set up TOTP at first login)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        _accounts().add_caseworker(username, password, role, team or [])
    except AccountError as exc:
        raise _fail(exc) from None
    typer.echo(f"created {role} {username} in teams: {', '.join(team or []) or '(none)'}")


@app.command("list")
def list_accounts() -> None:
    """Show every account with its role, teams and two-factor state."""
    table = Table("username", "role", "teams", "2FA", "state")
    for a in _accounts().list_accounts():
        factor = "on" if a.totp_enabled else ("required, not set up" if a.totp_required else "off")
        state = "inactive" if not a.active else ("locked" if a.locked else "ok")
        table.add_row(a.username, a.role, ", ".join(a.teams) or "-", factor, state)
    Console().print(table)


@app.command("unlock")
def unlock(username: str) -> None:
    """Lift a lock-out after too many wrong passwords or codes."""
    try:
        _accounts().unlock(username)
    except AccountError as exc:
        raise _fail(exc) from None
    typer.echo(f"{username} unlocked")


@app.command("reset-totp")
def reset_totp(username: str) -> None:
    """Forget the TOTP secret (lost phone); the next login sets up a new one."""
    try:
        _accounts().reset_totp(username)
    except AccountError as exc:
        raise _fail(exc) from None
    typer.echo(f"{username}: two-factor reset and signed out everywhere")


@team_app.command("add")
def team_add(
    name: Annotated[str, typer.Argument(help="Team name, e.g. general, gbv, cash_transfer, legal")],
    require_totp: Annotated[bool, typer.Option(help="Its caseworkers must use TOTP")] = False,
) -> None:
    """Create a team (a topic's id as name gets that topic's cases by default)."""
    try:
        _accounts().add_team(name, require_totp=require_totp)
    except AccountError as exc:
        raise _fail(exc) from None
    typer.echo(f"team {name} created" + (" (TOTP required)" if require_totp else ""))

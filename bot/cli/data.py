"""``puente data``: retention purge, and a person's export or erasure requested by other routes."""

from __future__ import annotations

import json
import logging
import os
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from bot.keys import protector_from_environ
from bot.logs import configure_logging
from bot.settings import load_settings
from bot.storage.database import create_db_engine
from bot.storage.retention import RetentionPolicy, purge
from bot.storage.subject import PersonRef, UnknownPerson, erase_contact, export_person, find_contact_id

app = typer.Typer(help="Personal data: retention, export, erasure.", no_args_is_help=True)
log = logging.getLogger(__name__)

PersonOption = Annotated[str, typer.Option("--user", help="CHANNEL:ID, e.g. whatsapp:+573001234567")]


@app.command("purge")
def purge_command() -> None:
    """Erase message text past the retention period and anonymise long-silent contacts."""
    configure_logging()
    settings = load_settings(os.environ)
    db = create_db_engine(settings.database_url)
    policy = RetentionPolicy(settings.retention_days, settings.retention_topic_days, settings.inactive_days)
    report = purge(db, policy)
    db.dispose()
    typer.echo(f"erased {report.texts_erased} message texts; anonymised {report.contacts_anonymised} contacts")


@app.command("export")
def export_command(user: PersonOption) -> None:
    """Print everything stored about one person as JSON (right of access)."""
    settings = load_settings(os.environ)
    protector = protector_from_environ(os.environ, settings.var_dir, create=False)
    db = create_db_engine(settings.database_url)
    try:
        data = export_person(db, protector, _person(user))
    except UnknownPerson as exc:
        raise typer.BadParameter(str(exc), param_hint="--user") from None
    finally:
        db.dispose()
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command("erase")
def erase_command(
    user: PersonOption,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
    operator: Annotated[str, typer.Option(help="Who carries out the request (for the audit log)")] = "",
) -> None:
    """Erase one person's data across every table (a request that came by another route)."""
    configure_logging()
    settings = load_settings(os.environ)
    protector = protector_from_environ(os.environ, settings.var_dir, create=False)
    person = _person(user)
    operator = operator or os.environ.get("USER", "unknown")
    if not yes:
        typer.confirm(f"Erase everything stored for this {person.channel} user?", abort=True)
    db = create_db_engine(settings.database_url)
    try:
        with Session(db) as session, session.begin():
            erase_contact(session, find_contact_id(session, protector, person), requested_by=f"cli:{operator}")
    except UnknownPerson as exc:
        raise typer.BadParameter(str(exc), param_hint="--user") from None
    finally:
        db.dispose()
    log.info("data erased on request channel=%s", person.channel)
    typer.echo("erased")


def _person(value: str) -> PersonRef:
    try:
        return PersonRef.parse(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--user") from None

"""``puente content``: check the curated content, preview a route, signal a reload."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import typer

from bot.content import Catalog, ContentError, check_content
from bot.settings import load_settings

app = typer.Typer(
    help="Check and preview the curated content (routes_content/).", no_args_is_help=True
)


def _content_dir() -> Path:
    return load_settings(os.environ).content_dir


@app.command()
def check(
    max_age_days: int = typer.Option(
        180, "--max-age-days", help="Warn when last_verified is older."
    ),
    today: str | None = typer.Option(None, "--today", help="Check as of this date (YYYY-MM-DD)."),
) -> None:
    """Validate routes_content/: exit 1 when there are errors, 0 otherwise."""
    root = _content_dir()
    as_of = date.fromisoformat(today) if today else date.today()
    problems = check_content(root, as_of, max_age_days)
    for problem in problems:
        typer.echo(problem.describe(root))
    errors = sum(1 for p in problems if p.is_error)
    typer.echo(f"{errors} error(s), {len(problems) - errors} warning(s) in {root}")
    raise typer.Exit(1 if errors else 0)


@app.command()
def show(
    topic: str = typer.Argument(..., help="Topic id, e.g. gbv."),
    lang: str = typer.Option("es", "--lang", help="es, en, pt, fr or ht."),
    city: str | None = typer.Option(None, "--city", help="e.g. cucuta, villa_del_rosario."),
) -> None:
    """Print a route as the bot would send it: intro, every section, the emergency block."""
    catalog = _load_or_exit(_content_dir())
    if not catalog.has_route(topic):
        typer.echo(f"no route for topic {topic!r}", err=True)
        raise typer.Exit(1)
    view = catalog.route(topic, lang, city)
    typer.echo(f"# {view.title}\n\n{view.intro}")
    for number, (section_id, title) in enumerate(view.sections, 1):
        typer.echo(f"\n--- {number}. {title} [{section_id}] ---\n")
        typer.echo(catalog.section(topic, section_id, lang, city))
    typer.echo(f"\n--- urgent ---\n\n{catalog.emergency_block(lang, topic)}")


@app.command()
def reload() -> None:
    """Validate content as a server would, then touch the folder so polling servers reload."""
    root = _content_dir()
    _load_or_exit(root)
    os.utime(root)
    typer.echo(f"content in {root} is valid; running servers that poll for changes will reload it")


def _load_or_exit(root: Path) -> Catalog:
    try:
        return Catalog.load(root)
    except ContentError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None

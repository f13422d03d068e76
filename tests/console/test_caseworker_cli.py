"""``puente team add`` and ``puente caseworker add|list`` against a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.cli import caseworkers
from bot.storage.database import create_db_engine, upgrade


@pytest.fixture
def cli_env(tmp_path: Path, key_environ: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    db = create_db_engine(url)
    upgrade(db)
    db.dispose()
    for name, value in {**key_environ, "DATABASE_URL": url, "PUENTE_VAR_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)


def test_team_and_caseworker_commands(cli_env: None) -> None:
    app = typer.Typer()  # as bot.cli.main registers them
    app.add_typer(caseworkers.app, name="caseworker")
    app.add_typer(caseworkers.team_app, name="team")
    runner = CliRunner()
    assert runner.invoke(app, ["team", "add", "gbv", "--require-totp"]).exit_code == 0
    added = runner.invoke(
        app,
        ["caseworker", "add", "ana", "--role", "caseworker", "--team", "gbv", "--password-stdin"],
        input="a long enough password\n",
    )
    assert added.exit_code == 0, added.output
    refused = runner.invoke(
        app, ["caseworker", "add", "bob", "--team", "nope", "--password-stdin"], input="a long enough password\n"
    )
    assert refused.exit_code == 1 and "no such team" in refused.output
    listed = runner.invoke(app, ["caseworker", "list"])
    assert "ana" in listed.output and "required, not set up" in listed.output
    assert "a long enough password" not in listed.output

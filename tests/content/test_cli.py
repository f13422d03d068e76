"""``puente content check | show | reload``."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bot.cli.content import app
from tests.content.conftest import edit

runner = CliRunner()


def _env(content_dir: Path) -> dict[str, str]:
    return {"PUENTE_CONTENT_DIR": str(content_dir)}


def test_check_passes_on_valid_content(content_dir: Path) -> None:
    result = runner.invoke(app, ["check", "--today", "2026-11-24"], env=_env(content_dir))
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def test_check_fails_naming_file_and_line(content_dir: Path) -> None:
    edit(content_dir / "routes" / "gbv" / "route.yaml", lambda d: d["hotlines"].append("line_000"))
    result = runner.invoke(app, ["check", "--today", "2026-11-24"], env=_env(content_dir))
    assert result.exit_code == 1
    assert "routes/gbv/route.yaml:1: error [unknown_hotline]" in result.output


def test_check_warnings_alone_exit_zero(content_dir: Path) -> None:
    result = runner.invoke(
        app, ["check", "--today", "2027-12-31", "--max-age-days", "30"], env=_env(content_dir)
    )
    assert result.exit_code == 0
    assert "warning [stale]" in result.output


def test_show_prints_route_sections_and_emergency_lines(content_dir: Path) -> None:
    result = runner.invoke(
        app, ["show", "gbv", "--lang", "ht", "--city", "cucuta"], env=_env(content_dir)
    )
    assert result.exit_code == 0, result.output
    assert "ht intro for gbv" in result.output
    assert "ht:services_title" in result.output and "*Service svc_cucuta*" in result.output
    assert "ht:emergency_title" in result.output


def test_show_unknown_topic(content_dir: Path) -> None:
    result = runner.invoke(app, ["show", "weather"], env=_env(content_dir))
    assert result.exit_code == 1


def test_reload_validates_before_signalling(content_dir: Path) -> None:
    assert runner.invoke(app, ["reload"], env=_env(content_dir)).exit_code == 0
    (content_dir / "labels.yaml").write_text("- not a mapping\n")
    result = runner.invoke(app, ["reload"], env=_env(content_dir))
    assert result.exit_code == 1
    assert "labels.yaml:1" in result.output

"""Loading: errors name the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import ContentError, load_content
from tests.content.conftest import edit


def test_valid_tree_loads(content_dir: Path) -> None:
    content = load_content(content_dir)
    assert len(content.routes) == 15
    assert {s.id for s in content.services} >= {"svc_cucuta", "svc_villa", "svc_national"}
    assert content.hotline("line_155") is not None


def test_bad_value_names_file_line_and_field(content_dir: Path) -> None:
    edit(content_dir / "services" / "local.yaml", lambda d: d[1].update(city="bogota"))
    services = (content_dir / "services" / "local.yaml").read_text().splitlines()
    line = next(n for n, text in enumerate(services, 1) if text.strip() == "city: bogota")
    with pytest.raises(ContentError) as caught:
        load_content(content_dir)
    message = str(caught.value)
    assert f"services/local.yaml:{line}:" in message
    assert "services[1].city" in message and "must be one of" in message


def test_yaml_syntax_error_names_the_line(content_dir: Path) -> None:
    file = content_dir / "routes" / "gbv" / "fr.yaml"
    lines = file.read_text().splitlines()
    lines[1] = "intro: l'aide : voir ici: oui"
    file.write_text("\n".join(lines) + "\n")
    with pytest.raises(ContentError) as caught:
        load_content(content_dir)
    assert "routes/gbv/fr.yaml:2:" in str(caught.value)
    assert "invalid YAML" in str(caught.value)


def test_unknown_key_is_a_typo(content_dir: Path) -> None:
    edit(content_dir / "services" / "local.yaml", lambda d: d[0].update(adress="Calle 9"))
    with pytest.raises(ContentError, match=r"services\[0\]\.adress: unknown key"):
        load_content(content_dir)


def test_unquoted_number_is_explained(content_dir: Path) -> None:
    hotlines = content_dir / "hotlines.yaml"
    hotlines.write_text(hotlines.read_text().replace("number: '155'", "number: 155"))
    with pytest.raises(ContentError, match=r"hotlines\[1\]\.number: expected text \(put numbers"):
        load_content(content_dir)


def test_bad_opening_hours(content_dir: Path) -> None:
    edit(content_dir / "services" / "local.yaml", lambda d: d[0]["hours"].update(sat=["8-12"]))
    with pytest.raises(ContentError, match=r"hours\.sat.*HH:MM-HH:MM"):
        load_content(content_dir)


def test_duplicate_key_is_reported(content_dir: Path) -> None:
    file = content_dir / "routes" / "food" / "route.yaml"
    file.write_text(file.read_text() + "topic: food\n")
    with pytest.raises(ContentError, match="key appears twice"):
        load_content(content_dir)


def test_topic_must_match_folder(content_dir: Path) -> None:
    edit(content_dir / "routes" / "food" / "route.yaml", lambda d: d.update(topic="shelter"))
    with pytest.raises(ContentError, match="must equal the folder name 'food'"):
        load_content(content_dir)

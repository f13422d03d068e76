"""check_content: each rule, shown failing on a broken copy of the valid fixture tree."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.content import Problem, check_content
from tests.content.conftest import TODAY, edit, service


def codes(problems: list[Problem], severity: str = "error") -> set[str]:
    return {p.code for p in problems if p.severity == severity}


def only(problems: list[Problem], code: str) -> list[Problem]:
    return [p for p in problems if p.code == code]


def test_valid_tree_has_no_problems(content_dir: Path) -> None:
    assert check_content(content_dir, TODAY) == []


def test_schema_error_names_file_line_and_field(content_dir: Path) -> None:
    hotlines = content_dir / "hotlines.yaml"
    hotlines.write_text(hotlines.read_text().replace("number: '123'", "number: 123"))
    [problem] = only(check_content(content_dir, TODAY), "schema")
    assert problem.file == hotlines
    assert problem.line == 2
    assert "hotlines[0].number" in problem.message


def test_missing_route_is_reported_not_crashed(content_dir: Path) -> None:
    shutil.rmtree(content_dir / "routes" / "food")
    [problem] = only(check_content(content_dir, TODAY), "missing_route")
    assert "food" in problem.message


def test_no_routes_at_all_reports_every_topic(content_dir: Path) -> None:
    shutil.rmtree(content_dir / "routes")
    assert len(only(check_content(content_dir, TODAY), "missing_route")) == 15


def test_missing_language(content_dir: Path) -> None:
    (content_dir / "routes" / "gbv" / "ht.yaml").unlink()
    [problem] = only(check_content(content_dir, TODAY), "missing_language")
    assert problem.file.name == "ht.yaml"


@pytest.mark.parametrize("where", ["intro", "section"])
def test_message_over_700_characters(content_dir: Path, where: str) -> None:
    def lengthen(data: dict[str, Any]) -> None:
        if where == "intro":
            data["intro"] = "a" * 701
        else:
            data["sections"][1]["text"] = "b" * 701

    edit(content_dir / "routes" / "health" / "pt.yaml", lengthen)
    [problem] = only(check_content(content_dir, TODAY), "too_long")
    assert problem.file.name == "pt.yaml" and "701" in problem.message


def test_700_characters_is_fine(content_dir: Path) -> None:
    edit(content_dir / "routes" / "health" / "pt.yaml", lambda d: d.update(intro="a" * 700))
    assert "too_long" not in codes(check_content(content_dir, TODAY))


@pytest.mark.parametrize(
    "text",
    [
        "Llama al 300 123 4567",
        "Escribe al +57 311 222 3344",
        "la línea 01 8000 111222",
        "marca el 106",
    ],
)
def test_phone_not_in_directory(content_dir: Path, text: str) -> None:
    edit(content_dir / "routes" / "gbv" / "es.yaml", lambda d: d["sections"][0].update(text=text))
    [problem] = only(check_content(content_dir, TODAY), "unknown_phone")
    assert problem.file.name == "es.yaml"


def test_phone_in_service_description_is_checked(content_dir: Path) -> None:
    edit(
        content_dir / "services" / "local.yaml",
        lambda d: d[0]["description"].update(fr="Appelle le 321 000 0000"),
    )
    assert "unknown_phone" in codes(check_content(content_dir, TODAY))


def test_listed_numbers_and_legal_references_pass(content_dir: Path) -> None:
    text = (
        "Llama al 155 o al 123. Línea Violeta 350 750 5351."
        " La Ley 1257 de 2008 y el Decreto 216, 180 días."
    )
    edit(content_dir / "routes" / "gbv" / "es.yaml", lambda d: d["sections"][0].update(text=text))
    assert "unknown_phone" not in codes(check_content(content_dir, TODAY))


@pytest.mark.parametrize("file", ["services/local.yaml", "routes/gbv/route.yaml", "hotlines.yaml"])
def test_missing_sources(content_dir: Path, file: str) -> None:
    def clear(data: Any) -> None:
        (data[0] if isinstance(data, list) else data)["sources"] = []

    edit(content_dir / file, clear)
    [problem] = only(check_content(content_dir, TODAY), "missing_sources")
    assert problem.file == content_dir / file


def test_missing_last_verified(content_dir: Path) -> None:
    edit(content_dir / "services" / "local.yaml", lambda d: d[1].pop("last_verified"))
    [problem] = only(check_content(content_dir, TODAY), "missing_last_verified")
    assert "svc_villa" in problem.message


def test_old_last_verified_is_a_warning_with_configurable_age(content_dir: Path) -> None:
    old = TODAY - timedelta(days=200)
    edit(content_dir / "routes" / "shelter" / "route.yaml", lambda d: d.update(last_verified=old))
    problems = check_content(content_dir, TODAY)
    assert codes(problems) == set()
    assert codes(problems, "warning") == {"stale"}
    assert check_content(content_dir, TODAY, max_age_days=365) == []


def test_translation_identical_to_spanish(content_dir: Path) -> None:
    spanish = (content_dir / "routes" / "asylum" / "es.yaml").read_text()
    (content_dir / "routes" / "asylum" / "fr.yaml").write_text(spanish)
    problems = only(check_content(content_dir, TODAY), "identical_translation")
    assert {p.severity for p in problems} == {
        "error",
        "warning",
    }  # texts are errors, the title a warning
    assert all(p.file.name == "fr.yaml" for p in problems)


def test_service_description_identical_to_spanish(content_dir: Path) -> None:
    edit(
        content_dir / "services" / "local.yaml",
        lambda d: d[0]["description"].update(en=d[0]["description"]["es"]),
    )
    assert "identical_translation" in codes(check_content(content_dir, TODAY))


def test_section_ids_must_match_across_languages(content_dir: Path) -> None:
    edit(content_dir / "routes" / "education" / "en.yaml", lambda d: d["sections"].reverse())
    [problem] = only(check_content(content_dir, TODAY), "section_mismatch")
    assert problem.file.name == "en.yaml"


def test_services_section_id_is_reserved(content_dir: Path) -> None:
    for lang in ("es", "en", "pt", "fr", "ht"):
        edit(
            content_dir / "routes" / "food" / f"{lang}.yaml",
            lambda d: d["sections"][0].update(id="services"),
        )
    assert "reserved_section" in codes(check_content(content_dir, TODAY))


def test_unknown_hotline_id(content_dir: Path) -> None:
    edit(
        content_dir / "routes" / "gbv" / "route.yaml",
        lambda d: d["urgent_hotlines"].append("line_999"),
    )
    [problem] = only(check_content(content_dir, TODAY), "unknown_hotline")
    assert "line_999" in problem.message


def test_unknown_topic_in_services(content_dir: Path) -> None:
    edit(content_dir / "services" / "local.yaml", lambda d: d[0]["topics"].append("weather"))
    [problem] = only(check_content(content_dir, TODAY), "unknown_topic")
    assert "weather" in problem.message


def test_missing_translation_in_directory(content_dir: Path) -> None:
    edit(content_dir / "services" / "local.yaml", lambda d: d[2]["description"].pop("ht"))
    [problem] = only(check_content(content_dir, TODAY), "missing_translation")
    assert "svc_national" in problem.message


def test_missing_label(content_dir: Path) -> None:
    edit(content_dir / "labels.yaml", lambda d: d.pop("hours_unknown"))
    assert "missing_label" in codes(check_content(content_dir, TODAY))


def test_label_placeholders_must_match(content_dir: Path) -> None:
    edit(content_dir / "labels.yaml", lambda d: d["group_city"].update(fr="À {ville}"))
    assert "label_placeholders" in codes(check_content(content_dir, TODAY))


def test_duplicate_service_id(content_dir: Path) -> None:
    edit(
        content_dir / "services" / "local.yaml",
        lambda d: d.append(service("svc_cucuta", "cucuta", ["food"])),
    )
    assert "duplicate_id" in codes(check_content(content_dir, TODAY))


def test_location_needs_a_source(content_dir: Path) -> None:
    edit(content_dir / "places.yaml", lambda d: d[0]["location"].pop("source"))
    assert "unsourced_location" in codes(check_content(content_dir, TODAY))


def test_first_message_must_fit_whatsapp(content_dir: Path) -> None:
    edit(content_dir / "hotlines.yaml", lambda d: [h["name"].update(es="x" * 800) for h in d])
    assert "rendered_too_long" in codes(check_content(content_dir, TODAY))


def test_missing_content_folder(tmp_path: Path) -> None:
    assert codes(check_content(tmp_path / "nowhere", TODAY)) == {"missing_file"}

"""The real routes_content/ of the repository: it passes the checker and renders every route."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.content import MESSAGE_LIMIT, Catalog, check_content, split_parts
from nlu.types import LANGUAGES, TOPICS

CONTENT = Path(__file__).resolve().parents[2] / "routes_content"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load(CONTENT)


def test_repository_content_has_no_errors() -> None:
    errors = [p.describe(CONTENT) for p in check_content(CONTENT, date.today()) if p.is_error]
    assert errors == []


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("topic", TOPICS)
def test_every_route_renders_within_whatsapp_limits(
    catalog: Catalog, topic: str, lang: str
) -> None:
    view = catalog.route(topic, lang, "cucuta")
    assert len(view.intro) <= MESSAGE_LIMIT
    messages = [
        catalog.section(topic, section_id, lang, "cucuta") for section_id, _ in view.sections
    ]
    messages.append(catalog.emergency_block(lang, topic))
    assert all(len(part) <= MESSAGE_LIMIT for text in messages for part in split_parts(text))
    assert "• *" in view.intro or "services" in dict(view.sections)  # a line or a service


def test_key_places_resolve_to_their_city(catalog: Catalog) -> None:
    cases = {
        "vivo en La Parada": "villa_del_rosario",
        "en atalaya": "cucuta",
        "el escobal": "cucuta",
    }
    for message, city in cases.items():
        place = catalog.find_place(message)
        assert place is not None and place.city == city, message

"""Catalog: routes, the services section (city first), emergency block, nearest services, places."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import MESSAGE_LIMIT, Catalog, split_parts
from bot.engine.messages import Location
from bot.engine.ports import ContentCatalog
from nlu.types import LANGUAGES
from tests.content.conftest import (
    CUCUTA_SERVICE_POINT,
    FixedClock,
    edit,
    label_text,
    service,
    utc,
)

MONDAY_9AM_BOGOTA = utc(2026, 11, 23, 14)  # 09:00 in Bogotá (UTC-5)
MONDAY_1PM_BOGOTA = utc(2026, 11, 23, 18)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_9AM_BOGOTA)


@pytest.fixture
def catalog(content_dir: Path, clock: FixedClock) -> Catalog:
    return Catalog.load(content_dir, clock)


def test_catalog_implements_the_engine_port(catalog: Catalog) -> None:
    port: ContentCatalog = catalog
    assert port.has_route("gbv")


def test_route_adds_a_services_section_in_the_users_language(catalog: Catalog) -> None:
    view = catalog.route("gbv", "pt", None)
    assert view.title == "pt title gbv"
    assert view.sections == (
        ("steps", "pt steps"),
        ("refused", "pt refused"),
        ("services", label_text("services_title", "pt")),
    )


def test_route_without_services_has_no_services_section(catalog: Catalog) -> None:
    assert [s for s, _ in catalog.route("food", "es", None).sections] == ["steps", "refused"]


def test_route_intro_lists_its_hotlines_in_order(catalog: Catalog) -> None:
    intro = catalog.route("gbv", "en", None).intro
    assert intro.startswith("en intro for gbv")
    assert intro.index("*155*") < intro.index("*123*")
    assert "Line 155 (en)" in intro and label_text("lines_title", "en") in intro


def test_section_text(catalog: Catalog) -> None:
    assert catalog.section("gbv", "refused", "ht", None) == "*ht refused*\nht refused text for gbv"
    with pytest.raises(KeyError):
        catalog.section("gbv", "nope", "es", None)


def _order(text: str, *names: str) -> list[int]:
    return [text.index(f"*Service {name}*") for name in names]


def test_services_list_the_users_city_first_then_local_then_national(catalog: Catalog) -> None:
    text = catalog.section("gbv", "services", "es", "villa_del_rosario")
    villa, cucuta, national = _order(text, "svc_villa", "svc_cucuta", "svc_national")
    assert villa < cucuta < national
    assert (
        label_text("group_city", "es").replace("{city}", label_text("city_villa_del_rosario", "es"))
        in text
    )


def test_services_without_a_city_list_local_then_national(catalog: Catalog) -> None:
    text = catalog.section("gbv", "services", "es", None)
    cucuta, villa, national = _order(text, "svc_cucuta", "svc_villa", "svc_national")
    assert cucuta < villa < national


def test_services_far_from_cucuta_put_national_first(catalog: Catalog) -> None:
    text = catalog.section("gbv", "services", "fr", "bogota")
    assert text.index("*Service svc_national*") < text.index("*Service svc_cucuta*")
    assert label_text("not_local_city", "fr") in text


def test_service_entry_shows_what_is_and_is_not_confirmed(catalog: Catalog) -> None:
    text = catalog.section("gbv", "services", "en", None)
    cucuta = text[text.index("*Service svc_cucuta*") : text.index("*Service svc_villa*")]
    assert "Calle 1 # 2-3" in cucuta and "350 750 5351" in cucuta
    assert (
        f"{label_text('day_mon', 'en')}–{label_text('day_fri', 'en')} 08:00–12:00, 14:00–18:00"
        in cucuta
    )
    villa = text[text.index("*Service svc_villa*") : text.index("*Service svc_national*")]
    assert label_text("address_unknown", "en") in villa
    assert label_text("hours_unknown", "en") in villa
    assert label_text("confirm_before_going", "en") in villa
    assert label_text("confirm_before_going", "en") not in cucuta
    assert label_text("never_pay", "en") in text


def test_topic_without_services_says_so(catalog: Catalog) -> None:
    assert catalog.section("food", "services", "es", None) == label_text("no_services", "es")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_added_word_is_in_the_users_language(catalog: Catalog, lang: str) -> None:
    text = catalog.section("gbv", "services", lang, "cucuta") + catalog.emergency_block(lang, "gbv")
    others = [other for other in LANGUAGES if other != lang]
    assert f"{lang}:services_title" in text and f"{lang}:emergency_title" in text
    assert not any(f"{other}:" in text for other in others)


def test_long_services_section_is_split_into_numbered_whatsapp_messages(content_dir: Path) -> None:
    many = [
        service(f"svc_{n}", "cucuta", ["health"], address="Avenida " + "x" * 80) for n in range(25)
    ]
    edit(content_dir / "services" / "local.yaml", lambda d: d.extend(many))
    text = Catalog.load(content_dir).section("health", "services", "es", None)
    parts = split_parts(text)
    assert len(parts) > 1
    assert all(len(part) <= MESSAGE_LIMIT for part in parts)
    assert parts[0].startswith(f"es:part (1/{len(parts)})")
    assert all(f"*Service svc_{n}*" in text for n in range(25))


def test_emergency_block_uses_the_routes_urgent_lines_first(catalog: Catalog) -> None:
    block = catalog.emergency_block("es", "gbv")
    assert block.startswith(label_text("emergency_title", "es"))
    assert block.index("*123*") < block.index("*155*")


def test_emergency_block_falls_back_to_123_and_topic_lines(catalog: Catalog) -> None:
    block = catalog.emergency_block("fr", "child_protection")
    assert block.index("*123*") < block.index("*141*")
    assert (
        label_text("confirm_number", "fr") in block
    )  # line_141 is marked re-verify in the fixture
    assert "*155*" not in block


def test_emergency_block_without_topic_is_123(catalog: Catalog) -> None:
    block = catalog.emergency_block("en", None)
    assert "*123*" in block and "*155*" not in block


def test_nearest_services_sorted_by_distance_with_open_now(catalog: Catalog) -> None:
    near_cucuta = Location(CUCUTA_SERVICE_POINT[0] + 0.003, CUCUTA_SERVICE_POINT[1])
    text = catalog.nearest_services("gbv", "es", near_cucuta)
    assert text.index("*Service svc_cucuta*") < text.index("*Service svc_villa*")
    assert label_text("distance_km", "es").replace("{km}", "0,3") in text
    assert label_text("open_now", "es") in text
    assert label_text("hours_unknown", "es") in text  # svc_villa has no structured hours
    assert "svc_national" not in text  # no coordinates


def test_nearest_services_closed_at_lunch(catalog: Catalog, clock: FixedClock) -> None:
    clock.moment = MONDAY_1PM_BOGOTA
    text = catalog.nearest_services("gbv", "en", Location(*CUCUTA_SERVICE_POINT), limit=1)
    assert label_text("closed_now", "en") in text
    assert "svc_villa" not in text


def test_nearest_services_without_coordinates_says_so_honestly(catalog: Catalog) -> None:
    text = catalog.nearest_services("child_protection", "pt", Location(7.836, -72.474))
    expected = label_text("no_locations", "pt").replace("{topic}", "pt title child_protection")
    assert text.startswith(expected)
    assert "*Service svc_child*" in text  # listed anyway, starting with the nearest known city


def test_nearest_services_far_away_only_says_so(catalog: Catalog) -> None:
    text = catalog.nearest_services("child_protection", "en", Location(4.711, -74.072))
    assert "svc_child" not in text and label_text("missing_hint", "en") in text


@pytest.mark.parametrize(
    ("message", "place_id"),
    [
        ("vivo en la parada", "la_parada"),
        ("estoy en la parda, villa del rosario", "la_parada"),
        ("soy de kukuta", "cucuta"),
        ("villa del rosairo", "villa_del_rosario"),
        ("hola necesito ayuda", None),
    ],
)
def test_find_place_in_a_message(catalog: Catalog, message: str, place_id: str | None) -> None:
    place = catalog.find_place(message)
    assert (place.id if place else None) == place_id


def test_find_place_gives_city_and_sourced_location(catalog: Catalog) -> None:
    parada = catalog.find_place("la parada")
    cucuta = catalog.find_place("cucuta")
    assert parada is not None and parada.city == "villa_del_rosario" and parada.location is None
    assert cucuta is not None and cucuta.location == Location(7.89417, -72.50389)


def test_needs_city_follows_local_services(catalog: Catalog) -> None:
    assert catalog.needs_city("gbv")
    assert not catalog.needs_city("food")


def test_topic_title_falls_back_to_spanish(content_dir: Path) -> None:
    (content_dir / "routes" / "transit" / "ht.yaml").unlink()
    catalog = Catalog.load(content_dir)
    assert catalog.topic_title("transit", "ht") == "es title transit"
    assert catalog.route("transit", "ht", None).intro.startswith("es intro")

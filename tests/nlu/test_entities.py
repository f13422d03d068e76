"""Entities: cities with misspellings (from cities.yml) and menu picks in five languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.entities import CityMatcher, parse_menu_pick
from nlu.normalize import Views
from nlu.rasa_data import read_data_dir
from nlu.training import city_synonyms

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cities() -> CityMatcher:
    return CityMatcher.from_synonyms(city_synonyms(read_data_dir(REPO / "nlu" / "data")))


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("estoy en Cúcuta", "cucuta"),
        ("vivo en cucuta", "cucuta"),
        ("llegue a cucta ayer", "cucuta"),
        ("KUKUTA", "cucuta"),
        ("vivimos en villa del rosaryo", "villa_del_rosario"),
        ("Villa Rosario, barrio la parada", "villa_del_rosario"),
        ("me voy pa bucaramnga", "bucaramanga"),
        ("m nan Bogota", "bogota"),
        ("los patio", "los_patios"),
        ("je suis à Medellín", "medellin"),
        ("vou para barranquila", "barranquilla"),
        ("caminando a Ipiales", "ipiales"),
    ],
)
def test_city_is_found_with_misspellings(cities: CityMatcher, text: str, city: str) -> None:
    assert cities.find(Views.of(text).plain) == city


@pytest.mark.parametrize(
    "text",
    ["necesito ayuda en la calle", "mi cuenta bancaria", "quiero una cita", "Norte de Santander", "tengo 2 hijos", ""],
)
def test_no_city_in_ordinary_text(cities: CityMatcher, text: str) -> None:
    assert cities.find(Views.of(text).plain) is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("2", 2),
        ("#2", 2),
        ("dos", 2),
        ("opcion 3", 3),
        ("opción 3", 3),
        ("la 2", 2),
        ("quiero la 4 por favor", 4),
        ("option five", 5),
        ("três", 3),
        ("opção 1", 1),
        ("deux", 2),
        ("le 7", 7),
        ("twa", 3),
        ("opsyon 4", 4),
        ("sèt", 7),
        ("10", 10),
    ],
)
def test_menu_pick_in_five_languages(text: str, number: int) -> None:
    assert parse_menu_pick(Views.of(text).plain) == number


@pytest.mark.parametrize("text", ["tengo 2 hijos", "no", "0", "250", "hola", "", "   ", "2 3"])
def test_not_a_menu_pick(text: str) -> None:
    assert parse_menu_pick(Views.of(text).plain) is None

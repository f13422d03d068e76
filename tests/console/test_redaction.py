"""Redaction of unanswered questions before content editors read them."""

from __future__ import annotations

import pytest

from bot.console.redaction import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mi número es 300 123 4567", "mi número es [number]"),
        ("llámame al +57 (300) 123-4567 porfa", "llámame al [number] porfa"),
        ("escribeme a ana.p@gmail.com", "escribeme a [email]"),
        ("mi cedula V-12.345.678 se venció", "mi cedula [document] se venció"),
        ("pasaporte AB1234567", "pasaporte [document]"),
        ("me llamo maria perez y tengo 3 hijos", "me llamo [name] y tengo 3 hijos"),
        ("my name is John Smith, help", "my name is [name], help"),
        ("mwen rele Jean Pierre", "mwen rele [name]"),
        ("soy María y vivo en Villa del Rosario", "soy [name] y vivo en Villa del Rosario"),
        ("Estoy en Cúcuta con mi hija Ana Lucía Gómez", "Estoy en Cúcuta con mi hija [name]"),
        ("vea www.example.com/x?a=1", "vea [link]"),
    ],
)
def test_personal_details_are_replaced(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "llamé al 155 y no contestan",
        "tengo 35 años",
        "soy venezolana",
        "I am Venezuelan",
        "Necesito ir al Hospital Erasmo Meoz",
        "Hola necesito ayuda",
    ],
)
def test_ordinary_words_and_short_numbers_stay(text: str) -> None:
    assert redact(text) == text

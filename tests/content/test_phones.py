"""Finding phone numbers in free text."""

from __future__ import annotations

import pytest

from bot.content.phones import digits_of, find_phones


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Llama al 123 o a la línea 155.", ["123", "155"]),
        ("Call line 141 / 01 8000 918080", ["141", "01 8000 918080"]),
        ("Línea Violeta 350 750 5351", ["350 750 5351"]),
        ("Migración: 01 8000 42 37 01", ["01 8000 42 37 01"]),
        ("WhatsApp +57 300 755 1846", ["+57 300 755 1846"]),
        ("rele 123 kounye a", ["123"]),
        ("appelle le 155, le 123 ou le 122", ["155", "123", "122"]),
        ("• 192: opción 4", ["192"]),
        ("o a la Fiscalía, 122. Emergencia: 123", ["122", "123"]),
        ("al 122 (Fiscalía) o usa el 155", ["122", "155"]),
        ("Ley 100 (1993) y el SC-2 dura 180 días", []),
        ("Ley 1257 de 2008, Decreto 216 de 2021, art. 168, 180 días", []),
        ("COP 23.000; 2.113.830 PPT; T-166 de 2024; Ley 100 de 1993", []),
        ("about 100 applications", []),
    ],
)
def test_find_phones(text: str, found: list[str]) -> None:
    assert [m.text for m in find_phones(text)] == found


def test_digits_drop_country_code() -> None:
    assert digits_of("+57 300 755 1846") == "3007551846"
    assert digits_of("01 8000 918080") == "018000918080"

"""Normalisation: case and accent folding, elongation, placeholders."""

from __future__ import annotations

from nlu.normalize import Views, bound, fold


def test_fold_removes_case_accents_punctuation_and_elongation() -> None:
    assert fold("¡¡HOLAAAA!! Cúcuta, ñoño…") == "hola cucuta nono"


def test_fold_replaces_urls_numbers_and_laughter() -> None:
    assert fold("mira https://bit.ly/xyz jajajaja tengo 3 hijos") == "mira urltoken jaja tengo 0 hijos"


def test_emojis_become_their_own_tokens_without_skin_tones() -> None:
    assert fold("gracias🙏🏽😢") == "gracias 🙏 😢"


def test_views_keep_accents_for_language_and_digits_for_entities() -> None:
    views = Views.of("Mwen bezwen èd, opsyon 2")
    assert views.clean == "mwen bezwen èd opsyon 2"
    assert views.plain == "mwen bezwen ed opsyon 2"
    assert views.folded == "mwen bezwen ed opsyon 0"


def test_bound_keeps_the_beginning_and_the_end_of_long_text() -> None:
    text = "a" * 5000 + "FIN"
    window = bound(text)
    assert len(window) < 1000 and window.startswith("a") and window.endswith("FIN")
    assert bound("corto") == "corto"

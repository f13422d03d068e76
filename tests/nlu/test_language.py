"""Language identification on short messages, with the user's current language as a prior."""

from __future__ import annotations

import pytest

from nlu import Nlu


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("hola", "es"),
        ("necesito trabajo", "es"),
        ("gracias pana", "es"),
        ("I need help", "en"),
        ("thank you", "en"),
        ("obrigado", "pt"),
        ("preciso de ajuda", "pt"),
        ("bom dia", "pt"),
        ("merci beaucoup", "fr"),
        ("j'ai besoin d'aide", "fr"),
        ("bonjour", "fr"),
        ("mèsi anpil", "ht"),
        ("m bezwen ed", "ht"),
        ("mwen bezwen travay", "ht"),
        ("kijan pou m jwenn PPT", "ht"),
    ],
)
def test_short_messages_without_a_prior(nlu: Nlu, text: str, lang: str) -> None:
    assert nlu.predict(text).lang == lang


@pytest.mark.parametrize(
    ("text", "current"), [("PPT", "ht"), ("ok", "fr"), ("1", "pt"), ("SISBEN", "en"), ("👍", "ht")]
)
def test_text_without_language_signal_keeps_the_current_language(nlu: Nlu, text: str, current: str) -> None:
    assert nlu.predict(text, lang=current).lang == current


def test_without_signal_or_current_language_the_default_is_spanish(nlu: Nlu) -> None:
    assert nlu.predict("PPT").lang == "es"
    assert nlu.predict("").lang == "es"


def test_a_clear_message_overrides_the_current_language(nlu: Nlu) -> None:
    assert nlu.predict("bonjour, j'ai besoin d'un logement pour ce soir", lang="es").lang == "fr"

"""The gettext catalogs cover every sentence the engine says, in all five languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from bot.i18n import Catalogs
from nlu.types import LANGUAGES

ENGINE = Path(__file__).resolve().parent.parent / "bot" / "engine" / "engine.py"


def engine_message_ids() -> set[str]:
    found = extract_from_file("python", str(ENGINE), keywords={"_t": (2,)}, comment_tags=())
    return {str(message) for _, message, _, _ in found}


def test_engine_sentences_are_found() -> None:
    ids = engine_message_ids()
    assert {"privacy_notice", "Main menu.", "delete_confirm"} <= ids


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_engine_sentence_is_translated(lang: str) -> None:
    missing = engine_message_ids() - Catalogs.load().ids(lang)
    assert not missing, f"{lang} catalog lacks: {sorted(missing)}"


def test_translations_differ_from_english_except_names() -> None:
    catalogs = Catalogs.load()
    for lang in ("es", "pt", "fr", "ht"):
        same = [m for m in catalogs.ids("en") if catalogs.gettext(lang, m) == catalogs.gettext("en", m)]
        assert same == [], f"{lang}: untranslated {same}"


def test_placeholders_are_kept_in_every_language() -> None:
    catalogs = Catalogs.load()
    for lang in LANGUAGES:
        assert "7" in catalogs.gettext(lang, "Please choose a number from 1 to {count}.", count=7)

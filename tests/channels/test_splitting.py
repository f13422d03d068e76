"""Splitting long replies: under the limit in UTF-16 units, natural breaks, nothing lost."""

from __future__ import annotations

import pytest

from bot.channels.splitting import split_text, utf16_length


def test_short_text_is_one_part() -> None:
    assert split_text("hola", 4096) == ["hola"]


def test_emoji_count_twice_and_are_never_cut() -> None:
    text = "😀" * 5000
    parts = split_text(text, 4096)
    assert [utf16_length(p) for p in parts] == [4096, 4096, 1808]
    assert "".join(parts) == text


def test_cuts_prefer_paragraphs_then_lines_then_sentences() -> None:
    paragraph = "a" * 60
    parts = split_text(f"{paragraph}\n\n{paragraph}\n{paragraph}", 100)
    assert parts == [paragraph, paragraph, paragraph]
    sentences = split_text("Uno dos tres. Cuatro cinco seis. Siete ocho nueve.", 20)
    assert sentences == ["Uno dos tres.", "Cuatro cinco seis.", "Siete ocho nueve."]


@pytest.mark.parametrize("limit", [2, 7, 50, 1600])
def test_no_word_is_lost_and_every_part_fits(limit: int) -> None:
    text = " ".join(f"palabra{n}" for n in range(400)) + " 🇨🇴"
    parts = split_text(text, limit)
    assert all(0 < utf16_length(p) <= limit for p in parts)
    assert "".join(parts).replace(" ", "") == text.replace(" ", "")


def test_a_tiny_limit_is_refused() -> None:
    with pytest.raises(ValueError):
        split_text("hola", 1)

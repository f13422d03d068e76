"""Splitting long replies under a provider's size limit, counted in UTF-16 code units.

Telegram measures text in UTF-16 code units (an emoji counts 2); counting the same way for
Twilio is the conservative choice. Cuts prefer a paragraph break, then a line break, then the
end of a sentence, then a space, and never fall inside a surrogate pair.
"""

from __future__ import annotations

BREAKS = ("\n\n", "\n", ". ", " ")


def utf16_length(text: str) -> int:
    """Length as Telegram counts it: characters outside the BMP count twice."""
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def split_text(text: str, limit: int) -> list[str]:
    """Parts of ``text`` each at most ``limit`` UTF-16 units, in order, none empty."""
    if limit < 2:
        raise ValueError("limit must be at least 2 UTF-16 code units")
    parts: list[str] = []
    rest = text.strip()
    while utf16_length(rest) > limit:
        head = _prefix_within(rest, limit)
        cut = _best_cut(head)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts or [""]


def _prefix_within(text: str, limit: int) -> str:
    """The longest prefix of whole characters that fits in ``limit`` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text


def _best_cut(head: str) -> int:
    """Where to cut ``head``: after the last natural break in its second half, else at its end."""
    for mark in BREAKS:
        position = head.rfind(mark)
        if position >= len(head) // 2:
            return position + len(mark)
    return len(head)

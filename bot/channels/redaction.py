"""Scrubbing provider error text before it is logged or stored: bot tokens, numbers, chat ids."""

from __future__ import annotations

import re

_BOT_TOKEN = re.compile(r"bot\d+:[A-Za-z0-9_-]+|\b\d{5,}:[A-Za-z0-9_-]{20,}")
_LONG_NUMBER = re.compile(r"\+?\d[\d\s-]{5,}\d")
MAX_REASON = 160


def redact(text: str) -> str:
    """``text`` without bot tokens or anything that looks like a phone number or chat id."""
    scrubbed = _BOT_TOKEN.sub("bot<token>", text)
    scrubbed = _LONG_NUMBER.sub("<number>", scrubbed)
    return scrubbed[:MAX_REASON]

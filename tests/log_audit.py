"""A whole-run log audit: every log record of the test session is kept, and the run fails if a
test phone number, test chat id or test message text appears in any of them.

Tests use the values in PRIVATE_TEST_VALUES for people's identifiers; the conftest installs
the handler at session start and checks at session end.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

PRIVATE_TEST_VALUES = (
    "+573001112233",
    "+573009998877",
    "+573000000001",
    "+573001234567",
    "3001112233",
    "3009998877",
    "3001234567",
    "mi esposo me pega",
    "mari m ap bat mwen",
)


class KeepAllRecords(logging.Handler):
    """Formats and keeps every record (message and arguments) emitted during the run."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a broken format string still must not hide its arguments
            text = f"{record.msg!r} {record.args!r}"
        if record.exc_info and record.exc_info[1] is not None:
            text += f" {record.exc_info[1]!r}"
        self.lines.append(f"{record.name} {text}")


E164 = re.compile(r"\+\d{10,15}\b")  # any international phone number, whichever test used it


def leaks(lines: Iterable[str], values: Iterable[str] = PRIVATE_TEST_VALUES) -> list[str]:
    """The log lines that contain a phone number or any of the private test values."""
    patterns = [E164, *(re.compile(re.escape(v), re.IGNORECASE) for v in values)]
    return [line for line in lines if any(p.search(line) for p in patterns)]

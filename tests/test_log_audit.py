"""The log audit itself catches what it must (so a clean run means something)."""

from __future__ import annotations

import logging

from tests.log_audit import KeepAllRecords, leaks


def test_audit_finds_a_phone_number_passed_as_a_log_argument() -> None:
    handler = KeepAllRecords()
    log = logging.getLogger("audit-self-test")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("sending to %s", "+573001112233")
        log.info("turn channel=%s intent=%s", "whatsapp", "gbv")
    finally:
        log.removeHandler(handler)
    assert leaks(handler.lines) == ["audit-self-test sending to +573001112233"]


def test_audit_finds_message_text() -> None:
    assert leaks(["x received: Mi esposo me pega"]) != []
    assert leaks(["turn channel=web intent=gbv urgent=True"]) == []

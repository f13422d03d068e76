"""The real model on the public dev set must stay at or above the issue's targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu import Nlu
from nlu.evaluation import EvalReport, evaluate, read_labelled

REPO = Path(__file__).resolve().parents[2]
DEV_SET = (REPO / "../shared/eval/dev.jsonl").resolve()


@pytest.fixture(scope="module")
def report(nlu: Nlu) -> EvalReport:
    if not DEV_SET.is_file():
        pytest.skip(f"dev set not found at {DEV_SET} (it lives beside the repository in shared/eval/)")
    return evaluate(nlu, read_labelled(DEV_SET))


def test_intent_accuracy_and_macro_f1(report: EvalReport) -> None:
    assert report.accuracy >= 0.92
    assert report.macro_f1 >= 0.90


def test_intent_accuracy_in_every_language(report: EvalReport) -> None:
    assert set(report.per_language) == {"es", "en", "pt", "fr", "ht"}
    assert min(report.per_language.values()) >= 0.88, report.per_language


def test_every_urgent_message_is_flagged_without_too_many_false_alarms(report: EvalReport) -> None:
    missed = [row.text for row, p in report.misses if row.urgent and not p.urgent]
    assert not missed
    assert report.urgent.recall == 1.0
    assert report.urgent.precision >= 0.80


def test_language_identification(report: EvalReport) -> None:
    assert report.language_accuracy >= 0.97


def test_out_of_scope_precision(report: EvalReport) -> None:
    assert report.out_of_scope_precision >= 0.85


def test_latency(report: EvalReport) -> None:
    # The target is 5 ms at p95 on a 2-core machine; a loaded test runner gets some slack here.
    assert report.latency_ms["p95"] < 10.0

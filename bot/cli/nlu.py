"""``puente nlu``: train, predict, evaluate and export the NLU model."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.settings import load_settings

app = typer.Typer(help="Train, run, evaluate and export the NLU model.", no_args_is_help=True)
console = Console()


def _dirs() -> tuple[Path, Path]:
    settings = load_settings(os.environ)
    return settings.nlu_data_dir, settings.nlu_cache_dir


@app.command()
def train() -> None:
    """Train the model from the data directory and cache it; prints time and data counts."""
    from nlu.facade import train as train_nlu
    from nlu.rasa_data import RasaDataError

    data_dir, cache_dir = _dirs()
    started = time.perf_counter()
    try:
        nlu = train_nlu(data_dir, cache_dir)
    except RasaDataError as exc:
        console.print(f"[red]Training data has problems:[/red]\n{exc}")
        raise typer.Exit(1) from exc
    report = nlu.report
    console.print(f"Trained in {time.perf_counter() - started:.2f} s on {report.examples} examples "
                  f"({report.urgent} urgent) from {data_dir}; cached in {cache_dir}")
    table = Table("intent", *sorted(report.per_language), "total")
    by_pair = _counts_by_intent_and_language(data_dir)
    for intent in sorted(report.per_intent):
        row = [str(by_pair.get((intent, lang), 0)) for lang in sorted(report.per_language)]
        table.add_row(intent, *row, str(report.per_intent[intent]))
    console.print(table)
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")


def _counts_by_intent_and_language(data_dir: Path) -> dict[tuple[str, str], int]:
    from nlu.rasa_data import read_data_dir

    counts: dict[tuple[str, str], int] = {}
    for example in read_data_dir(data_dir).examples:
        key = (example.intent, example.lang)
        counts[key] = counts.get(key, 0) + 1
    return counts


@app.command()
def predict(
    in_file: Annotated[Path, typer.Option("--in", help="JSONL with a 'text' key per line.")],
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the predictions (JSONL).")],
) -> None:
    """Add pred_intent, pred_urgent, pred_lang and confidence to every line of a JSONL file."""
    understander = _understander()
    written = 0
    with in_file.open(encoding="utf-8") as source, out_file.open("w", encoding="utf-8") as sink:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            record = _record(line, in_file, number)
            prediction = understander.predict(str(record["text"]), record.get("current_lang"))
            record |= {
                "pred_intent": prediction.intent,
                "pred_urgent": prediction.urgent,
                "pred_lang": prediction.lang,
                "confidence": prediction.confidence,
            }
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
    console.print(f"Wrote {written} predictions to {out_file}")


def _record(line: str, path: Path, number: int) -> dict[str, object]:
    try:
        record = json.loads(line)
    except ValueError as exc:
        raise typer.BadParameter(f"{path}:{number}: not JSON") from exc
    if not isinstance(record, dict) or "text" not in record:
        raise typer.BadParameter(f"{path}:{number}: needs an object with a 'text' key")
    return record


def _understander():  # type: ignore[no-untyped-def]
    from nlu.facade import load_understander

    settings = load_settings(os.environ)
    return load_understander(
        settings.nlu_data_dir, settings.nlu_cache_dir, settings.nlu_backend, settings.rasa_url
    )


@app.command(name="eval")
def evaluate(
    file: Annotated[Path, typer.Argument(help="Labelled JSONL: text, intent, urgent, lang.")],
    errors: Annotated[int, typer.Option(help="Show this many misclassified messages.")] = 0,
) -> None:
    """Print accuracy, macro-F1, per-language and per-intent figures, urgency, language id, latency."""
    from nlu.evaluation import evaluate as run_eval
    from nlu.evaluation import read_labelled

    rows = read_labelled(file)
    report = run_eval(_understander(), rows)
    print_report(report)
    _print_misses(report, errors)


def print_report(report) -> None:  # type: ignore[no-untyped-def]
    """Rich tables for an EvalReport."""
    console.print(_per_intent_table(report))
    console.print(_per_language_table(report))
    if report.confusions:
        confusions = Table("gold", "predicted", "count", title="Worst confusions")
        for gold, predicted, count in report.confusions:
            confusions.add_row(gold, predicted, str(count))
        console.print(confusions)
    summary = Table("figure", "value", title=f"Summary ({report.count} messages)")
    for name, value in _summary_rows(report):
        summary.add_row(name, value)
    console.print(summary)

"""``puente nlu``: train, predict, evaluate and export the NLU model."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.settings import load_settings

if TYPE_CHECKING:
    from nlu.evaluation import EvalReport, Predictor

app = typer.Typer(help="Train, run, evaluate and export the NLU model.", no_args_is_help=True)
console = Console()


def _dirs() -> tuple[Path, Path]:
    settings = load_settings(os.environ)
    return settings.nlu_data_dir, settings.nlu_cache_dir


@app.command()
def train() -> None:
    """Train the model from the data directory and cache it; prints time and data counts."""
    from nlu.facade import train as train_nlu

    data_dir, cache_dir = _dirs()
    started = time.perf_counter()
    nlu = train_nlu(data_dir, cache_dir)  # RasaDataError is reported by bot.cli.main
    report = nlu.report
    console.print(
        f"Trained in {time.perf_counter() - started:.2f} s on {report.examples} examples "
        f"({report.urgent} urgent) from {data_dir}; cached in {cache_dir}"
    )
    languages = report.languages
    table = Table("intent", *languages, "total")
    for intent, by_lang in sorted(report.counts.items()):
        cells = [str(by_lang.get(lang, 0)) for lang in languages]
        table.add_row(intent, *cells, str(sum(by_lang.values())))
    console.print(table)
    for warning in report.warnings:
        console.print(f"warning: {warning}", markup=False, highlight=False)


@app.command()
def predict(
    in_file: Annotated[
        Path,
        typer.Option("--in", help="JSONL with a 'text' key (and optional 'current_lang') per line."),
    ],
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
            current = record.get("current_lang")
            lang = current if isinstance(current, str) else None
            prediction = understander.predict(str(record["text"]), lang)
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


def _understander() -> Predictor:
    from nlu.facade import load_understander

    settings = load_settings(os.environ)
    return load_understander(settings.nlu_data_dir, settings.nlu_cache_dir, settings.nlu_backend, settings.rasa_url)


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


def print_report(report: EvalReport) -> None:
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


def _per_intent_table(report: EvalReport) -> Table:
    table = Table("intent", "precision", "recall", "F1", "support", title="Per intent")
    for intent, scores in report.per_intent.items():
        table.add_row(
            intent, f"{scores.precision:.2f}", f"{scores.recall:.2f}", f"{scores.f1:.2f}", str(scores.support)
        )
    return table


def _per_language_table(report: EvalReport) -> Table:
    table = Table("language", "intent accuracy", "messages", title="Per language")
    for lang, accuracy in report.per_language.items():
        table.add_row(lang, f"{accuracy:.3f}", str(report.language_counts.get(lang, 0)))
    return table


def _summary_rows(report: EvalReport) -> list[tuple[str, str]]:
    latency = report.latency_ms
    return [
        ("intent accuracy", f"{report.accuracy:.3f}"),
        ("macro-F1", f"{report.macro_f1:.3f}"),
        ("per-language accuracy", " ".join(f"{k} {v:.2f}" for k, v in report.per_language.items())),
        ("urgent recall", f"{report.urgent.recall:.3f} ({report.urgent.support} urgent)"),
        ("urgent precision", f"{report.urgent.precision:.3f}"),
        ("language-id accuracy", f"{report.language_accuracy:.3f}"),
        ("language-id, 1-3 words", f"{report.short_language_accuracy:.3f}"),
        ("out_of_scope precision", f"{report.out_of_scope_precision:.3f}"),
        ("latency p50 / p95 (ms)", f"{latency['p50']:.3f} / {latency['p95']:.3f}"),
    ]


def _print_misses(report: EvalReport, limit: int) -> None:
    if limit <= 0:
        return
    table = Table("text", "gold", "predicted", title="Misclassified")
    for row, prediction in report.misses[:limit]:
        gold = f"{row.intent}{' URGENT' if row.urgent else ''} {row.lang}"
        predicted = (
            f"{prediction.intent}{' URGENT' if prediction.urgent else ''} {prediction.lang} {prediction.confidence:.2f}"
        )
        table.add_row(row.text[:90], gold, predicted)
    console.print(table)


@app.command(name="export-rasa")
def export_rasa(
    directory: Annotated[Path, typer.Argument(help="Where to write nlu.yml and config.yml.")],
) -> None:
    """Write all training data as one Rasa nlu.yml plus a config.yml for `rasa train nlu`."""
    from nlu.rasa_data import read_data_dir
    from nlu.rasa_export import write_rasa_project

    data_dir, _ = _dirs()
    data = read_data_dir(data_dir)  # RasaDataError is reported by bot.cli.main
    paths = write_rasa_project(data, directory)
    console.print(f"Wrote {', '.join(str(p) for p in paths)} ({len(data.examples)} examples)")

"""`puente nlu train | predict | eval | export-rasa` on the sample data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.nlu import app
from nlu.rasa_data import RasaDataError
from tests.nlu.conftest import SAMPLE_DATA


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    var = tmp_path_factory.mktemp("var")
    return {
        "PUENTE_NLU_DATA_DIR": str(SAMPLE_DATA),
        "PUENTE_VAR_DIR": str(var),
        "PUENTE_NLU_CACHE_DIR": str(var / "nlu"),
    }


def run(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_train_prints_time_and_counts(env: dict[str, str]) -> None:
    out = run(env, "train")
    assert "Trained in" in out and "examples" in out
    assert "employability" in out and any(Path(env["PUENTE_NLU_CACHE_DIR"]).glob("nlu-model-*.pkl"))


def test_predict_adds_fields_and_keeps_other_keys(env: dict[str, str], tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(
        '{"text": "hola", "id": 7}\n\n{"text": "he is outside the door with a knife"}\n', encoding="utf-8"
    )
    run(env, "predict", "--in", str(source), "--out", str(target))
    first, second = (json.loads(line) for line in target.read_text(encoding="utf-8").splitlines())
    assert first["id"] == 7 and first["pred_intent"] == "greeting" and first["pred_lang"] == "es"
    assert set(first) == {"text", "id", "pred_intent", "pred_urgent", "pred_lang", "confidence"}
    assert second["pred_urgent"] is True


def test_eval_prints_every_figure_and_exits_zero(env: dict[str, str], tmp_path: Path) -> None:
    labelled = tmp_path / "dev.jsonl"
    rows = [
        {"text": "buenos dias", "intent": "greeting", "urgent": False, "lang": "es"},
        {"text": "i need a job", "intent": "employability", "urgent": False, "lang": "en"},
        {"text": "dice q esta noche me mata", "intent": "gbv", "urgent": True, "lang": "es"},
        {"text": "who won the match", "intent": "out_of_scope", "urgent": False, "lang": "en"},
    ]
    labelled.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = run(env, "eval", str(labelled))
    for figure in (
        "intent accuracy", "macro-F1", "per-language", "urgent recall", "urgent precision",
        "language-id accuracy", "out_of_scope precision", "p50", "p95", "Per intent",
    ):  # fmt: skip
        assert figure in out


def test_export_rasa_writes_nlu_and_config(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "export-rasa", str(tmp_path / "rasa"))
    assert sorted(p.name for p in (tmp_path / "rasa").iterdir()) == ["config.yml", "nlu.yml"]


def test_bad_data_fails_with_file_and_line(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "es.yml").write_text('version: "3.1"\nnlu:\n- intent: nope\n  examples: |\n    - x\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["train"], env={**env, "PUENTE_NLU_DATA_DIR": str(tmp_path)})
    assert isinstance(result.exception, RasaDataError)  # `puente` prints it and exits 2
    assert f"{tmp_path / 'es.yml'}:3: unknown intent 'nope'" in str(result.exception)

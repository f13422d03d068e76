"""`puente nlu export-rasa`: one nlu.yml for all languages plus a config.yml, urgent kept."""

from __future__ import annotations

from pathlib import Path

import yaml

from nlu.rasa_data import read_data_dir
from nlu.rasa_export import write_rasa_project
from tests.nlu.conftest import SAMPLE_DATA


def test_export_round_trips_examples_languages_urgency_synonyms_and_lookups(tmp_path: Path) -> None:
    original = read_data_dir(SAMPLE_DATA)
    nlu_path, _ = write_rasa_project(original, tmp_path / "rasa")

    exported = read_data_dir(tmp_path / "rasa")  # reads nlu.yml; config.yml has no nlu section

    def key(e: object) -> tuple[str, str, str, bool]:
        return (e.text, e.intent, e.lang, e.urgent)  # type: ignore[attr-defined]

    assert sorted(map(key, exported.examples)) == sorted(map(key, original.examples))
    assert exported.synonyms == original.synonyms
    assert exported.lookups == original.lookups
    assert nlu_path.name == "nlu.yml"


def test_urgent_examples_sit_in_blocks_with_urgent_metadata(tmp_path: Path) -> None:
    nlu_path, _ = write_rasa_project(read_data_dir(SAMPLE_DATA), tmp_path)
    blocks = yaml.safe_load(nlu_path.read_text(encoding="utf-8"))["nlu"]
    urgent = [b for b in blocks if b.get("metadata", {}).get("urgent")]
    assert urgent and all(b["intent"] == "gbv" for b in urgent)
    assert "dice q esta noche me mata" in "".join(b["examples"] for b in urgent)


def test_config_is_a_rasa_nlu_pipeline(tmp_path: Path) -> None:
    _, config_path = write_rasa_project(read_data_dir(SAMPLE_DATA), tmp_path)
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    names = [step["name"] for step in config["pipeline"]]
    assert config["recipe"] == "default.v1"
    assert "DIETClassifier" in names and "EntitySynonymMapper" in names
    assert {"analyzer": "char_wb"}.items() <= next(s for s in config["pipeline"] if s.get("analyzer")).items()

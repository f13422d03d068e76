"""Reading Rasa NLU YAML: examples, urgent metadata, synonyms, lookups, and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.rasa_data import RasaDataError, read_data_dir
from tests.nlu.conftest import SAMPLE_DATA


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(RasaDataError) as caught:
        read_data_dir(directory)
    return [str(p) for p in caught.value.problems]


def test_reads_examples_with_language_from_file_name_and_urgent_from_block_metadata() -> None:
    data = read_data_dir(SAMPLE_DATA)
    urgent = {e.text for e in data.examples if e.urgent}
    assert "mi marido me esta pegando ahorita ayuda" in urgent
    assert "mi pareja me pega cuando toma" not in urgent
    assert {e.lang for e in data.examples} == {"es", "en"}
    assert data.synonyms["cucuta"] == ("Cúcuta", "kukuta")
    assert "Bogotá" in data.lookups["city"]


def test_example_lines_are_numbered_as_in_the_file(tmp_path: Path) -> None:
    write(tmp_path, "es.yml", 'version: "3.1"\nnlu:\n- intent: greeting\n  examples: |\n    - hola\n    - buenas\n')
    lines = {e.text: e.line for e in read_data_dir(tmp_path).examples}
    assert lines == {"hola": 5, "buenas": 6}


def test_unknown_intent_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "es.yml", 'version: "3.1"\nnlu:\n- intent: gvb\n  examples: |\n    - hola\n')
    assert problems_of(tmp_path) == [f"{path}:3: unknown intent 'gvb'"]


def test_example_without_dash_is_reported_on_its_own_line(tmp_path: Path) -> None:
    text = 'version: "3.1"\nnlu:\n- intent: greeting\n  examples: |\n    - hola\n    buenas\n'
    path = write(tmp_path, "es.yml", text)
    (problem,) = problems_of(tmp_path)
    assert problem.startswith(f"{path}:6: example must start with '- '")


def test_invalid_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "en.yml", 'version: "3.1"\nnlu:\n- intent: greeting\n  examples: [unclosed\n')
    (problem,) = problems_of(tmp_path)
    assert problem.startswith(f"{path}:") and "not valid YAML" in problem
    assert int(problem.split(":")[1]) >= 4


def test_urgent_must_be_a_boolean(tmp_path: Path) -> None:
    text = 'version: "3.1"\nnlu:\n- intent: gbv\n  metadata:\n    urgent: maybe\n  examples: |\n    - x\n'
    path = write(tmp_path, "fr.yml", text)
    assert problems_of(tmp_path) == [f"{path}:5: metadata urgent must be true/false"]


def test_missing_version_and_examples_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "pt.yml", "nlu:\n- intent: thanks\n")
    assert problems_of(tmp_path) == [
        f'{path}:1: expected version: "3.1"',
        f"{path}:2: entry has no 'examples'",
    ]


def test_intent_examples_need_a_language(tmp_path: Path) -> None:
    path = write(tmp_path, "misc.yml", 'version: "3.1"\nnlu:\n- intent: thanks\n  examples: |\n    - x\n')
    (problem,) = problems_of(tmp_path)
    assert problem.startswith(f"{path}:3: intent examples need a language")


def test_problems_of_all_files_are_reported_together(tmp_path: Path) -> None:
    write(tmp_path, "es.yml", 'version: "3.1"\nnlu:\n- intent: nope\n  examples: |\n    - x\n')
    write(tmp_path, "en.yml", 'version: "3.1"\nnlu:\n- intent: nada\n  examples: |\n    - y\n')
    assert len(problems_of(tmp_path)) == 2


def test_extra_files_metadata_language_and_entity_annotations(tmp_path: Path) -> None:
    write(
        tmp_path,
        "extra_ht.yml",
        'version: "3.1"\nnlu:\n- intent: transit\n  examples: |\n    - m ap mache pou [Bogotá](city)\n',
    )
    write(
        tmp_path,
        "nlu.yml",
        'version: "3.1"\nnlu:\n- intent: thanks\n  metadata:\n    lang: pt\n  examples: |\n    - valeu\n',
    )
    examples = {(e.text, e.lang) for e in read_data_dir(tmp_path).examples}
    assert examples == {("m ap mache pou Bogotá", "ht"), ("valeu", "pt")}


def test_conflicting_labels_are_warnings_and_the_first_wins(tmp_path: Path) -> None:
    text = (
        'version: "3.1"\nnlu:\n- intent: food\n  examples: |\n    - tengo hambre\n'
        "- intent: health\n  examples: |\n    - Tengo  hambre\n"
    )
    write(tmp_path, "es.yml", text)
    data = read_data_dir(tmp_path)
    assert [(e.text, e.intent) for e in data.examples] == [("tengo hambre", "food")]
    (warning,) = data.warnings
    assert warning.line == 8 and "keeping the first" in warning.message


def test_an_empty_directory_is_an_error(tmp_path: Path) -> None:
    assert problems_of(tmp_path) == [f"{tmp_path}:0: no *.yml training data files here"]

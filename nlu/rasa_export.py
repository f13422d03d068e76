"""Writer for ``puente nlu export-rasa``: one Rasa nlu.yml (all languages) and a config.yml."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from nlu.rasa_data import Example, TrainingData
from nlu.types import INTENTS, LANGUAGES

CONFIG_YML = """\
# Written by `puente nlu export-rasa`. Train with:
#   rasa train nlu --nlu nlu.yml --config config.yml
# The data mixes es, en, pt, fr and ht, so the pipeline uses no language-specific model:
# words and character n-grams (char_wb 2-5, robust to misspellings) feed DIET.
recipe: default.v1
assistant_id: puente
language: es
pipeline:
  - name: WhitespaceTokenizer
  - name: RegexFeaturizer
    use_lookup_tables: true
  - name: LexicalSyntacticFeaturizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 2
    max_ngram: 5
  - name: DIETClassifier
    epochs: 100
    constrain_similarities: true
  - name: RegexEntityExtractor
    use_lookup_tables: true
  - name: EntitySynonymMapper
  - name: FallbackClassifier
    threshold: 0.4
policies: []
"""


def write_rasa_project(data: TrainingData, directory: Path) -> list[Path]:
    """Write ``nlu.yml`` and ``config.yml`` into ``directory``; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    nlu_path, config_path = directory / "nlu.yml", directory / "config.yml"
    nlu_path.write_text(render_nlu(data), encoding="utf-8")
    config_path.write_text(CONFIG_YML, encoding="utf-8")
    return [nlu_path, config_path]


def render_nlu(data: TrainingData) -> str:
    """The Rasa 3.1 NLU YAML for all examples, synonyms and lookup tables."""
    lines = ['version: "3.1"', "nlu:"]
    for intent in INTENTS:
        for lang in LANGUAGES:
            for urgent in (False, True):
                block = [e for e in data.examples if (e.intent, e.lang, e.urgent) == (intent, lang, urgent)]
                if block:
                    lines.extend(_intent_block(intent, lang, urgent, block))
    for kind, tables in (("synonym", data.synonyms), ("lookup", data.lookups), ("regex", data.regexes)):
        for name, values in tables.items():
            lines.append(f"- {kind}: {name}")
            lines.extend(_examples(values))
    return "\n".join(lines) + "\n"


def _intent_block(intent: str, lang: str, urgent: bool, block: list[Example]) -> list[str]:
    # Block-level metadata: Rasa keeps it with every example; `urgent` is our separate flag.
    head = [f"- intent: {intent}", "  metadata:", f"    lang: {lang}"]
    if urgent:
        head.append("    urgent: true")
    return head + _examples(e.text for e in block)


def _examples(texts: Iterable[str]) -> list[str]:
    return ["  examples: |", *(f"    - {' '.join(t.split())}" for t in texts)]

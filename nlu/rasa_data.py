"""Reader for Rasa NLU YAML training data (version "3.1"): intents, urgent metadata, synonyms, lookups.

Every problem is reported with the file and line it comes from, e.g.
``nlu/data/es.yml:41: unknown intent 'gvb'``. Structural problems raise RasaDataError (all
problems of all files at once); conflicting labels for the same text are kept as warnings and
the first label wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from nlu.types import INTENTS, LANGUAGES

SUPPORTED_VERSION = "3.1"
_ENTITY_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
_ITEM_KINDS = ("intent", "synonym", "lookup", "regex")


@dataclass(frozen=True)
class DataProblem:
    """One problem in a data file, located by file and 1-based line."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class RasaDataError(ValueError):
    """The training data cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[DataProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Example:
    """One labelled training message."""

    text: str
    intent: str
    lang: str
    urgent: bool
    path: Path
    line: int


@dataclass(frozen=True)
class TrainingData:
    """Everything read from a data directory."""

    examples: tuple[Example, ...]
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lookups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    regexes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    files: tuple[Path, ...] = ()
    warnings: tuple[DataProblem, ...] = ()


@dataclass
class FileContent:
    examples: list[Example] = field(default_factory=list)
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    lookups: dict[str, list[str]] = field(default_factory=dict)
    regexes: dict[str, list[str]] = field(default_factory=dict)
    problems: list[DataProblem] = field(default_factory=list)


YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: same nodes, faster


def data_files(data_dir: Path) -> list[Path]:
    """The data files of a directory, sorted (``*.yml`` and ``*.yaml``, drafts excluded)."""
    return sorted(p for p in data_dir.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())


def language_of(path: Path) -> str | None:
    """The language a file's name declares: ``es.yml`` and ``extra_es.yml`` are Spanish."""
    stem = path.stem.removeprefix("extra_")
    return stem if stem in LANGUAGES else None


def strip_annotations(text: str) -> str:
    """Replace Rasa entity annotations by their text: "[Cúcuta](city)" -> "Cúcuta"."""
    return _ENTITY_ANNOTATION.sub(r"\1", text)


def read_data_dir(data_dir: Path) -> TrainingData:
    """Read and check every data file of a directory."""
    files = data_files(data_dir)
    contents = [read_file(p) for p in files]
    problems = [p for c in contents for p in c.problems]
    if not files:
        problems.append(DataProblem(data_dir, 0, "no *.yml training data files here"))
    if problems:
        raise RasaDataError(problems)
    examples, warnings = _deduplicate(e for c in contents for e in c.examples)
    return TrainingData(
        examples=tuple(examples),
        synonyms=_merge(c.synonyms for c in contents),
        lookups=_merge(c.lookups for c in contents),
        regexes=_merge(c.regexes for c in contents),
        files=tuple(files),
        warnings=tuple(warnings),
    )


def read_file(path: Path) -> FileContent:
    """Read one file; problems are collected, not raised."""
    content = FileContent()
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        content.problems.append(DataProblem(path, line, f"not valid YAML: {exc.problem}"))
        return content
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        content.problems.append(DataProblem(path, 0, f"cannot read: {exc}"))
        return content
    _read_root(path, root, content)
    return content


def _read_root(path: Path, root: Node | None, content: FileContent) -> None:
    if not isinstance(root, MappingNode):
        line = root.start_mark.line + 1 if root is not None else 1
        content.problems.append(DataProblem(path, line, "expected a mapping with 'version' and 'nlu'"))
        return
    keys = _mapping(root)
    items = keys.get("nlu")
    if items is None:
        return  # Rasa config, stories or rules: nothing for the NLU here.
    version = keys.get("version")
    if not isinstance(version, ScalarNode) or not str(version.value).startswith("3"):
        line = _line(version or root)
        content.problems.append(DataProblem(path, line, f'expected version: "{SUPPORTED_VERSION}"'))
    if not isinstance(items, SequenceNode):
        content.problems.append(DataProblem(path, _line(items), "'nlu' must be a list of blocks"))
        return
    for item in items.value:
        _read_item(path, item, content)


def _read_item(path: Path, item: Node, content: FileContent) -> None:
    if not isinstance(item, MappingNode):
        content.problems.append(DataProblem(path, _line(item), "each nlu entry must be a mapping"))
        return
    keys = _mapping(item)
    kind = next((k for k in _ITEM_KINDS if k in keys), None)
    if kind is None:
        expected = ", ".join(_ITEM_KINDS)
        content.problems.append(DataProblem(path, _line(item), f"entry needs one of: {expected}"))
        return
    name_node = keys[kind]
    name = str(name_node.value).strip() if isinstance(name_node, ScalarNode) else ""
    if not name:
        content.problems.append(DataProblem(path, _line(name_node), f"empty {kind} name"))
        return
    texts = list(_examples(path, keys.get("examples"), item, content))
    if kind == "intent":
        _add_intent(path, name, name_node, keys.get("metadata"), texts, content)
    else:
        target = {"synonym": content.synonyms, "lookup": content.lookups, "regex": content.regexes}
        target[kind].setdefault(name, []).extend(text for text, _ in texts)


def _add_intent(
    path: Path,
    intent: str,
    name_node: Node,
    metadata: Node | None,
    texts: list[tuple[str, int]],
    content: FileContent,
) -> None:
    if intent not in INTENTS:
        content.problems.append(DataProblem(path, _line(name_node), f"unknown intent {intent!r}"))
        return
    lang = _metadata_language(path, metadata, content) or language_of(path)
    if lang is None:
        message = "intent examples need a language: a file name like es.yml or metadata lang"
        content.problems.append(DataProblem(path, _line(name_node), message))
        return
    urgent = _urgent_flag(path, metadata, content)
    content.examples.extend(Example(t, intent, lang, urgent, path, n) for t, n in texts)


def _metadata_language(path: Path, metadata: Node | None, content: FileContent) -> str | None:
    if not isinstance(metadata, MappingNode):
        return None
    value = _mapping(metadata).get("lang")
    if value is None:
        return None
    if not isinstance(value, ScalarNode) or value.value not in LANGUAGES:
        content.problems.append(DataProblem(path, _line(value), f"metadata lang must be one of {LANGUAGES}"))
        return None
    return str(value.value)


def _urgent_flag(path: Path, metadata: Node | None, content: FileContent) -> bool:
    if metadata is None:
        return False
    if not isinstance(metadata, MappingNode):
        content.problems.append(DataProblem(path, _line(metadata), "metadata must be a mapping"))
        return False
    value = _mapping(metadata).get("urgent")
    if value is None:
        return False
    if not isinstance(value, ScalarNode) or value.value.lower() not in ("true", "false"):
        content.problems.append(DataProblem(path, _line(value), "metadata urgent must be true/false"))
        return False
    return bool(value.value.lower() == "true")


def _examples(path: Path, node: Node | None, item: Node, content: FileContent) -> Iterator[tuple[str, int]]:
    if node is None:
        content.problems.append(DataProblem(path, _line(item), "entry has no 'examples'"))
        return
    if isinstance(node, SequenceNode):
        yield from _example_list(path, node, content)
        return
    if not isinstance(node, ScalarNode):
        content.problems.append(DataProblem(path, _line(node), "'examples' must be a '|' string"))
        return
    # A block scalar's text starts on the line after the '|' indicator.
    first = _line(node) + (1 if node.style in ("|", ">") else 0)
    for offset, raw in enumerate(str(node.value).splitlines()):
        stripped = raw.strip()
        if not stripped:
            continue
        if not stripped.startswith("-"):
            message = f"example must start with '- ': {stripped[:40]!r}"
            content.problems.append(DataProblem(path, first + offset, message))
            continue
        text = strip_annotations(stripped[1:].strip())
        if not text:
            content.problems.append(DataProblem(path, first + offset, "empty example"))
            continue
        yield text, first + offset


def _example_list(path: Path, node: SequenceNode, content: FileContent) -> Iterator[tuple[str, int]]:
    """The long form: ``examples:`` as a list of ``{text: ...}`` mappings."""
    for entry in node.value:
        text_node = _mapping(entry).get("text") if isinstance(entry, MappingNode) else entry
        if not isinstance(text_node, ScalarNode) or not str(text_node.value).strip():
            content.problems.append(DataProblem(path, _line(entry), "example needs a 'text'"))
            continue
        yield strip_annotations(str(text_node.value).strip()), _line(text_node)


def _deduplicate(examples: Iterable[Example]) -> tuple[list[Example], list[DataProblem]]:
    seen: dict[tuple[str, str], Example] = {}
    warnings: list[DataProblem] = []
    for example in examples:
        key = (example.lang, " ".join(example.text.lower().split()))
        first = seen.get(key)
        if first is None:
            seen[key] = example
        elif (first.intent, first.urgent) != (example.intent, example.urgent):
            message = (
                f"same text labelled {example.intent}/urgent={example.urgent} here and "
                f"{first.intent}/urgent={first.urgent} at {first.path.name}:{first.line}; "
                "keeping the first"
            )
            warnings.append(DataProblem(example.path, example.line, message))
    return list(seen.values()), warnings


def _merge(parts: Iterable[dict[str, list[str]]]) -> dict[str, tuple[str, ...]]:
    merged: dict[str, list[str]] = {}
    for part in parts:
        for name, values in part.items():
            bucket = merged.setdefault(name, [])
            bucket.extend(v for v in values if v not in bucket)
    return {name: tuple(values) for name, values in merged.items()}


def _mapping(node: MappingNode) -> dict[str, Node]:
    return {str(k.value): v for k, v in node.value if isinstance(k, ScalarNode)}


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1

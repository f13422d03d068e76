"""YAML reading that keeps line numbers; typed field access whose errors name line and field.

The loaders never see plain dicts: they read a ``Fields`` (one YAML mapping) so that every
mistake can be reported as ``file:line: field: what is wrong``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_DATE = "tag:yaml.org,2002:timestamp"
# libyaml's parser where PyYAML was built with it: the same nodes and lines, ten times faster
# (0.51 s -> 0.05 s for routes_content/, a third of the server's cold start).
LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FieldError(ValueError):
    """One field is missing or malformed; ``line`` is 1-based, ``field`` a dotted path."""

    def __init__(self, line: int, field: str, message: str) -> None:
        self.line = line
        self.field = field
        self.message = message
        super().__init__(f"line {line}: {field}: {message}")


def line_of(node: yaml.Node) -> int:
    """The 1-based line where a node starts."""
    return int(node.start_mark.line) + 1


def compose_file(path: Path) -> yaml.Node | None:
    """Parse one YAML file into its node tree (None for an empty file)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FieldError(1, "(file)", f"cannot read: {exc}") from None
    try:
        return yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark is not None else 1
        raise FieldError(line, "(yaml)", f"invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise FieldError(1, "(yaml)", f"invalid YAML: {exc}") from None


def as_fields(node: yaml.Node | None, field: str, line: int = 1) -> Fields:
    """Wrap a node that must be a mapping."""
    if not isinstance(node, yaml.MappingNode):
        where = line_of(node) if node is not None else line
        raise FieldError(where, field, "expected a mapping of 'key: value' lines")
    return Fields(node, field)


def as_list(node: yaml.Node | None, field: str, line: int = 1) -> list[yaml.Node]:
    """The items of a node that must be a list (an empty file is an empty list)."""
    if node is None or _is_null(node):
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise FieldError(line_of(node), field, "expected a list ('- ...' items)")
    return list(node.value)


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL


def scalar_text(node: yaml.Node, field: str) -> str:
    """A node that must be a non-empty text scalar."""
    if not isinstance(node, yaml.ScalarNode) or node.tag != _STR:
        raise FieldError(line_of(node), field, "expected text (put numbers and times in quotes)")
    value = str(node.value).strip()
    if not value:
        raise FieldError(line_of(node), field, "must not be empty")
    return value


class Fields:
    """One YAML mapping: typed, line-aware access to its keys."""

    def __init__(self, node: yaml.MappingNode, path: str) -> None:
        self.node = node
        self.path = path

    @property
    def line(self) -> int:
        return line_of(self.node)

    def _pairs(self) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        pairs: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in self.node.value:
            key = str(key_node.value)
            if key in pairs:
                raise FieldError(line_of(key_node), self._name(key), "key appears twice")
            pairs[key] = (key_node, value_node)
        return pairs

    def _name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def names(self) -> list[str]:
        return list(self._pairs())

    def has(self, key: str) -> bool:
        found = self._pairs().get(key)
        return found is not None and not _is_null(found[1])

    def line_of(self, key: str) -> int:
        found = self._pairs().get(key)
        return line_of(found[0]) if found else self.line

    def raw(self, key: str) -> yaml.Node | None:
        """The value node of ``key``, or None when absent or null."""
        found = self._pairs().get(key)
        if found is None or _is_null(found[1]):
            return None
        return found[1]

    def _required(self, key: str) -> yaml.Node:
        node = self.raw(key)
        if node is None:
            raise FieldError(self.line, self._name(key), "is required")
        return node

    def reject_unknown(self, allowed: frozenset[str]) -> None:
        """Fail on keys outside ``allowed`` (catches typos such as ``adress``)."""
        for key, (key_node, _) in self._pairs().items():
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise FieldError(
                    line_of(key_node), self._name(key), f"unknown key (known: {known})"
                )

    def text(self, key: str) -> str:
        return scalar_text(self._required(key), self._name(key))

    def optional_text(self, key: str) -> str | None:
        node = self.raw(key)
        return None if node is None else scalar_text(node, self._name(key))

    def choice(self, key: str, options: tuple[str, ...], default: str | None = None) -> str:
        if default is not None and self.raw(key) is None:
            return default
        value = self.text(key)
        if value not in options:
            raise FieldError(
                self.line_of(key), self._name(key), f"must be one of {', '.join(options)}"
            )
        return value

    def boolean(self, key: str, default: bool) -> bool:
        node = self.raw(key)
        if node is None:
            return default
        if not isinstance(node, yaml.ScalarNode) or node.tag != _BOOL:
            raise FieldError(line_of(node), self._name(key), "expected true or false")
        return str(node.value).lower() in ("true", "yes", "on")

    def number(self, key: str) -> float:
        node = self._required(key)
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (_INT, _FLOAT):
            raise FieldError(line_of(node), self._name(key), "expected a number")
        return float(node.value)

    def date(self, key: str) -> date | None:
        node = self.raw(key)
        if node is None:
            return None
        if isinstance(node, yaml.ScalarNode) and node.tag in (_DATE, _STR):
            try:
                return date.fromisoformat(str(node.value).strip()[:10])
            except ValueError:
                pass
        raise FieldError(line_of(node), self._name(key), "expected a date like 2026-11-24")

    def text_list(self, key: str) -> tuple[str, ...]:
        items = as_list(self.raw(key), self._name(key), self.line_of(key))
        return tuple(scalar_text(item, f"{self._name(key)}[{i}]") for i, item in enumerate(items))

    def mapping(self, key: str) -> Fields | None:
        node = self.raw(key)
        return None if node is None else as_fields(node, self._name(key))

    def mappings(self, key: str) -> list[Fields]:
        items = as_list(self.raw(key), self._name(key), self.line_of(key))
        return [as_fields(item, f"{self._name(key)}[{i}]") for i, item in enumerate(items)]

    def text_map(self, key: str) -> dict[str, tuple[str, int]]:
        """A mapping of short keys to texts, each with its line (e.g. a text per language)."""
        sub = self.mapping(key)
        if sub is None:
            raise FieldError(self.line_of(key), self._name(key), "is required")
        result: dict[str, tuple[str, int]] = {}
        for name in sub.names():
            result[name] = (sub.text(name), sub.line_of(name))
        return result

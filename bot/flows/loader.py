"""Reads routes_content/flows/*.yaml into ``Flow`` objects; a malformed file becomes a located Problem.

``read_flows`` never raises on bad files (the checker lists every problem); ``load_flows``
raises ``ContentError`` naming file, line and field instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.content.problems import ContentError, Problem, error
from bot.content.yamlfile import FieldError, Fields, as_fields, as_list, compose_file, line_of, scalar_text
from bot.flows.conditions import ConditionError, parse_condition
from bot.flows.schema import (
    KINDS,
    Advice,
    Decision,
    Flow,
    Localized,
    Option,
    Outcome,
    Question,
    Rule,
    Score,
)

FLOWS_DIR = "flows"
_ID = re.compile(r"^[a-z0-9_]+$")
_FLOW_KEYS = frozenset(
    {"id", "topic", "team", "last_verified", "sources", "entry", "intro", "always", "questions",
     "programme_rules", "outcomes", "advice"}
)  # fmt: skip
_QUESTION_KEYS = frozenset({"id", "type", "text", "reask", "options", "min", "max", "skippable", "when"})
_OPTION_KEYS = frozenset({"id", "text"})
_RULES_KEYS = frozenset({"scores", "rules"})
_SCORE_KEYS = frozenset({"id", "count"})
_DECISION_KEYS = frozenset({"when", "outcome"})
_OUTCOME_KEYS = frozenset({"id", "text", "handoff", "offers"})
_ADVICE_KEYS = frozenset({"when", "text", "offers"})


def flow_files(content_dir: Path) -> list[Path]:
    """The flow files of a content tree, in name order."""
    return sorted((content_dir / FLOWS_DIR).glob("*.yaml"))


def read_flows(content_dir: Path) -> tuple[dict[str, Flow], list[Problem]]:
    """Every flow that could be read, and a Problem for each file that could not."""
    flows: dict[str, Flow] = {}
    problems: list[Problem] = []
    for file in flow_files(content_dir):
        try:
            flow = read_flow(file)
        except FieldError as exc:
            problems.append(error("flow_schema", file, exc.line, f"{exc.field}: {exc.message}"))
            continue
        if flow.id in flows:
            problems.append(error("flow_duplicate", file, 1, f"flow id {flow.id!r} is used twice"))
            continue
        flows[flow.id] = flow
    return flows, problems


def load_flows(content_dir: Path) -> dict[str, Flow]:
    """All flows, or ContentError listing every file that could not be read."""
    flows, problems = read_flows(content_dir)
    if problems:
        raise ContentError(problems, content_dir)
    return flows


def read_flow(file: Path) -> Flow:
    """One flow file; raises FieldError at the first malformed field."""
    root = as_fields(compose_file(file), "")
    root.reject_unknown(_FLOW_KEYS)
    flow_id = _identifier(root, "id")
    if flow_id != file.stem:
        raise FieldError(root.line_of("id"), "id", f"must equal the file name ({file.stem!r})")
    rules = root.mapping("programme_rules")
    if rules is None:
        raise FieldError(root.line, "programme_rules", "is required")
    rules.reject_unknown(_RULES_KEYS)
    return Flow(
        id=flow_id,
        topic=_identifier(root, "topic"),
        team=_identifier(root, "team"),
        last_verified=root.date("last_verified"),
        sources=root.text_list("sources"),
        entry=_localized(root, "entry"),
        intro=_localized(root, "intro"),
        always=_localized(root, "always"),
        questions=tuple(_question(fields) for fields in _required_list(root, "questions")),
        scores=tuple(_score(fields) for fields in rules.mappings("scores")),
        decisions=tuple(_decision(fields) for fields in _required_list(rules, "rules")),
        outcomes=tuple(_outcome(fields) for fields in _required_list(root, "outcomes")),
        advice=tuple(_advice(fields) for fields in root.mappings("advice")),
        file=file,
    )


def _question(fields: Fields) -> Question:
    fields.reject_unknown(_QUESTION_KEYS)
    kind = fields.choice("type", KINDS)
    options = tuple(_option(item) for item in fields.mappings("options"))
    if kind == "choice" and not 2 <= len(options) <= 9:
        raise FieldError(fields.line_of("type"), f"{fields.path}.options", "a choice needs 2 to 9 options")
    if kind != "choice" and options:
        raise FieldError(fields.line_of("options"), f"{fields.path}.options", "only choice questions have options")
    minimum, maximum = _whole(fields, "min"), _whole(fields, "max")
    if kind in ("number", "months_ago") and (minimum is None or maximum is None or minimum > maximum):
        raise FieldError(fields.line, fields.path, "number questions need min <= max")
    return Question(
        id=_identifier(fields, "id"),
        kind=kind,
        text=_localized(fields, "text"),
        reask=_localized(fields, "reask"),
        options=options,
        minimum=minimum,
        maximum=maximum,
        skippable=fields.boolean("skippable", False),
        when=_rule(fields, "when"),
        line=fields.line,
    )


def _option(fields: Fields) -> Option:
    fields.reject_unknown(_OPTION_KEYS)
    return Option(_identifier(fields, "id"), _localized(fields, "text"), fields.line)


def _score(fields: Fields) -> Score:
    fields.reject_unknown(_SCORE_KEYS)
    items = as_list(fields.raw("count"), f"{fields.path}.count", fields.line_of("count"))
    if not items:
        raise FieldError(fields.line_of("count"), f"{fields.path}.count", "needs at least one condition")
    count = tuple(_condition(item, f"{fields.path}.count[{i}]") for i, item in enumerate(items))
    return Score(_identifier(fields, "id"), count, fields.line)


def _decision(fields: Fields) -> Decision:
    fields.reject_unknown(_DECISION_KEYS)
    return Decision(_rule(fields, "when"), _identifier(fields, "outcome"), fields.line_of("outcome"))


def _outcome(fields: Fields) -> Outcome:
    fields.reject_unknown(_OUTCOME_KEYS)
    return Outcome(
        id=_identifier(fields, "id"),
        text=_localized(fields, "text"),
        handoff=fields.boolean("handoff", False),
        offers=fields.text_list("offers"),
        line=fields.line,
    )


def _advice(fields: Fields) -> Advice:
    fields.reject_unknown(_ADVICE_KEYS)
    return Advice(_rule(fields, "when"), _localized(fields, "text"), fields.text_list("offers"), fields.line)


def _required_list(fields: Fields, key: str) -> list[Fields]:
    items = fields.mappings(key)
    if not items:
        raise FieldError(fields.line_of(key), f"{fields.path}.{key}".lstrip("."), "needs at least one entry")
    return items


def _identifier(fields: Fields, key: str) -> str:
    value = fields.text(key)
    if not _ID.match(value):
        name = f"{fields.path}.{key}".lstrip(".")
        raise FieldError(fields.line_of(key), name, "use lower-case letters, digits and _ only")
    return value


def _whole(fields: Fields, key: str) -> int | None:
    if fields.raw(key) is None:
        return None
    value = fields.number(key)
    if value != int(value):
        raise FieldError(fields.line_of(key), f"{fields.path}.{key}", "expected a whole number")
    return int(value)


def _localized(fields: Fields, key: str) -> Localized:
    texts = fields.text_map(key)
    return Localized(
        texts={lang: text for lang, (text, _) in texts.items()},
        lines={lang: line for lang, (_, line) in texts.items()},
        line=fields.line_of(key),
    )


def _rule(fields: Fields, key: str) -> Rule | None:
    node = fields.raw(key)
    return None if node is None else _condition(node, f"{fields.path}.{key}")


def _condition(node: yaml.Node, field: str) -> Rule:
    source = scalar_text(node, field)
    try:
        return Rule(source, parse_condition(source), line_of(node))
    except ConditionError as exc:
        raise FieldError(line_of(node), field, f"bad condition {source!r}: {exc}") from None

"""``check_flows``: every rule over routes_content/flows/, as a list of Problems.

Besides the file shape (the loader), a flow is checked for: ids its conditions use that no
earlier question or score defines, values a choice question does not offer, missing
translations, unknown outcomes and routes, questions no answers can reach, and answers that
no programme rule covers (found by walking every combination of representative answers).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bot.content.loader import read_content
from bot.content.problems import Problem, error, warning
from bot.content.schema import Content
from bot.engine.ports import FlowValue
from bot.flows.answers import CITY_KEYS
from bot.flows.conditions import Both, Compare, Constant, Either, Literal, Name, Not, comparisons, names_in
from bot.flows.guide import decide, is_asked, with_scores
from bot.flows.loader import read_flows
from bot.flows.schema import Flow, Localized, Question, Rule
from nlu.types import LANGUAGES, TOPICS

MAX_PATHS = 200_000  # combinations of answers walked per flow before giving up with a warning


def check_flows(content_dir: Path) -> list[Problem]:
    """All problems of the flows under ``content_dir``/flows (none when there are no flows)."""
    flows, problems = read_flows(content_dir)
    content = read_content(content_dir)[0] if flows else None
    for flow in flows.values():
        problems += _identifiers(flow)
        problems += _references(flow)
        problems += _translations(flow)
        problems += _offers(flow, content)
        if not any(p.is_error for p in problems if p.file == flow.file):
            problems += _paths(flow)
    return sorted(set(problems), key=lambda p: (str(p.file), p.line or 0, p.code))


# -- ids and references --------------------------------------------------------------------


def _identifiers(flow: Flow) -> list[Problem]:
    problems = []
    if flow.topic not in TOPICS:
        problems.append(error("flow_topic", flow.file, 1, f"unknown topic {flow.topic!r}"))
    if not flow.sources:
        problems.append(warning("flow_sources", flow.file, 1, "a flow should cite its sources"))
    seen: set[str] = set()
    for kind, item_id, line in _named_parts(flow):
        if item_id in seen:
            problems.append(error("flow_duplicate_id", flow.file, line, f"{kind} id {item_id!r} is used twice"))
        seen.add(item_id)
    for question in flow.questions:
        option_ids = [option.id for option in question.options]
        for option in question.options:
            if option_ids.count(option.id) > 1:
                message = f"option id {option.id!r} is used twice in {question.id!r}"
                problems.append(error("flow_duplicate_id", flow.file, option.line, message))
    return problems


def _named_parts(flow: Flow) -> Iterator[tuple[str, str, int]]:
    yield from (("question", q.id, q.line) for q in flow.questions)
    yield from (("score", s.id, s.line) for s in flow.scores)
    yield from (("outcome", o.id, o.line) for o in flow.outcomes)


def _references(flow: Flow) -> list[Problem]:
    """Conditions read only earlier questions (or scores, in rules); outcomes exist; values fit."""
    problems: list[Problem] = []
    known: dict[str, Question | None] = {}
    for question in flow.questions:
        if question.when is not None:
            problems += _unknown_names(flow, question.when, known, f"question {question.id!r}")
        known[question.id] = question
    for score in flow.scores:
        for rule in score.count:
            problems += _unknown_names(flow, rule, known, f"score {score.id!r}")
        known[score.id] = None
    rules = [d.when for d in flow.decisions] + [a.when for a in flow.advice]
    for rule in (r for r in rules if r is not None):
        problems += _unknown_names(flow, rule, known, "this rule")
    outcome_ids = {outcome.id for outcome in flow.outcomes}
    for decision in flow.decisions:
        if decision.outcome not in outcome_ids:
            message = f"unknown outcome {decision.outcome!r} (known: {', '.join(sorted(outcome_ids))})"
            problems.append(error("flow_unknown_outcome", flow.file, decision.line, message))
    return problems


def _unknown_names(flow: Flow, rule: Rule, known: dict[str, Question | None], where: str) -> list[Problem]:
    problems = []
    later = {q.id for q in flow.questions} | {s.id for s in flow.scores}
    for name in sorted(names_in(rule.condition)):
        if name in known:
            continue
        why = "is not asked before it" if name in later else "is not a question or score id"
        message = f"{where} uses {name!r}, which {why}"
        problems.append(error("flow_unknown_id", flow.file, rule.line, message))
    for name, value in comparisons(rule.condition):
        question = known.get(name)
        if question is not None and (problem := _value_problem(question, value)) is not None:
            problems.append(error("flow_bad_value", flow.file, rule.line, f"{where}: {problem}"))
    problems += _order_problems(flow, rule, known, where)
    return problems


def _value_problem(question: Question, value: Literal) -> str | None:
    values = value if isinstance(value, tuple) else (value,)
    if question.kind == "yes_no" and not all(isinstance(v, bool) for v in values):
        return f"{question.id!r} is a yes/no question: compare it with yes or no"
    if question.kind in ("number", "months_ago") and not all(type(v) is int for v in values):
        return f"{question.id!r} is a number: compare it with numbers"
    if question.kind == "choice":
        option_ids = {option.id for option in question.options}
        unknown = [v for v in values if v not in option_ids]
        if unknown:
            return f"{question.id!r} has no option {unknown[0]!r} (options: {', '.join(sorted(option_ids))})"
    if question.kind == "city" and not all(isinstance(v, str) for v in values):
        return f"{question.id!r} is a city: compare it with quoted city ids"
    return None


def _order_problems(flow: Flow, rule: Rule, known: dict[str, Question | None], where: str) -> list[Problem]:
    """``<``, ``>``... only make sense on numbers and scores."""
    condition = rule.condition
    stack = [condition]
    problems = []
    while stack:
        node = stack.pop()
        if isinstance(node, Compare):
            if node.op in ("<", "<=", ">", ">=") and not _is_numeric(node, known):
                message = f"{where}: {node.op!r} compares numbers only"
                problems.append(error("flow_bad_value", flow.file, rule.line, message))
        elif isinstance(node, Both | Either):
            stack.extend(node.parts)
        elif isinstance(node, Not):
            stack.append(node.operand)
    return problems


def _is_numeric(node: Compare, known: dict[str, Question | None]) -> bool:
    for side in (node.left, node.right):
        if isinstance(side, Name):
            question = known.get(side.id)
            if question is not None and question.kind not in ("number", "months_ago"):
                return False
        elif isinstance(side, Constant) and type(side.value) is not int:
            return False
    return True


# -- translations and offers ---------------------------------------------------------------


def _translations(flow: Flow) -> list[Problem]:
    problems = []
    for text in flow.localized():
        missing = [lang for lang in LANGUAGES if lang not in text.texts]
        if missing:
            message = f"missing translation: {', '.join(missing)}"
            problems.append(error("flow_missing_translation", flow.file, text.line, message))
        problems += _unknown_languages(flow, text)
    return problems


def _unknown_languages(flow: Flow, text: Localized) -> list[Problem]:
    return [
        error("flow_unknown_language", flow.file, text.lines[lang], f"unknown language {lang!r}")
        for lang in text.texts
        if lang not in LANGUAGES
    ]


def _offers(flow: Flow, content: Content | None) -> list[Problem]:
    offered = [(o, outcome.line) for outcome in flow.outcomes for o in outcome.offers]
    offered += [(o, advice.line) for advice in flow.advice for o in advice.offers]
    problems = []
    for offer, line in offered:
        problem = _offer_problem(offer, content)
        if problem is not None:
            problems.append(error("flow_offer", flow.file, line, f"offer {offer!r}: {problem}"))
    return problems


def _offer_problem(offer: str, content: Content | None) -> str | None:
    kind, _, rest = offer.partition(":")
    if kind in ("menu", "person") and not rest:
        return None
    topic, _, section = rest.partition(":")
    if kind not in ("topic", "section") or topic not in TOPICS or (kind == "section") != bool(section):
        return "use topic:<topic>, section:<topic>:<section id>, menu or person"
    route = content.routes.get(topic) if content is not None else None
    if route is None:
        return f"there is no route for {topic!r}"
    if section and any(text.section(section) is None for text in route.texts.values()):
        return f"route {topic!r} has no section {section!r} in every language"
    return None


# -- every path of answers -----------------------------------------------------------------


def _paths(flow: Flow) -> list[Problem]:
    """Walk every combination of representative answers: reachability and rule coverage."""
    walker = _Walker(flow)
    finished = walker.walk(0, {})
    problems = []
    if not finished:
        message = f"more than {MAX_PATHS} answer combinations: coverage was not fully checked"
        problems.append(warning("flow_too_many_paths", flow.file, 1, message))
    for question in flow.questions:
        if question.id not in walker.reached and finished:
            message = f"question {question.id!r} is never asked: no answers make its 'when' hold"
            problems.append(error("flow_unreachable", flow.file, question.line, message))
    if walker.uncovered is not None:
        shown = ", ".join(f"{k}={v!r}" for k, v in walker.uncovered.items())
        message = f"no programme rule covers these answers ({shown}); end the rules with one without 'when'"
        line = flow.decisions[-1].line
        problems.append(error("flow_uncovered", flow.file, line, message))
    for outcome in flow.outcomes:
        if outcome.id not in walker.outcomes and finished:
            message = f"outcome {outcome.id!r} is never reached"
            problems.append(warning("flow_unused_outcome", flow.file, outcome.line, message))
    return problems


class _Walker:
    """Depth-first over the questions in order, branching on the answers conditions read."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.reached: set[str] = set()
        self.outcomes: set[str] = set()
        self.uncovered: dict[str, FlowValue] | None = None
        self.leaves = 0
        self._samples = _samples(flow)

    def walk(self, index: int, answers: dict[str, FlowValue]) -> bool:
        """False once MAX_PATHS leaves were visited."""
        if index == len(self.flow.questions):
            return self._leaf(answers)
        question = self.flow.questions[index]
        if not is_asked(question, answers):
            return self.walk(index + 1, answers)
        self.reached.add(question.id)
        samples = self._samples.get(question.id)
        if samples is None:  # no condition reads it: its value changes nothing
            return self.walk(index + 1, answers)
        return all(self.walk(index + 1, {**answers, question.id: value}) for value in samples)

    def _leaf(self, answers: dict[str, FlowValue]) -> bool:
        self.leaves += 1
        outcome = decide(self.flow, with_scores(self.flow, answers))
        if outcome is None and self.uncovered is None:
            self.uncovered = dict(answers)
        elif outcome is not None:
            self.outcomes.add(outcome)
        return self.leaves < MAX_PATHS


def _samples(flow: Flow) -> dict[str, tuple[FlowValue, ...]]:
    """Representative answers of each question that some condition reads."""
    rules = [q.when for q in flow.questions] + [d.when for d in flow.decisions]
    rules += [a.when for a in flow.advice] + [r for s in flow.scores for r in s.count]
    conditions = [r.condition for r in rules if r is not None]
    read = set().union(*(names_in(c) for c in conditions)) if conditions else set()
    constants: dict[str, set[Literal]] = {}
    for condition in conditions:
        for name, value in comparisons(condition):
            constants.setdefault(name, set()).update(value if isinstance(value, tuple) else (value,))
    return {
        q.id: _question_samples(q, constants.get(q.id, set())) for q in flow.questions if q.id in read
    }


def _question_samples(question: Question, constants: set[Literal]) -> tuple[FlowValue, ...]:
    values: list[FlowValue]
    if question.kind == "yes_no":
        values = [True, False]
    elif question.kind == "choice":
        values = [option.id for option in question.options]
    elif question.kind == "city":
        values = list(dict.fromkeys([*CITY_KEYS, *sorted(str(c) for c in constants)]))
    else:
        low, high = question.minimum or 0, question.maximum or 0
        near = {n + d for n in constants if type(n) is int for d in (-1, 0, 1)}
        values = [n for n in sorted({low, high, *near}) if low <= n <= high]
    return (*values, None) if question.skippable else tuple(values)

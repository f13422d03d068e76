"""``FlowGuide``: a loaded Flow as the engine's GuidedFlow — next question, answers, outcome.

The outcome is decided by the flow's programme rules, in order, the first that holds; scores
(how many of a list of conditions hold) are computed from the answers first.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.engine.ports import FlowAnswer, FlowPrompt, FlowReply, FlowResult, FlowValue
from bot.flows.answers import option_keys, read_answer
from bot.flows.conditions import evaluate
from bot.flows.schema import Flow, Question

NOT_SAID = "prefers not to say"


def is_asked(question: Question, answers: Mapping[str, FlowValue]) -> bool:
    """Whether ``question`` applies given the answers so far (its ``when`` holds, or it has none)."""
    return question.when is None or evaluate(question.when.condition, answers)


def pending_question(flow: Flow, answers: Mapping[str, FlowValue]) -> Question | None:
    """The first question that applies and is not answered yet; None when the flow is complete."""
    return next((q for q in flow.questions if q.id not in answers and is_asked(q, answers)), None)


def with_scores(flow: Flow, answers: Mapping[str, FlowValue]) -> dict[str, FlowValue]:
    """The answers plus every score (how many of its conditions hold)."""
    values: dict[str, FlowValue] = dict(answers)
    for score in flow.scores:
        values[score.id] = sum(1 for rule in score.count if evaluate(rule.condition, values))
    return values


def decide(flow: Flow, values: Mapping[str, FlowValue]) -> str | None:
    """The outcome id of the first programme rule that holds (None: no rule holds)."""
    for decision in flow.decisions:
        if decision.when is None or evaluate(decision.when.condition, values):
            return decision.outcome
    return None


class FlowGuide:
    """Implements ``GuidedFlow`` for one loaded ``Flow``."""

    def __init__(self, flow: Flow) -> None:
        self._flow = flow

    @property
    def id(self) -> str:
        return self._flow.id

    @property
    def topic(self) -> str:
        return self._flow.topic

    @property
    def team(self) -> str:
        return self._flow.team

    def entry(self, lang: str) -> str:
        return self._flow.entry.get(lang)

    def intro(self, lang: str) -> str:
        return self._flow.intro.get(lang)

    def next_question(self, answers: Mapping[str, FlowValue], lang: str) -> FlowPrompt | None:
        question = pending_question(self._flow, answers)
        if question is None:
            return None
        labels = {option.id: option.text.get(lang) for option in question.options}
        options = tuple((key, labels.get(key, "")) for key in option_keys(question))
        return FlowPrompt(question.id, question.kind, question.text.get(lang), question.reask.get(lang), options)

    def read(self, question_id: str, reply: FlowReply) -> FlowAnswer | None:
        question = self._flow.question(question_id)
        return None if question is None else read_answer(question, reply)

    def result(self, answers: Mapping[str, FlowValue], lang: str) -> FlowResult:
        values = with_scores(self._flow, answers)
        outcome_id = decide(self._flow, values)
        outcome = self._flow.outcome(outcome_id) if outcome_id else None
        if outcome is None:  # the checker refuses such flows; never leave a person without an answer
            return FlowResult("needs_review", self._flow.always.get(lang), handoff=True)
        advice = [a for a in self._flow.advice if a.when is None or evaluate(a.when.condition, values)]
        parts = [outcome.text.get(lang), *(a.text.get(lang) for a in advice), self._flow.always.get(lang)]
        offers = tuple(dict.fromkeys([*outcome.offers, *(o for a in advice for o in a.offers)]))
        return FlowResult(outcome.id, "\n\n".join(parts), outcome.handoff, offers)

    def summary(self, answers: Mapping[str, FlowValue]) -> tuple[tuple[str, str], ...]:
        """(question id, answer) in question order, for the caseworker."""
        shown = [(q.id, _shown(answers[q.id], q.kind)) for q in self._flow.questions if q.id in answers]
        return (("flow", self._flow.id), *shown)


def _shown(value: FlowValue, kind: str) -> str:
    if value is None:
        return NOT_SAID
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value} months ago" if kind == "months_ago" else str(value)

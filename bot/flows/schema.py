"""The typed shape of a guided flow file (routes_content/flows/<flow_id>.yaml).

Every part keeps the line it was read from so ``check_flows`` can point at it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.flows.conditions import Condition

KINDS: tuple[str, ...] = ("choice", "yes_no", "number", "city", "months_ago")
"""Answer types: numbered options, yes/no, a whole number in a range, a city, a time since."""


@dataclass(frozen=True)
class Localized:
    """One text in every language it was written in, with the line of each."""

    texts: Mapping[str, str]
    lines: Mapping[str, int]
    line: int  # where the key holding the texts starts

    def get(self, lang: str, fallback: str = "es") -> str:
        return self.texts.get(lang) or self.texts.get(fallback) or next(iter(self.texts.values()))


@dataclass(frozen=True)
class Rule:
    """A condition with the line it was written on (``when:`` keys)."""

    source: str
    condition: Condition
    line: int


@dataclass(frozen=True)
class Option:
    """One numbered answer of a choice question."""

    id: str
    text: Localized
    line: int


@dataclass(frozen=True)
class Question:
    """One question: asked only when ``when`` holds for the answers so far."""

    id: str
    kind: str
    text: Localized
    reask: Localized
    options: tuple[Option, ...]
    minimum: int | None
    maximum: int | None
    skippable: bool
    when: Rule | None
    line: int


@dataclass(frozen=True)
class Score:
    """A derived number: how many of ``count`` hold (e.g. how many priority groups apply)."""

    id: str
    count: tuple[Rule, ...]
    line: int


@dataclass(frozen=True)
class Decision:
    """A programme rule: when it holds (or always, without ``when``), the result is ``outcome``."""

    when: Rule | None
    outcome: str
    line: int


@dataclass(frozen=True)
class Outcome:
    """A result: its explanation and next steps, a handoff to the team or routes to offer."""

    id: str
    text: Localized
    handoff: bool
    offers: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Advice:
    """A next step added to any outcome when its condition holds."""

    when: Rule | None
    text: Localized
    offers: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Flow:
    """A guided questionnaire: questions in order, programme rules, outcomes, advice."""

    id: str
    topic: str
    team: str
    last_verified: date | None
    sources: tuple[str, ...]
    entry: Localized
    intro: Localized
    always: Localized
    questions: tuple[Question, ...]
    scores: tuple[Score, ...]
    decisions: tuple[Decision, ...]
    outcomes: tuple[Outcome, ...]
    advice: tuple[Advice, ...]
    file: Path

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def outcome(self, outcome_id: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.id == outcome_id), None)

    def localized(self) -> list[Localized]:
        """Every text of the flow (for the translation check)."""
        texts = [self.entry, self.intro, self.always]
        for question in self.questions:
            texts += [question.text, question.reask, *(option.text for option in question.options)]
        texts += [outcome.text for outcome in self.outcomes]
        texts += [advice.text for advice in self.advice]
        return texts

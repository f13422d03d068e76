"""The questions the bot could not answer, redacted, so content editors can close the gaps.

Inbound messages the engine marked ``understood=False`` are decrypted, redacted and grouped by
language and the NLU's nearest topic. Bare numbers (a wrong menu pick) and empty texts are left
out. Spreadsheet formulas cannot sneak in through the CSV: cells starting with = + - @ are quoted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from bot.console.redaction import redact
from bot.storage.models import Message
from bot.storage.protection import KeyError_, Protector

MAX_QUESTIONS = 5000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Question:
    at: datetime
    lang: str
    topic: str
    confidence: float | None
    text: str  # redacted


@dataclass(frozen=True)
class QuestionGroup:
    lang: str
    topic: str
    count: int
    examples: tuple[Question, ...]


class Gaps:
    """Reads the unanswered questions (newest first)."""

    def __init__(self, db: Engine, protector: Protector) -> None:
        self._sessions = sessionmaker(db)
        self._protector = protector

    def questions(self, since: datetime, limit: int = MAX_QUESTIONS) -> list[Question]:
        query = (
            select(Message)
            .where(
                Message.direction == "in",
                Message.understood.is_(False),
                Message.created_at >= since,
            )
            .order_by(Message.id.desc())
            .limit(limit)
        )
        with self._sessions() as session:
            found = (self._question(m) for m in session.scalars(query))
            return [q for q in found if q is not None]

    def _question(self, message: Message) -> Question | None:
        try:
            text = (self._protector.open_or_none(message.text_enc) or "").strip()
        except KeyError_:
            return None
        if not text or text.replace(" ", "").isdigit():
            return None
        return Question(
            at=message.created_at,
            lang=message.lang or "?",
            topic=message.intent or "?",
            confidence=message.confidence,
            text=redact(text)[:500],
        )


def group_questions(questions: Iterable[Question], examples: int = 8) -> list[QuestionGroup]:
    """Groups by (language, nearest topic), biggest first, with the newest examples."""
    groups: dict[tuple[str, str], list[Question]] = {}
    for question in questions:
        groups.setdefault((question.lang, question.topic), []).append(question)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return [
        QuestionGroup(lang, topic, len(items), tuple(items[:examples]))
        for (lang, topic), items in ordered
    ]


def questions_csv(questions: Iterable[Question]) -> str:
    """CSV with a header: date (UTC), language, nearest topic, confidence, redacted text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date_utc", "language", "nearest_topic", "confidence", "text"])
    for q in questions:
        confidence = "" if q.confidence is None else f"{q.confidence:.2f}"
        writer.writerow([f"{q.at:%Y-%m-%d %H:%M}", q.lang, q.topic, confidence, _cell(q.text)])
    return out.getvalue()


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text

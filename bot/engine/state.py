"""ConversationState: what the engine remembers between two messages of one person.

It is stored in the database (never in process memory), so any server process can answer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class ConversationState:
    """The dialogue position of one contact.

    step: ``new`` (never talked), ``choose_lang`` (privacy notice shown, waiting for the
    language choice that also records consent), ``idle``, ``ask_city`` (waiting for a city
    before showing ``pending_topic``), ``confirm_delete``, ``flow`` (waiting for the answer to
    ``flow_question`` of the guided flow ``flow``).
    options: the actions behind the numbered options last shown (``topic:gbv``, ``menu``...).
    flow, flow_question, flow_answers, flow_at: a guided flow in progress or paused (answers as
    (question id, value) pairs; ``flow_at`` the ISO time of the last step, to offer "continue
    or restart?" to someone who comes back later).
    """

    step: str = "new"
    lang: str | None = None
    city: str | None = None
    topic: str | None = None
    pending_topic: str | None = None
    options: tuple[str, ...] = ()
    misunderstood: int = 0
    consent_version: str | None = None
    flow: str | None = None
    flow_question: str | None = None
    flow_answers: tuple[tuple[str, str | int | bool | None], ...] = ()
    flow_at: str | None = None

    def evolve(self, **changes: Any) -> ConversationState:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["options"] = list(self.options)
        data["flow_answers"] = dict(self.flow_answers)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConversationState:
        """Rebuild from stored JSON, ignoring keys a newer or older version wrote."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["options"] = tuple(values.get("options", ()))
        values["flow_answers"] = tuple(dict(values.get("flow_answers") or {}).items())
        return cls(**values)

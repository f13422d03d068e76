"""The values the NLU returns: one frozen Prediction per message."""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES: tuple[str, ...] = ("es", "en", "pt", "fr", "ht")

TOPICS: tuple[str, ...] = (
    "gbv",
    "child_protection",
    "trafficking",
    "health",
    "mental_health",
    "regularization",
    "asylum",
    "education",
    "employability",
    "cash_transfer",
    "food",
    "shelter",
    "legal_aid",
    "transit",
    "family_links",
)

CONVERSATION_INTENTS: tuple[str, ...] = (
    "greeting",
    "goodbye",
    "thanks",
    "human_handoff",
    "menu_help",
    "delete_data",
    "out_of_scope",
)

INTENTS: tuple[str, ...] = TOPICS + CONVERSATION_INTENTS


@dataclass(frozen=True)
class Entities:
    """Entities found in one message.

    city: canonical city id ("cucuta", "villa_del_rosario", "los_patios", "bogota", ...).
    number: the integer the user typed when the whole message is a menu pick ("2", "dos").
    """

    city: str | None = None
    number: int | None = None


@dataclass(frozen=True)
class Prediction:
    """What the NLU understood of one message."""

    intent: str
    confidence: float
    lang: str
    urgent: bool = False
    alternatives: tuple[tuple[str, float], ...] = ()
    entities: Entities = field(default_factory=Entities)

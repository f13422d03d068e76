"""The Protocols through which the engine reaches content, understanding and texts.

Implementations live outside the engine (``bot.content``, ``nlu``, ``bot.i18n``); the engine
imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.engine.messages import Location
from nlu.types import Prediction


class Understander(Protocol):
    """Turns a message into a Prediction (``nlu.Nlu`` implements it)."""

    def predict(self, text: str, lang: str | None = None) -> Prediction: ...


class Texts(Protocol):
    """The sentences the bot itself says, from the gettext catalogs."""

    def gettext(self, lang: str, message: str, /, **params: object) -> str: ...


@dataclass(frozen=True)
class RouteView:
    """A care route ready to show: the first message and its numbered follow-up sections."""

    topic: str
    title: str
    intro: str
    sections: tuple[tuple[str, str], ...]  # (section_id, localized section title), in order


@dataclass(frozen=True)
class Place:
    """A neighbourhood, comuna or city that a user named."""

    id: str
    name: str
    city: str
    location: Location | None


class ContentCatalog(Protocol):
    """Curated care-route content (``bot.content`` implements it)."""

    def has_route(self, topic: str) -> bool: ...

    def topic_title(self, topic: str, lang: str) -> str: ...

    def route(self, topic: str, lang: str, city: str | None) -> RouteView: ...

    def section(self, topic: str, section_id: str, lang: str, city: str | None) -> str: ...

    def needs_city(self, topic: str) -> bool: ...

    def emergency_block(self, lang: str, topic: str | None) -> str: ...

    def nearest_services(self, topic: str, lang: str, location: Location, limit: int = 3) -> str: ...

    def find_place(self, text: str) -> Place | None: ...


@dataclass(frozen=True)
class DeskOutlook:
    """What the handoff desk can promise now: whether anyone is on duty and the expected wait."""

    on_duty: bool
    wait_minutes: int | None = None  # None: no estimate yet
    hours: str | None = None  # the desk's opening hours, shown when nobody is on duty


class HandoffDesk(Protocol):
    """The caseworkers' queue as the engine sees it (``bot.handoff`` implements it)."""

    def outlook(self, topic: str | None, urgent: bool) -> DeskOutlook: ...


class AlwaysOnDesk:
    """A desk with no schedule and no estimate (used until a queue is configured)."""

    def outlook(self, topic: str | None, urgent: bool) -> DeskOutlook:
        return DeskOutlook(on_duty=True)

"""The Protocols through which the engine reaches content, understanding and texts.

Implementations live outside the engine (``bot.content``, ``nlu``, ``bot.i18n``); the engine
imports none of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot.engine.messages import Location
from nlu.types import Prediction

MESSAGE_BREAK = "\n\n· · ·\n\n"
"""Content texts may hold several chat messages joined by this; the engine sends them apart."""


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


FlowValue = str | int | bool | None
"""One stored answer of a guided flow: an option id, yes/no, a number, or None (not said)."""


@dataclass(frozen=True)
class FlowPrompt:
    """One question of a guided flow, ready to ask.

    ``options`` are the numbered answers as (key, label); an empty label asks the engine to
    name a generic answer from its catalog: ``yes``, ``no``, ``skip`` (I prefer not to say),
    ``cucuta``, ``villa_del_rosario``, ``other`` (another city).
    """

    id: str
    kind: str  # choice | yes_no | number | city | months_ago
    text: str
    hint: str  # said again, with the options, when an answer is not understood
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FlowReply:
    """An answer message as the engine understood it."""

    text: str
    lang: str
    today: date
    city: str | None = None  # a city the NLU or the place list found in the text


@dataclass(frozen=True)
class FlowAnswer:
    """An understood answer (``value`` None: the person preferred not to say)."""

    value: FlowValue


@dataclass(frozen=True)
class FlowResult:
    """The end of a flow: explanation and next steps, and what to do next."""

    outcome: str
    text: str
    handoff: bool  # hand the answers to the flow's team
    offers: tuple[str, ...] = ()  # engine actions offered as options ("topic:food", ...)


class GuidedFlow(Protocol):
    """A questionnaire defined as data (``bot.flows`` implements it)."""

    @property
    def id(self) -> str: ...

    @property
    def topic(self) -> str: ...

    @property
    def team(self) -> str: ...

    def entry(self, lang: str) -> str: ...

    def intro(self, lang: str) -> str: ...

    def next_question(self, answers: Mapping[str, FlowValue], lang: str) -> FlowPrompt | None: ...

    def read(self, question_id: str, reply: FlowReply) -> FlowAnswer | None: ...

    def result(self, answers: Mapping[str, FlowValue], lang: str) -> FlowResult: ...

    def summary(self, answers: Mapping[str, FlowValue]) -> tuple[tuple[str, str], ...]: ...


class FlowBook(Protocol):
    """The guided flows of the content (``bot.flows.FlowLibrary`` implements it)."""

    def flow(self, flow_id: str) -> GuidedFlow | None: ...

    def flows_for(self, topic: str) -> tuple[GuidedFlow, ...]: ...


class NoFlows:
    """A book without flows (used when none are configured)."""

    def flow(self, flow_id: str) -> GuidedFlow | None:
        return None

    def flows_for(self, topic: str) -> tuple[GuidedFlow, ...]:
        return ()

"""The normalised messages that cross the engine boundary: one inbound type, one outbound type."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Location:
    """A point the user shared (WGS84 degrees)."""

    latitude: float
    longitude: float


@dataclass(frozen=True)
class Media:
    """An attachment the user sent; the engine never downloads it."""

    url: str
    content_type: str


@dataclass(frozen=True)
class InboundMessage:
    """One message from a person, as any channel delivers it.

    ``user_id`` is the id on that channel (phone number, Telegram chat id, web id); the
    storage layer pseudonymises it, the engine never sees it.
    """

    channel: str
    user_id: str
    provider_message_id: str
    text: str
    received_at: datetime
    location: Location | None = None
    media: tuple[Media, ...] = ()


@dataclass(frozen=True)
class OutboundMessage:
    """One reply: text plus numbered options (the channel decides how to show them)."""

    text: str
    options: tuple[str, ...] = field(default=())

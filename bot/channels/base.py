"""The channel contract: what every messaging channel offers the app and the outbox sender.

A channel has two faces. Inbound, it owns its webhook routes: verify the request first (a bad
signature or secret is a 403 and nothing is stored), normalise it to ``InboundMessage`` and hand
it to the ``Receiver`` callback (the inbox). Outbound, the sender asks it to ``render`` a stored
reply into the parts the provider accepts and to ``send`` each part, and learns from the error
type whether to try again::

    SendError
     ├── TransientSendError   timeouts, 429, 5xx: retry later (after ``retry_after`` if given)
     └── PermanentSendError   bad number, user blocked the bot, 4xx: never retried
          └── OutsideWindowError   free text refused outside the 24 h window: send the template

Dependencies point inward: channels know the engine's messages and the inbox's ``Received``;
nothing here imports storage or the app.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from starlette.routing import BaseRoute

from bot.engine.messages import InboundMessage, OutboundMessage
from bot.inbox import Received

Receiver = Callable[[InboundMessage], Awaitable[Received]]
"""Stores one inbound message and runs the engine on it (the inbox, run off the event loop)."""


@dataclass(frozen=True)
class ProviderStatus:
    """A delivery report from a provider for one outbox item."""

    outbox_id: int
    status: str  # queued | sending | sent | delivered | read | failed | undelivered | ...
    error_code: str | None = None
    reason: str | None = None


StatusSink = Callable[[ProviderStatus], Awaitable[None]]
"""Records a delivery report (the outbox store, run off the event loop)."""


@dataclass(frozen=True)
class Part:
    """One provider message: text, plus the options shown as buttons on channels that have them."""

    text: str
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Address:
    """Where a part goes: the message channel and the decrypted user id (never logged)."""

    channel: str
    user_id: str
    outbox_id: int


class SendError(Exception):
    """A provider call failed; ``code`` is short and safe to store (never a number or a token)."""

    def __init__(self, reason: str, code: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class TransientSendError(SendError):
    """Worth another try later: timeouts, rate limits, provider or network trouble."""

    def __init__(self, reason: str, code: str | None = None, retry_after: float | None = None) -> None:
        super().__init__(reason, code)
        self.retry_after = retry_after


class PermanentSendError(SendError):
    """Will fail again: invalid recipient, blocked bot, rejected content, bad configuration."""


class OutsideWindowError(PermanentSendError):
    """Free text refused because the user's service window closed (WhatsApp's 24 hours)."""


class Channel(Protocol):
    """A messaging provider serving one or more message channels (``InboundMessage.channel``)."""

    @property
    def names(self) -> frozenset[str]:
        """The message channels this provider serves, e.g. {"whatsapp", "sms"}."""
        ...

    def routes(self, receive: Receiver, report: StatusSink) -> Sequence[BaseRoute]:
        """The webhook routes; each verifies its request before anything is stored."""
        ...

    def render(self, channel: str, message: OutboundMessage) -> tuple[Part, ...]:
        """Options laid out for the channel and text split under the provider's size limit."""
        ...

    def service_window(self, channel: str) -> timedelta | None:
        """How long after the user's last message free text may be sent (None: no limit)."""
        ...

    def has_template(self, channel: str) -> bool:
        """Whether a pre-approved template is configured for messages outside the window."""
        ...

    async def send(self, address: Address, part: Part) -> str:
        """Send one part; returns the provider's message id; raises a ``SendError``."""
        ...

    async def send_template(self, address: Address) -> tuple[str, str]:
        """Send the configured template; returns (provider message id, template id)."""
        ...

    async def start(self) -> None:
        """Open network resources (in the app's lifespan)."""
        ...

    async def stop(self) -> None:
        """Close them."""
        ...

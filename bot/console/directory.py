"""The services a case can be referred to, read from the current content catalog."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.content.holder import CatalogHolder


@dataclass(frozen=True)
class ServiceChoice:
    """A service of the directory as the close form lists it."""

    id: str
    name: str
    city: str
    topics: tuple[str, ...]


Directory = Callable[[], Sequence[ServiceChoice]]


def directory_of(holder: CatalogHolder) -> Directory:
    """The services of the content loaded now (content reloads are picked up)."""

    def services() -> Sequence[ServiceChoice]:
        return [
            ServiceChoice(s.id, s.name, s.city, tuple(s.topics))
            for s in holder.catalog.content.services
        ]

    return services


def referral_choices(
    directory: Directory, topic: str | None
) -> tuple[list[ServiceChoice], list[ServiceChoice]]:
    """(services for the case's topic, all the others), each sorted by name."""
    services = sorted(directory(), key=lambda s: s.name.lower())
    matching = [s for s in services if topic is not None and topic in s.topics]
    return matching, [s for s in services if s not in matching]

"""The typed shape of routes_content/: hotlines, services, places, routes and labels.

Every record keeps its ``Origin`` (file and line) so the checker can point at it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

KINDS: tuple[str, ...] = ("public_office", "un_agency", "ngo", "health", "church", "legal_clinic")
LOCAL_CITIES: tuple[str, ...] = ("cucuta", "villa_del_rosario", "los_patios", "norte_de_santander")
CITIES: tuple[str, ...] = (*LOCAL_CITIES, "national")
SCOPES: tuple[str, ...] = ("national", "cucuta", "norte_de_santander", "villa_del_rosario")
STATUSES: tuple[str, ...] = ("confirmed", "re-verify")
COSTS: tuple[str, ...] = ("free", "unknown")
DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PLACE_KINDS: tuple[str, ...] = ("city", "comuna", "neighbourhood")


@dataclass(frozen=True)
class Origin:
    """Where a record was read: file and 1-based line."""

    file: Path
    line: int


@dataclass(frozen=True)
class GeoPoint:
    """WGS84 coordinates with the page that gives them."""

    lat: float
    lon: float
    source: str | None = None


@dataclass(frozen=True)
class OpeningHours:
    """Weekly hours: day id ("mon".."sun") to (opens, closes) intervals; a missing day is closed."""

    days: Mapping[str, tuple[tuple[time, time], ...]]


@dataclass(frozen=True)
class Hotline:
    """A phone line (national or local); the emergency block is built from these."""

    id: str
    number: str
    name: Mapping[str, str]
    hours: str | None
    cost: str
    scope: str
    topics: tuple[str, ...]
    status: str
    sources: tuple[str, ...]
    last_verified: date | None
    origin: Origin


@dataclass(frozen=True)
class Service:
    """An organisation or public office in the services directory."""

    id: str
    name: str
    kind: str
    city: str
    address: str | None
    location: GeoPoint | None
    hours: OpeningHours | None
    phones: tuple[str, ...]
    whatsapp: tuple[str, ...]
    email: str | None
    web: str | None
    cost: str
    topics: tuple[str, ...]
    languages: tuple[str, ...]
    description: Mapping[str, str]
    status: str
    sources: tuple[str, ...]
    last_verified: date | None
    origin: Origin


@dataclass(frozen=True)
class Section:
    """One numbered follow-up of a route in one language."""

    id: str
    title: str
    text: str
    line: int


@dataclass(frozen=True)
class RouteText:
    """A route's text in one language (one ``<lang>.yaml`` file)."""

    lang: str
    title: str
    intro: str
    sections: tuple[Section, ...]
    origin: Origin
    intro_line: int

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass(frozen=True)
class Route:
    """A care route: the language-independent facts (route.yaml) and its texts per language."""

    topic: str
    last_verified: date | None
    sources: tuple[str, ...]
    hotlines: tuple[str, ...]
    urgent_hotlines: tuple[str, ...]
    local_services: bool
    texts: Mapping[str, RouteText]
    origin: Origin


@dataclass(frozen=True)
class PlaceEntry:
    """A city, comuna or neighbourhood that users may name, with its spellings."""

    id: str
    name: str
    city: str
    kind: str
    aliases: tuple[str, ...]
    location: GeoPoint | None
    sources: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True)
class Labels:
    """The words the code adds around content ("Where to go", "free", ...), per language."""

    texts: Mapping[str, Mapping[str, str]]
    lines: Mapping[str, int] = field(default_factory=dict)
    origin: Origin | None = None

    def get(self, label: str, lang: str, /, **params: object) -> str:
        """The label in ``lang`` (else Spanish), with its ``{params}`` filled in."""
        texts = self.texts[label]
        template = texts.get(lang) or texts["es"]
        return template.format(**params) if params else template


@dataclass(frozen=True)
class Content:
    """Everything read from routes_content/."""

    root: Path
    hotlines: tuple[Hotline, ...]
    services: tuple[Service, ...]
    places: tuple[PlaceEntry, ...]
    routes: Mapping[str, Route]
    labels: Labels

    def hotline(self, hotline_id: str) -> Hotline | None:
        return next((h for h in self.hotlines if h.id == hotline_id), None)

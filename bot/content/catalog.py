"""``Catalog``: the engine's ContentCatalog, rendering routes, services and lines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.content.geo import haversine_km
from bot.content.hours import is_open
from bot.content.loader import load_content
from bot.content.places import PlaceIndex
from bot.content.problems import ContentError
from bot.content.render import (
    city_name,
    hotline_list,
    hours_text,
    service_block,
    split_message,
)
from bot.content.rules import LOAD_RULES
from bot.content.schema import LOCAL_CITIES, Content, Hotline, Route, RouteText, Service
from bot.engine.messages import Location
from bot.engine.ports import MESSAGE_BREAK, Place, RouteView

SERVICES_SECTION = "services"
EMERGENCY_LINE = "line_123"
# How far a shared location may be from a known place for us to guess the user's city.
_NEAR_PLACE_KM = 15.0

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Catalog:
    """Curated care-route content, ready to show (implements ``engine.ports.ContentCatalog``)."""

    def __init__(self, content: Content, places: PlaceIndex, clock: Clock = _utc_now) -> None:
        self.content = content
        self._places = places
        self._clock = clock

    @classmethod
    def from_content(cls, content: Content, clock: Clock = _utc_now) -> Catalog:
        return cls(content, PlaceIndex.build(content.places), clock)

    @classmethod
    def load(cls, content_dir: Path, clock: Clock = _utc_now) -> Catalog:
        """Read and validate ``content_dir``; raises ContentError naming file, line and field."""
        content = load_content(content_dir)
        problems = [p for rule in LOAD_RULES for p in rule(content) if p.is_error]
        if problems:
            raise ContentError(problems, content_dir)
        return cls.from_content(content, clock)

    # -- routes -------------------------------------------------------------------------------

    def has_route(self, topic: str) -> bool:
        route = self.content.routes.get(topic)
        return route is not None and bool(route.texts)

    def topic_title(self, topic: str, lang: str) -> str:
        route = self.content.routes.get(topic)
        return _text(route, lang).title if route and route.texts else topic.replace("_", " ")

    def needs_city(self, topic: str) -> bool:
        route = self.content.routes.get(topic)
        if route is not None:
            return route.local_services
        return any(s.city != "national" for s in self._services(topic))

    def route(self, topic: str, lang: str, city: str | None) -> RouteView:
        """The route's first message (intro plus its lines) and its numbered sections."""
        route = self._route(topic)
        text = _text(route, lang)
        sections = tuple((s.id, s.title) for s in text.sections)
        if self._services(topic):
            sections += ((SERVICES_SECTION, self._label("services_title", lang)),)
        lines = hotline_list(
            "lines_title", self._hotlines(route.hotlines), self.content.labels, lang
        )
        intro = f"{text.intro}\n\n{lines}" if lines else text.intro
        return RouteView(topic=topic, title=text.title, intro=intro, sections=sections)

    def section(self, topic: str, section_id: str, lang: str, city: str | None) -> str:
        """One numbered follow-up; ``services`` is built from the directory, ``city`` first."""
        if section_id == SERVICES_SECTION:
            return self.services_text(topic, lang, city)
        section = _text(self._route(topic), lang).section(section_id)
        if section is None:
            raise KeyError(f"route {topic!r} has no section {section_id!r}")
        return split_message(f"*{section.title}*\n{section.text}", self.content.labels, lang)

    # -- services -----------------------------------------------------------------------------

    def services_text(self, topic: str, lang: str, city: str | None) -> str:
        """The "where to go" list: the user's city, then other local services, then national."""
        services = self._services(topic)
        if not services:
            return self._label("no_services", lang)
        paragraphs = [f"*{self._label('services_title', lang)}*"]
        if city is not None and city not in LOCAL_CITIES:
            paragraphs.append(self._label("not_local_city", lang))
        for header, group in self._groups(services, city, lang):
            blocks = [service_block(s, self.content.labels, lang) for s in group]
            paragraphs.append(f"_{header}_\n\n" + "\n\n".join(blocks))
        paragraphs.append(f"{self._label('never_pay', lang)} {self._label('missing_hint', lang)}")
        return split_message("\n\n".join(paragraphs), self.content.labels, lang)

    def _groups(
        self, services: list[Service], city: str | None, lang: str
    ) -> list[tuple[str, list[Service]]]:
        mine = [s for s in services if city is not None and s.city == city]
        nearby = [s for s in services if s.city != "national" and s not in mine]
        national = [s for s in services if s.city == "national"]
        groups = []
        if mine:
            name = city_name(self.content.labels, lang, city or "")
            groups.append((self._label("group_city", lang, city=name), mine))
        if nearby:
            groups.append((self._label("group_nearby", lang), nearby))
        if national:
            groups.append((self._label("group_national", lang), national))
        if city is not None and city not in LOCAL_CITIES:
            groups.reverse()  # far from Cúcuta, national channels come first
        return groups

    def _services(self, topic: str) -> list[Service]:
        return [s for s in self.content.services if topic in s.topics]

    # -- emergencies ----------------------------------------------------------------------------

    def emergency_block(self, lang: str, topic: str | None) -> str:
        """Urgent lines for ``topic``: the route's urgent_hotlines, else 123 and topic lines."""
        lines = self._hotlines(self._urgent_ids(topic))
        return hotline_list("emergency_title", lines, self.content.labels, lang)

    def _urgent_ids(self, topic: str | None) -> tuple[str, ...]:
        route = self.content.routes.get(topic) if topic else None
        if route is not None and route.urgent_hotlines:
            return route.urgent_hotlines
        topical = [h for h in self.content.hotlines if topic is not None and topic in h.topics]
        topical.sort(key=lambda h: h.status != "confirmed")
        return (EMERGENCY_LINE, *(h.id for h in topical if h.id != EMERGENCY_LINE))

    def _hotlines(self, ids: tuple[str, ...]) -> list[Hotline]:
        found = (self.content.hotline(i) for i in ids)
        return [h for h in found if h is not None]

    # -- places and distance ---------------------------------------------------------------------

    def find_place(self, text: str) -> Place | None:
        entry = self._places.find(text)
        if entry is None:
            return None
        point = entry.location
        location = Location(point.lat, point.lon) if point else None
        return Place(id=entry.id, name=entry.name, city=entry.city, location=location)

    def nearest_services(self, topic: str, lang: str, location: Location, limit: int = 3) -> str:
        """The ``limit`` nearest services with coordinates: distance and whether open now."""
        located = [s for s in self._services(topic) if s.location is not None]
        if not located:
            return self._no_locations(topic, lang, location)
        located.sort(key=lambda s: _distance(location, s))
        title = self._label("nearest_title", lang, topic=self.topic_title(topic, lang))
        items = [self._nearby_item(n, s, lang, location) for n, s in enumerate(located[:limit], 1)]
        body = "\n\n".join([title, *items, self._label("missing_hint", lang)])
        return split_message(body, self.content.labels, lang)

    def _nearby_item(self, n: int, service: Service, lang: str, location: Location) -> str:
        km = self._label("distance_km", lang, km=_format_km(_distance(location, service), lang))
        block = service_block(service, self.content.labels, lang)
        return f"{n}. {km} — {self._open_state(service, lang)}\n{block}"

    def _open_state(self, service: Service, lang: str) -> str:
        if service.hours is None:
            return self._label("hours_unknown", lang)
        open_now = is_open(service.hours, self._clock())
        state = self._label("open_now" if open_now else "closed_now", lang)
        return f"{state} ({hours_text(service, self.content.labels, lang)})"

    def _no_locations(self, topic: str, lang: str, location: Location) -> str:
        sentence = self._label("no_locations", lang, topic=self.topic_title(topic, lang))
        city = self._city_near(location)
        if city is None or not self._services(topic):
            return f"{sentence}\n\n{self._label('missing_hint', lang)}"
        lead = self._label("near_city", lang, city=city_name(self.content.labels, lang, city))
        listing = self.services_text(topic, lang, city)
        return f"{sentence} {lead}{MESSAGE_BREAK}{listing}"

    def _city_near(self, location: Location) -> str | None:
        """The city of the nearest place with coordinates, if one is close enough."""
        distances = [
            (
                haversine_km(location.latitude, location.longitude, p.location.lat, p.location.lon),
                p.city,
            )
            for p in self.content.places
            if p.location is not None
        ]
        if not distances:
            return None
        km, city = min(distances)
        return city if km <= _NEAR_PLACE_KM else None

    # -- helpers --------------------------------------------------------------------------------

    def _route(self, topic: str) -> Route:
        route = self.content.routes.get(topic)
        if route is None or not route.texts:
            raise KeyError(f"no route for topic {topic!r}")
        return route

    def _label(self, label: str, lang: str, /, **params: object) -> str:
        return self.content.labels.get(label, lang, **params)


def _text(route: Route, lang: str) -> RouteText:
    """The route in ``lang``, else in Spanish, else in any language it has."""
    return route.texts.get(lang) or route.texts.get("es") or next(iter(route.texts.values()))


def _distance(location: Location, service: Service) -> float:
    point = service.location
    if point is None:
        return float("inf")
    return haversine_km(location.latitude, location.longitude, point.lat, point.lon)


def _format_km(km: float, lang: str) -> str:
    text = f"{km:.1f}"
    return text if lang == "en" else text.replace(".", ",")

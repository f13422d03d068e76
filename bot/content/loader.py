"""Reads routes_content/ into ``Content``; every malformed file or entry becomes a located Problem.

``read_content`` never raises on bad content: it skips what it cannot read and reports it, so the
checker can list every problem at once. ``load_content`` raises ``ContentError`` instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import TypeVar

from bot.content.problems import ContentError, Problem, error
from bot.content.schema import (
    CITIES,
    COSTS,
    DAYS,
    KINDS,
    PLACE_KINDS,
    SCOPES,
    STATUSES,
    Content,
    GeoPoint,
    Hotline,
    Labels,
    OpeningHours,
    Origin,
    PlaceEntry,
    Route,
    RouteText,
    Section,
    Service,
)
from bot.content.yamlfile import (
    FieldError,
    Fields,
    as_fields,
    as_list,
    compose_file,
)
from nlu.types import LANGUAGES

HOTLINES_FILE = "hotlines.yaml"
PLACES_FILE = "places.yaml"
LABELS_FILE = "labels.yaml"
SERVICES_DIR = "services"
ROUTES_DIR = "routes"
ROUTE_FILE = "route.yaml"

_ID = re.compile(r"^[a-z0-9_]+$")
_INTERVAL = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")

_HOTLINE_KEYS = frozenset(
    {
        "id",
        "number",
        "name",
        "hours",
        "cost",
        "scope",
        "topics",
        "status",
        "sources",
        "last_verified",
    }
)
_SERVICE_KEYS = frozenset(
    {
        "id",
        "name",
        "kind",
        "city",
        "address",
        "location",
        "hours",
        "phones",
        "whatsapp",
        "email",
        "web",
        "cost",
        "topics",
        "languages",
        "description",
        "status",
        "sources",
        "last_verified",
    }
)
_PLACE_KEYS = frozenset({"id", "name", "city", "kind", "aliases", "location", "sources"})
_ROUTE_KEYS = frozenset(
    {"topic", "last_verified", "sources", "hotlines", "urgent_hotlines", "local_services"}
)
_TEXT_KEYS = frozenset({"title", "intro", "sections"})
_SECTION_KEYS = frozenset({"id", "title", "text"})

T = TypeVar("T")


class _Reader:
    """Collects the problems met while reading one content tree."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def report(self, file: Path, exc: FieldError) -> None:
        self.problems.append(error("schema", file, exc.line, f"{exc.field}: {exc.message}"))

    def entries(self, file: Path, parse: Callable[[Fields, Path], T], what: str) -> list[T]:
        """Parse a file holding a list of mappings, skipping (and reporting) bad entries."""
        if not file.is_file():
            self.problems.append(error("missing_file", file, None, f"{what} file is missing"))
            return []
        try:
            items = as_list(compose_file(file), what)
        except FieldError as exc:
            self.report(file, exc)
            return []
        parsed: list[T] = []
        for index, item in enumerate(items):
            try:
                parsed.append(parse(as_fields(item, f"{what}[{index}]"), file))
            except FieldError as exc:
                self.report(file, exc)
        return parsed


def read_content(root: Path) -> tuple[Content, list[Problem]]:
    """Read the whole tree; problems list every file or entry that could not be read."""
    reader = _Reader(root)
    services: list[Service] = []
    for file in sorted((root / SERVICES_DIR).glob("*.yaml")):
        services += reader.entries(file, _parse_service, "services")
    if not services:
        reader.problems.append(
            error("missing_file", root / SERVICES_DIR, None, "no services/*.yaml file with entries")
        )
    content = Content(
        root=root,
        hotlines=tuple(reader.entries(root / HOTLINES_FILE, _parse_hotline, "hotlines")),
        services=tuple(services),
        places=tuple(reader.entries(root / PLACES_FILE, _parse_place, "places")),
        routes=_read_routes(reader, root / ROUTES_DIR),
        labels=_read_labels(reader, root / LABELS_FILE),
    )
    return content, reader.problems


def load_content(root: Path) -> Content:
    """Read the tree, raising ``ContentError`` (file, line and field of each error) on any error."""
    content, problems = read_content(root)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ContentError(errors, root)
    return content


def _identifier(fields: Fields, key: str) -> str:
    value = fields.text(key)
    if not _ID.match(value):
        raise FieldError(
            fields.line_of(key), f"{fields.path}.{key}", "use lowercase letters, digits, _"
        )
    return value


def _parse_hotline(fields: Fields, file: Path) -> Hotline:
    fields.reject_unknown(_HOTLINE_KEYS)
    return Hotline(
        id=_identifier(fields, "id"),
        number=fields.text("number"),
        name=_localized(fields, "name"),
        hours=fields.optional_text("hours"),
        cost=fields.choice("cost", COSTS, default="unknown"),
        scope=fields.choice("scope", SCOPES),
        topics=fields.text_list("topics"),
        status=fields.choice("status", STATUSES),
        sources=fields.text_list("sources"),
        last_verified=fields.date("last_verified"),
        origin=Origin(file, fields.line),
    )


def _parse_service(fields: Fields, file: Path) -> Service:
    fields.reject_unknown(_SERVICE_KEYS)
    return Service(
        id=_identifier(fields, "id"),
        name=fields.text("name"),
        kind=fields.choice("kind", KINDS),
        city=fields.choice("city", CITIES),
        address=fields.optional_text("address"),
        location=_location(fields),
        hours=_hours(fields),
        phones=fields.text_list("phones"),
        whatsapp=fields.text_list("whatsapp"),
        email=fields.optional_text("email"),
        web=fields.optional_text("web"),
        cost=fields.choice("cost", COSTS, default="unknown"),
        topics=fields.text_list("topics"),
        languages=fields.text_list("languages") or ("es",),
        description=_localized(fields, "description"),
        status=fields.choice("status", STATUSES),
        sources=fields.text_list("sources"),
        last_verified=fields.date("last_verified"),
        origin=Origin(file, fields.line),
    )


def _parse_place(fields: Fields, file: Path) -> PlaceEntry:
    fields.reject_unknown(_PLACE_KEYS)
    return PlaceEntry(
        id=_identifier(fields, "id"),
        name=fields.text("name"),
        city=_identifier(fields, "city"),
        kind=fields.choice("kind", PLACE_KINDS),
        aliases=fields.text_list("aliases"),
        location=_location(fields),
        sources=fields.text_list("sources"),
        origin=Origin(file, fields.line),
    )


def _localized(fields: Fields, key: str) -> dict[str, str]:
    texts = fields.text_map(key)
    for lang, (_, line) in texts.items():
        if lang not in LANGUAGES:
            raise FieldError(
                line, f"{fields.path}.{key}.{lang}", f"unknown language (use {LANGUAGES})"
            )
    if "es" not in texts:
        raise FieldError(fields.line_of(key), f"{fields.path}.{key}.es", "Spanish text is required")
    return {lang: text for lang, (text, _) in texts.items()}


def _location(fields: Fields) -> GeoPoint | None:
    sub = fields.mapping("location")
    if sub is None:
        return None
    sub.reject_unknown(frozenset({"lat", "lon", "source"}))
    lat, lon = sub.number("lat"), sub.number("lon")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise FieldError(sub.line, sub.path, "lat must be within ±90 and lon within ±180")
    return GeoPoint(lat, lon, sub.optional_text("source"))


def _hours(fields: Fields) -> OpeningHours | None:
    sub = fields.mapping("hours")
    if sub is None:
        return None
    sub.reject_unknown(frozenset(DAYS))
    days: dict[str, tuple[tuple[time, time], ...]] = {}
    for day in sub.names():
        days[day] = tuple(
            _interval(text, sub.line_of(day), f"{sub.path}.{day}") for text in sub.text_list(day)
        )
    return OpeningHours(days)


def _interval(text: str, line: int, field: str) -> tuple[time, time]:
    match = _INTERVAL.match(text)
    problem = 'expected "HH:MM-HH:MM", e.g. "08:00-12:00"'
    if not match:
        raise FieldError(line, field, problem)
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if max(h1, h2) > 23 or max(m1, m2) > 59 or (h1, m1) >= (h2, m2):
        raise FieldError(line, field, f"{text!r}: {problem}, opening before closing")
    return time(h1, m1), time(h2, m2)


def _read_labels(reader: _Reader, file: Path) -> Labels:
    if not file.is_file():
        reader.problems.append(error("missing_file", file, None, "labels file is missing"))
        return Labels({})
    try:
        fields = as_fields(compose_file(file), "")
        texts: dict[str, dict[str, str]] = {}
        lines: dict[str, int] = {}
        for label in fields.names():
            texts[label] = _localized(fields, label)
            lines[label] = fields.line_of(label)
    except FieldError as exc:
        reader.report(file, exc)
        return Labels({})
    return Labels(texts, lines, Origin(file, 1))


def _read_routes(reader: _Reader, routes_dir: Path) -> dict[str, Route]:
    routes: dict[str, Route] = {}
    if not routes_dir.is_dir():
        return routes
    for topic_dir in sorted(p for p in routes_dir.iterdir() if p.is_dir()):
        route = _read_route(reader, topic_dir)
        if route is not None:
            routes[route.topic] = route
    return routes


def _read_route(reader: _Reader, topic_dir: Path) -> Route | None:
    file = topic_dir / ROUTE_FILE
    if not file.is_file():
        reader.problems.append(error("missing_file", file, None, "route.yaml is missing"))
        return None
    try:
        fields = as_fields(compose_file(file), "")
        fields.reject_unknown(_ROUTE_KEYS)
        topic = fields.text("topic")
        if topic != topic_dir.name:
            raise FieldError(
                fields.line_of("topic"), "topic", f"must equal the folder name {topic_dir.name!r}"
            )
        return Route(
            topic=topic,
            last_verified=fields.date("last_verified"),
            sources=fields.text_list("sources"),
            hotlines=fields.text_list("hotlines"),
            urgent_hotlines=fields.text_list("urgent_hotlines"),
            local_services=fields.boolean("local_services", default=False),
            texts=_read_texts(reader, topic_dir),
            origin=Origin(file, fields.line),
        )
    except FieldError as exc:
        reader.report(file, exc)
        return None


def _read_texts(reader: _Reader, topic_dir: Path) -> dict[str, RouteText]:
    texts: dict[str, RouteText] = {}
    for lang in LANGUAGES:
        file = topic_dir / f"{lang}.yaml"
        if not file.is_file():
            continue
        try:
            texts[lang] = _parse_text(as_fields(compose_file(file), ""), lang, file)
        except FieldError as exc:
            reader.report(file, exc)
    return texts


def _parse_text(fields: Fields, lang: str, file: Path) -> RouteText:
    fields.reject_unknown(_TEXT_KEYS)
    sections = []
    for item in fields.mappings("sections"):
        item.reject_unknown(_SECTION_KEYS)
        section_id = _identifier(item, "id")
        sections.append(
            Section(section_id, item.text("title"), item.text("text"), item.line_of("text"))
        )
    return RouteText(
        lang=lang,
        title=fields.text("title"),
        intro=fields.text("intro"),
        sections=tuple(sections),
        origin=Origin(file, fields.line),
        intro_line=fields.line_of("intro"),
    )

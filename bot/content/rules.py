"""The content rules: each takes ``Content`` and returns the Problems it finds.

``LOAD_RULES`` are the ones a running server cannot do without (a missing label or a bad
placeholder would crash rendering); ``check_content`` runs them all.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path

from bot.content.loader import ROUTE_FILE, ROUTES_DIR
from bot.content.phones import digits_of, find_phones
from bot.content.problems import Problem, error, warning
from bot.content.render import REQUIRED_LABELS
from bot.content.schema import Content, Origin, Route
from nlu.types import LANGUAGES, TOPICS

TEXT_LIMIT = 700
DESCRIPTION_LIMIT = 400
RESERVED_SECTIONS = frozenset({"services"})

Rule = Callable[[Content], list[Problem]]


def route_coverage(content: Content) -> list[Problem]:
    """Every topic has a route, and every route has every language."""
    problems = []
    for topic in TOPICS:
        folder = content.root / ROUTES_DIR / topic
        route = content.routes.get(topic)
        if route is None:
            if not (folder / ROUTE_FILE).is_file():  # an unreadable file is already reported
                problems.append(
                    error(
                        "missing_route", folder / ROUTE_FILE, None, f"no route for topic {topic!r}"
                    )
                )
            continue
        for lang in LANGUAGES:
            file = folder / f"{lang}.yaml"
            if lang not in route.texts and not file.is_file():
                problems.append(error("missing_language", file, None, f"{topic}: no {lang} text"))
    for topic, route in content.routes.items():
        if topic not in TOPICS:
            problems.append(
                error(
                    "unknown_topic",
                    route.origin.file,
                    route.origin.line,
                    f"{topic!r} is not a topic of intents.yaml",
                )
            )
    return problems


def text_sizes(content: Content) -> list[Problem]:
    """No intro or section over TEXT_LIMIT characters; descriptions stay short."""
    problems = []
    for route in content.routes.values():
        for text in route.texts.values():
            file = text.origin.file
            pieces = [("intro", text.intro, text.intro_line)]
            pieces += [(f"section {s.id!r}", s.text, s.line) for s in text.sections]
            for what, body, line in pieces:
                if len(body) > TEXT_LIMIT:
                    problems.append(
                        error(
                            "too_long",
                            file,
                            line,
                            f"{what} has {len(body)} characters (limit {TEXT_LIMIT})",
                        )
                    )
    for service in content.services:
        for lang, body in service.description.items():
            if len(body) > DESCRIPTION_LIMIT:
                problems.append(
                    warning(
                        "too_long",
                        service.origin.file,
                        service.origin.line,
                        f"{service.id}: {lang} description has {len(body)} characters"
                        f" (keep under {DESCRIPTION_LIMIT})",
                    )
                )
    return problems


def section_structure(content: Content) -> list[Problem]:
    """Section ids and order identical across languages; 2 to 5 sections; no reserved ids."""
    problems = []
    for route in content.routes.values():
        spanish = route.texts.get("es")
        for text in route.texts.values():
            ids = [s.id for s in text.sections]
            file, line = text.origin.file, text.origin.line
            if spanish is not None and ids != [s.id for s in spanish.sections]:
                expected = [s.id for s in spanish.sections]
                problems.append(
                    error(
                        "section_mismatch",
                        file,
                        line,
                        f"section ids {ids} differ from Spanish {expected}",
                    )
                )
            if not 2 <= len(ids) <= 5:
                problems.append(
                    warning("section_count", file, line, f"{len(ids)} sections (expected 2 to 5)")
                )
            for section in text.sections:
                if section.id in RESERVED_SECTIONS:
                    problems.append(
                        error(
                            "reserved_section",
                            file,
                            section.line,
                            f"section id {section.id!r} is added by the code",
                        )
                    )
            for section_id, count in Counter(ids).items():
                if count > 1:
                    problems.append(
                        error(
                            "duplicate_id",
                            file,
                            line,
                            f"section id {section_id!r} appears {count} times",
                        )
                    )
    return problems


def hotline_references(content: Content) -> list[Problem]:
    """Every hotline id a route names exists in hotlines.yaml."""
    known = {h.id for h in content.hotlines}
    problems = []
    for route in content.routes.values():
        for hotline_id in dict.fromkeys(route.hotlines + route.urgent_hotlines):
            if hotline_id not in known:
                problems.append(
                    error(
                        "unknown_hotline",
                        route.origin.file,
                        route.origin.line,
                        f"{route.topic}: hotline {hotline_id!r} is not in hotlines.yaml",
                    )
                )
    return problems


def topic_references(content: Content) -> list[Problem]:
    """Services and hotlines only name topics of intents.yaml."""
    problems = []
    records = [(s.id, s.topics, s.origin) for s in content.services]
    records += [(h.id, h.topics, h.origin) for h in content.hotlines]
    for record_id, topics, origin in records:
        for topic in topics:
            if topic not in TOPICS:
                problems.append(
                    error(
                        "unknown_topic",
                        origin.file,
                        origin.line,
                        f"{record_id}: unknown topic {topic!r}",
                    )
                )
    return problems


def duplicate_ids(content: Content) -> list[Problem]:
    problems = []
    groups: list[list[tuple[str, Origin]]] = [
        [(h.id, h.origin) for h in content.hotlines],
        [(s.id, s.origin) for s in content.services],
        [(p.id, p.origin) for p in content.places],
    ]
    for records in groups:
        seen: set[str] = set()
        for record_id, origin in records:
            if record_id in seen:
                problems.append(
                    error(
                        "duplicate_id", origin.file, origin.line, f"id {record_id!r} is used twice"
                    )
                )
            seen.add(record_id)
    return problems


def labels_complete(content: Content) -> list[Problem]:
    """Every label the code uses exists, in every language, with the same {placeholders}."""
    labels = content.labels
    file = labels.origin.file if labels.origin else content.root / "labels.yaml"
    problems = []
    for label in REQUIRED_LABELS:
        if label not in labels.texts:
            problems.append(error("missing_label", file, None, f"label {label!r} is missing"))
    for label, texts in labels.texts.items():
        line = labels.lines.get(label)
        expected = _placeholders(texts["es"])
        for lang in LANGUAGES:
            if lang not in texts:
                problems.append(
                    error("missing_translation", file, line, f"label {label!r}: no {lang} text")
                )
        for lang, text in texts.items():
            if _placeholders(text) != expected:
                problems.append(
                    error(
                        "label_placeholders",
                        file,
                        line,
                        f"{label}.{lang} uses {sorted(_placeholders(text))},"
                        f" Spanish uses {sorted(expected)}",
                    )
                )
    return problems


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def translations(content: Content) -> list[Problem]:
    """Every language present, and no translation identical to the Spanish text."""
    problems = []
    for record_id, texts, origin, strict in _localized_records(content):
        for lang in LANGUAGES:
            if lang not in texts:
                problems.append(
                    error(
                        "missing_translation",
                        origin.file,
                        origin.line,
                        f"{record_id}: no {lang} text",
                    )
                )
            elif lang != "es" and texts[lang] == texts["es"]:
                problems.append(_identical(f"{record_id}.{lang}", origin.file, origin.line, strict))
    for route in content.routes.values():
        problems += _route_translations(route)
    return problems


def _identical(what: str, file: Path, line: int | None, strict: bool) -> Problem:
    """Identical texts are errors; identical short names (often proper names) only warnings."""
    report = error if strict else warning
    return report("identical_translation", file, line, f"{what} is identical to the Spanish text")


def _localized_records(content: Content) -> Iterator[tuple[str, Mapping[str, str], Origin, bool]]:
    for service in content.services:
        yield f"{service.id}.description", service.description, service.origin, True
    for hotline in content.hotlines:
        yield f"{hotline.id}.name", hotline.name, hotline.origin, False


def _route_translations(route: Route) -> list[Problem]:
    spanish = route.texts.get("es")
    if spanish is None:
        return []
    problems = []
    for lang, text in route.texts.items():
        if lang == "es":
            continue
        file, where = text.origin.file, f"{route.topic}.{lang}"
        if text.title == spanish.title:
            problems.append(_identical(f"{where}.title", file, text.origin.line, strict=False))
        if text.intro == spanish.intro:
            problems.append(_identical(f"{where}.intro", file, text.intro_line, strict=True))
        for section in text.sections:
            original = spanish.section(section.id)
            if original is not None and section.text == original.text:
                problems.append(
                    _identical(f"{where}.{section.id}", file, section.line, strict=True)
                )
    return problems


def freshness(content: Content, today: date, max_age_days: int) -> list[Problem]:
    """Sources and last_verified on every route, service and hotline; old dates warned."""
    problems = []
    records: list[tuple[str, tuple[str, ...], date | None, Origin]] = []
    records += [
        (f"route {r.topic}", r.sources, r.last_verified, r.origin) for r in content.routes.values()
    ]
    records += [(s.id, s.sources, s.last_verified, s.origin) for s in content.services]
    records += [(h.id, h.sources, h.last_verified, h.origin) for h in content.hotlines]
    for name, sources, verified, origin in records:
        problems += _freshness_of(name, sources, verified, origin, today, max_age_days)
    for place in content.places:
        if not place.sources:
            problems.append(
                error(
                    "missing_sources",
                    place.origin.file,
                    place.origin.line,
                    f"{place.id}: no sources",
                )
            )
    return problems


def _freshness_of(
    name: str,
    sources: tuple[str, ...],
    verified: date | None,
    origin: Origin,
    today: date,
    max_age: int,
) -> list[Problem]:
    file, line = origin.file, origin.line
    if not sources:
        return [error("missing_sources", file, line, f"{name}: no sources")]
    if verified is None:
        return [error("missing_last_verified", file, line, f"{name}: no last_verified date")]
    age = (today - verified).days
    if age > max_age:
        return [
            warning(
                "stale",
                file,
                line,
                f"{name}: last verified {verified} ({age} days ago, limit {max_age})",
            )
        ]
    if age < 0:
        return [
            warning("future_date", file, line, f"{name}: last_verified {verified} is in the future")
        ]
    return []


def locations_sourced(content: Content) -> list[Problem]:
    """Coordinates only with the page that gives them."""
    records = [(s.id, s.location, s.origin) for s in content.services]
    records += [(p.id, p.location, p.origin) for p in content.places]
    return [
        error(
            "unsourced_location", origin.file, origin.line, f"{record_id}: location has no source"
        )
        for record_id, point, origin in records
        if point is not None and not point.source
    ]


def phones_listed(content: Content) -> list[Problem]:
    """Every phone number written in any text is a number of hotlines.yaml or a service."""
    listed = {digits_of(h.number) for h in content.hotlines}
    for service in content.services:
        listed |= {digits_of(n) for n in service.phones + service.whatsapp}
    problems = []
    for where, text, file, line in _all_texts(content):
        for mention in find_phones(text):
            if mention.digits not in listed:
                problems.append(
                    error(
                        "unknown_phone",
                        file,
                        line,
                        f"{where}: {mention.text!r} is in neither hotlines.yaml nor the services",
                    )
                )
    return problems


def _all_texts(content: Content) -> Iterator[tuple[str, str, Path, int | None]]:
    for route in content.routes.values():
        for lang, text in route.texts.items():
            yield f"{route.topic}.{lang}.title", text.title, text.origin.file, text.origin.line
            yield f"{route.topic}.{lang}.intro", text.intro, text.origin.file, text.intro_line
            for section in text.sections:
                yield (
                    f"{route.topic}.{lang}.{section.id}",
                    section.text,
                    text.origin.file,
                    section.line,
                )
    for service in content.services:
        for lang, body in service.description.items():
            yield f"{service.id}.description.{lang}", body, service.origin.file, service.origin.line
    for hotline in content.hotlines:
        for lang, body in hotline.name.items():
            yield f"{hotline.id}.name.{lang}", body, hotline.origin.file, hotline.origin.line
    labels_file = content.labels.origin.file if content.labels.origin else content.root
    for label, texts in content.labels.texts.items():
        for lang, body in texts.items():
            yield f"label {label}.{lang}", body, labels_file, content.labels.lines.get(label)


LOAD_RULES: tuple[Rule, ...] = (duplicate_ids, labels_complete, hotline_references)
STATIC_RULES: tuple[Rule, ...] = (
    route_coverage,
    text_sizes,
    section_structure,
    hotline_references,
    topic_references,
    duplicate_ids,
    labels_complete,
    translations,
    locations_sourced,
    phones_listed,
)

"""A small valid routes_content/ tree built in tmp_path, and helpers to break copies of it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content.render import REQUIRED_LABELS
from nlu.types import LANGUAGES, TOPICS

TODAY = date(2026, 11, 24)
SOURCE = "https://example.org/fact"
_PLACEHOLDERS = {
    "group_city": "{city}",
    "near_city": "{city}",
    "nearest_title": "{topic}",
    "no_locations": "{topic}",
    "distance_km": "{km}",
    "part": "({n}/{total})",
}
CUCUTA_SERVICE_POINT = (7.8940, -72.5040)
VILLA_SERVICE_POINT = (7.8350, -72.4740)


def label_text(label: str, lang: str) -> str:
    """The fixture's text for a label: ``<lang>:<label>`` plus its placeholders."""
    return f"{lang}:{label} {_PLACEHOLDERS.get(label, '')}".strip()


def _localized(prefix: str) -> dict[str, str]:
    return {lang: f"{prefix} ({lang})" for lang in LANGUAGES}


def _hotline(
    hotline_id: str, number: str, topics: list[str], status: str = "confirmed"
) -> dict[str, Any]:
    return {
        "id": hotline_id,
        "number": number,
        "name": _localized(f"Line {number}"),
        "hours": "24/7",
        "cost": "free",
        "scope": "national",
        "topics": topics,
        "status": status,
        "sources": [SOURCE],
        "last_verified": TODAY,
    }


def service(service_id: str, city: str, topics: list[str], **extra: Any) -> dict[str, Any]:
    """A valid service entry; ``extra`` overrides fields."""
    entry: dict[str, Any] = {
        "id": service_id,
        "name": f"Service {service_id}",
        "kind": "public_office",
        "city": city,
        "address": None,
        "location": None,
        "hours": None,
        "phones": [],
        "whatsapp": [],
        "email": None,
        "web": None,
        "cost": "free",
        "topics": topics,
        "languages": ["es"],
        "description": _localized(f"What {service_id} does"),
        "status": "confirmed",
        "sources": [SOURCE],
        "last_verified": TODAY,
    }
    entry.update(extra)
    return entry


def _point(lat_lon: tuple[float, float]) -> dict[str, Any]:
    return {"lat": lat_lon[0], "lon": lat_lon[1], "source": SOURCE}


def _services() -> list[dict[str, Any]]:
    weekdays = ["08:00-12:00", "14:00-18:00"]
    return [
        service(
            "svc_cucuta",
            "cucuta",
            ["gbv"],
            address="Calle 1 # 2-3",
            location=_point(CUCUTA_SERVICE_POINT),
            hours={day: weekdays for day in ("mon", "tue", "wed", "thu", "fri")},
            phones=["350 750 5351"],
        ),
        service(
            "svc_villa",
            "villa_del_rosario",
            ["gbv"],
            location=_point(VILLA_SERVICE_POINT),
            status="re-verify",
        ),
        service("svc_national", "national", ["gbv"], phones=["155"]),
        service("svc_child", "cucuta", ["child_protection"]),
    ]


def _places() -> list[dict[str, Any]]:
    return [
        {
            "id": "cucuta",
            "name": "Cúcuta",
            "city": "cucuta",
            "kind": "city",
            "aliases": ["kukuta"],
            "location": _point((7.89417, -72.50389)),
            "sources": [SOURCE],
        },
        {
            "id": "villa_del_rosario",
            "name": "Villa del Rosario",
            "city": "villa_del_rosario",
            "kind": "city",
            "aliases": [],
            "location": _point((7.835278, -72.473611)),
            "sources": [SOURCE],
        },
        {
            "id": "la_parada",
            "name": "La Parada",
            "city": "villa_del_rosario",
            "kind": "neighbourhood",
            "aliases": [],
            "location": None,
            "sources": [SOURCE],
        },
    ]


def _route(topic: str) -> dict[str, Any]:
    is_gbv = topic == "gbv"
    return {
        "topic": topic,
        "last_verified": TODAY,
        "sources": [SOURCE],
        "hotlines": ["line_155", "line_123"] if is_gbv else ["line_123"],
        "urgent_hotlines": ["line_123", "line_155"] if is_gbv else [],
        "local_services": topic in ("gbv", "child_protection"),
    }


def _route_text(topic: str, lang: str) -> dict[str, Any]:
    return {
        "title": f"{lang} title {topic}",
        "intro": f"{lang} intro for {topic}. Llama a la línea 155 o al 123.",
        "sections": [
            {"id": "steps", "title": f"{lang} steps", "text": f"{lang} steps text for {topic}"},
            {
                "id": "refused",
                "title": f"{lang} refused",
                "text": f"{lang} refused text for {topic}",
            },
        ],
    }


def dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def edit(path: Path, change: Callable[[Any], object]) -> None:
    """Load a YAML file, let ``change`` modify the data in place, and write it back."""
    data = load(path)
    change(data)
    dump(path, data)


def build_tree(root: Path) -> Path:
    dump(
        root / "labels.yaml",
        {label: {lang: label_text(label, lang) for lang in LANGUAGES} for label in REQUIRED_LABELS},
    )
    dump(
        root / "hotlines.yaml",
        [
            _hotline("line_123", "123", ["gbv", "child_protection"]),
            _hotline("line_155", "155", ["gbv"]),
            _hotline("line_141", "141", ["child_protection"], status="re-verify"),
        ],
    )
    dump(root / "services" / "local.yaml", _services())
    dump(root / "places.yaml", _places())
    for topic in TOPICS:
        dump(root / "routes" / topic / "route.yaml", _route(topic))
        for lang in LANGUAGES:
            dump(root / "routes" / topic / f"{lang}.yaml", _route_text(topic, lang))
    return root


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A fresh valid content tree (every topic, every language)."""
    return build_tree(tmp_path / "routes_content")


class FixedClock:
    """A settable clock for open-now tests."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)

"""Shared fakes: a keyword NLU and a tiny content catalogue for engine unit tests.

Whole-conversation tests use the real NLU and the real routes_content/ instead.
"""

from __future__ import annotations

from bot.engine.messages import Location
from bot.engine.ports import Place, RouteView
from nlu.types import Entities, Prediction


class KeywordNlu:
    """Predicts from a table of (keyword -> intent); 'URGENT' anywhere sets the urgent flag."""

    def __init__(self, table: dict[str, str], lang: str = "es") -> None:
        self._table = table
        self._lang = lang

    def predict(self, text: str, lang: str | None = None) -> Prediction:
        lowered = text.lower()
        urgent = "urgent" in lowered
        city = "cucuta" if "cucuta" in lowered else None
        for keyword, intent in self._table.items():
            if keyword in lowered:
                return Prediction(intent, 0.9, lang or self._lang, urgent, (("food", 0.05),), Entities(city=city))
        return Prediction(
            "out_of_scope", 0.3, lang or self._lang, urgent, (("health", 0.2), ("food", 0.1)), Entities(city=city)
        )


class TinyContent:
    """Two routes (employability needs a city, health does not) in every language."""

    topics = ("employability", "health", "food")

    def has_route(self, topic: str) -> bool:
        return topic in self.topics

    def topic_title(self, topic: str, lang: str) -> str:
        return f"{topic}-title-{lang}"

    def route(self, topic: str, lang: str, city: str | None) -> RouteView:
        sections = (("steps", f"steps-{lang}"), ("services", f"services-{lang}"))
        return RouteView(topic, f"{topic}-title-{lang}", f"{topic}-intro-{lang}", sections)

    def section(self, topic: str, section_id: str, lang: str, city: str | None) -> str:
        return f"{topic}-{section_id}-{lang}" + (f"-{city}" if section_id == "services" else "")

    def needs_city(self, topic: str) -> bool:
        return topic == "employability"

    def emergency_block(self, lang: str, topic: str | None) -> str:
        return f"EMERGENCY-{lang}-{topic}: 123"

    def nearest_services(self, topic: str, lang: str, location: Location, limit: int = 3) -> str:
        return f"nearest-{topic}-{lang}-{location.latitude:.2f}"

    def find_place(self, text: str) -> Place | None:
        if "la parada" in text.lower():
            return Place("la_parada", "La Parada", "villa_del_rosario", None)
        return None


class EchoTexts:
    """Returns 'lang|message' so tests can see which sentence in which language was said."""

    def gettext(self, lang: str, message: str, /, **params: object) -> str:
        return f"{lang}|{message.format(**params) if params else message}"

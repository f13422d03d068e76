"""Finding a city, comuna or neighbourhood named inside a message, misspellings included."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.content.schema import PlaceEntry

# A neighbourhood says more than its comuna, a comuna more than its city: "La Parada, Villa del
# Rosario" is La Parada.
_SPECIFICITY = {"neighbourhood": 2, "comuna": 1, "city": 0}


def normalise(text: str) -> str:
    """Lowercase, without accents or punctuation, single-spaced."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def _threshold(alias: str) -> float:
    """Short names must match exactly; longer ones may carry a typo or two."""
    if len(alias) <= 4:
        return 100.0
    return 90.0 if len(alias) <= 7 else 85.0


@dataclass(frozen=True)
class _Alias:
    place: PlaceEntry
    text: str
    size: int
    digits: tuple[str, ...]


class PlaceIndex:
    """Every spelling of every place, normalised once."""

    def __init__(self, aliases: tuple[_Alias, ...]) -> None:
        self._aliases = aliases

    @classmethod
    def build(cls, places: Iterable[PlaceEntry]) -> PlaceIndex:
        aliases = []
        for place in places:
            for spelling in {normalise(s) for s in (place.name, *place.aliases)}:
                if spelling:
                    words = spelling.split()
                    digits = tuple(w for w in words if w.isdigit())
                    aliases.append(_Alias(place, spelling, len(words), digits))
        return cls(tuple(aliases))

    def find(self, text: str) -> PlaceEntry | None:
        """The most specific place named in ``text`` (best match among equals), or None."""
        words = normalise(text).split()
        best: tuple[int, float, int, PlaceEntry] | None = None
        for alias in self._aliases:
            score = _best_window(words, alias)
            if score < _threshold(alias.text):
                continue
            rank = (_SPECIFICITY.get(alias.place.kind, 0), score, len(alias.text), alias.place)
            if best is None or rank[:3] > best[:3]:
                best = rank
        return best[3] if best else None


def _best_window(words: list[str], alias: _Alias) -> float:
    best = 0.0
    for size in {max(1, alias.size - 1), alias.size, alias.size + 1}:
        for start in range(0, max(0, len(words) - size) + 1):
            window = words[start : start + size]
            if tuple(w for w in window if w.isdigit()) != alias.digits:
                continue
            best = max(best, fuzz.ratio(" ".join(window), alias.text))
    return best

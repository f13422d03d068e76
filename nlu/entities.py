"""Entity extraction: the city a message names (fuzzy, from cities.yml) and a menu pick number."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from nlu.normalize import Views, fold_keep_numbers
from nlu.types import Entities

_FUZZY_MIN_LENGTH = 5
_FUZZY_CUTOFF = 87.0
_MAX_PICK = 20
_MAX_PICK_WORDS = 6

NUMBER_WORDS: dict[str, int] = {
    # es
    "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "primero": 1, "primera": 1, "segundo": 2, "segunda": 2,
    "tercero": 3, "tercera": 3,
    # en
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "first": 1, "second": 2, "third": 3,
    # pt
    "um": 1, "uma": 1, "dois": 2, "duas": 2, "quatro": 4, "sete": 7, "oito": 8, "nove": 9,
    "dez": 10, "primeiro": 1, "primeira": 1,
    # fr
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "premier": 1, "premiere": 1, "deuxieme": 2, "troisieme": 3,
    # ht
    "en": 1, "youn": 1, "de": 2, "twa": 3, "kat": 4, "senk": 5, "sis": 6, "set": 7, "uit": 8,
    "wit": 8, "nef": 9, "dis": 10, "premye": 1, "dezyem": 2, "twazyem": 3,
}  # fmt: skip

# Words that may surround a menu pick without making the message anything else.
_PICK_FILLER = frozenset(
    {
        "opcion", "opciones", "option", "opcao", "opsyon", "numero", "number", "num", "nro",
        "n", "la", "el", "lo", "the", "a", "o", "le", "l", "nan", "quiero", "escojo", "elijo",
        "pick", "choose", "i", "want", "je", "veux", "choisis", "eu", "quero", "escolho",
        "mwen", "m", "vle", "chwa", "por", "favor", "please", "pf", "porfa", "plis", "svp",
        "pls", "is",
    }
)  # fmt: skip


def parse_menu_pick(plain: str) -> int | None:
    """The number picked when the whole message is a menu pick ("2", "dos", "opcion 3", "#2").

    ``plain`` is the message folded with digits kept (``Views.plain``).
    """
    words = plain.split()
    if not words or len(words) > _MAX_PICK_WORDS:
        return None
    rest = [w for w in words if w not in _PICK_FILLER]
    if len(rest) != 1:
        return None
    token = rest[0]
    value = int(token) if token.isdigit() and len(token) <= 2 else NUMBER_WORDS.get(token)
    return value if value is not None and 1 <= value <= _MAX_PICK else None


@dataclass(frozen=True)
class CityMatcher:
    """Finds a canonical city id: exact variants first, then fuzzy matching of long words.

    Fuzzy matching compares each word with the one-word variants ("cucta" ~ "cucuta") and each
    span starting with the first word of a longer variant ("villa del rosaryo").
    """

    variants: Mapping[str, str]  # folded variant -> canonical id
    max_words: int
    single: tuple[str, ...]  # one-word variants long enough to match fuzzily
    by_first_word: Mapping[str, tuple[str, ...]]  # first word -> multi-word variants

    @classmethod
    def from_synonyms(cls, synonyms: Mapping[str, tuple[str, ...]]) -> CityMatcher:
        variants: dict[str, str] = {}
        for canonical, names in synonyms.items():
            for name in (canonical.replace("_", " "), *names):
                folded = fold_keep_numbers(name)
                if folded:
                    variants.setdefault(folded, canonical)
        single = tuple(v for v in variants if " " not in v and len(v) >= _FUZZY_MIN_LENGTH)
        by_first: dict[str, list[str]] = {}
        for variant in variants:
            if " " in variant:
                by_first.setdefault(variant.split()[0], []).append(variant)
        longest = max((len(v.split()) for v in variants), default=1)
        return cls(variants, longest, single, {k: tuple(v) for k, v in by_first.items()})

    def find(self, plain: str) -> str | None:
        """The first city named in folded text (``Views.plain``), or None."""
        words = plain.split()
        for n in range(min(self.max_words, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                city = self.variants.get(" ".join(words[i : i + n]))
                if city is not None:
                    return city
        return self._fuzzy(words)

    def _fuzzy(self, words: list[str]) -> str | None:
        for i, word in enumerate(words):
            for variant in self.by_first_word.get(word, ()):
                span = " ".join(words[i : i + len(variant.split())])
                if fuzz.ratio(span, variant) >= _FUZZY_CUTOFF:
                    return self.variants[variant]
        long_words = [w for w in words if len(w) >= _FUZZY_MIN_LENGTH and w.isalpha()]
        for word in long_words:
            match = process.extractOne(word, self.single, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
            if match is not None:
                return self.variants[match[0]]
        return None


def extract_entities(views: Views, cities: CityMatcher) -> Entities:
    """All entities of one message."""
    return Entities(city=cities.find(views.plain), number=parse_menu_pick(views.plain))

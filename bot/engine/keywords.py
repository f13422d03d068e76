"""Words that steer the dialogue whatever the NLU says: menu, person, delete, yes/no, languages."""

from __future__ import annotations

import re
import unicodedata

MENU_WORDS = frozenset(
    {"menu", "0", "inicio", "ayuda", "help", "start", "/start", "/menu", "meni", "menou",
     "principal", "volver", "opciones", "options", "opcoes", "opsyon", "comenzar", "empezar"}
)
PERSON_WORDS = frozenset(
    {"persona", "person", "pessoa", "personne", "moun", "humano", "human", "humain", "asesor",
     "asesora", "agente", "agent", "operador", "operator"}
)
DELETE_WORDS = frozenset(
    {"borrar", "/delete", "delete", "eliminar", "apagar", "supprimer", "effacer", "efase",
     "borrar datos", "borrar mis datos", "delete my data"}
)
CANCEL_WORDS = frozenset({"cancelar", "cancel", "annuler", "anile", "salir", "sair", "volver al bot"})
YES_WORDS = frozenset({"si", "yes", "sim", "oui", "wi", "claro", "ok", "dale", "yes please"})
NO_WORDS = frozenset({"no", "nao", "non", "cancelar", "cancel", "annuler"})
LANGUAGE_WORDS = {
    "es": frozenset({"espanol", "spanish", "castellano", "espanhol", "espagnol", "panyol"}),
    "en": frozenset({"english", "ingles", "ingl", "anglais", "angle"}),
    "pt": frozenset({"portugues", "portuguese", "portugais", "potigue"}),
    "fr": frozenset({"francais", "french", "frances", "franse"}),
    "ht": frozenset({"kreyol", "creole", "creol", "criollo", "haitian", "kreol", "kreyol ayisyen"}),
}

_NUMBER = re.compile(r"^\s*(?:#|n[º°o]\.?\s*)?(\d{1,3})\s*[.)]?\s*$", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[^\w/\s]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces: 'Menú!!' -> 'menu'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_PUNCTUATION.sub(" ", bare).split())


def parse_number(text: str) -> int | None:
    """The option number when the whole message is one ('2', '#2', '2.')."""
    match = _NUMBER.match(text)
    return int(match.group(1)) if match else None


def language_named(folded: str) -> str | None:
    """The language code when the message is just a language's name."""
    for code, words in LANGUAGE_WORDS.items():
        if folded in words:
            return code
    return None

"""The sentences the bot itself says, from gettext catalogs (bot/locale/<lang>/LC_MESSAGES/puente.po).

Catalogs are read with Babel at start-up; message ids are English sentences or, for long texts,
short keys (``privacy_notice``). Every catalog, English included, gives a translation for every id.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "puente"


class Catalogs:
    """Implements the engine's Texts port: gettext(lang, message, **params)."""

    def __init__(self, messages: dict[str, dict[str, str]], fallback: str = "es") -> None:
        self._messages = messages
        self._fallback = fallback

    @classmethod
    def load(cls, locale_dir: Path = LOCALE_DIR) -> Catalogs:
        messages: dict[str, dict[str, str]] = {}
        for po_path in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            lang = po_path.parent.parent.name
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
            messages[lang] = {
                str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.string, str) and m.string
            }
        return cls(messages)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self._messages))

    def ids(self, lang: str) -> frozenset[str]:
        return frozenset(self._messages.get(lang, {}))

    def gettext(self, lang: str, message: str, /, **params: object) -> str:
        """The translation of ``message`` in ``lang`` (fallback language, then the id itself)."""
        text = self._messages.get(lang, {}).get(message)
        if text is None:
            text = self._messages.get(self._fallback, {}).get(message, message)
        return text.format(**params) if params else text

"""Canned replies: ready-made texts per language, kept as data in routes_content/canned_replies.yaml.

The file is read again when it changes, so editors need no restart. A missing or broken file
gives no canned replies (the console still works) and is logged once per change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import yaml

from nlu.types import LANGUAGES

log = logging.getLogger(__name__)
FALLBACK_LANG = "es"


@dataclass(frozen=True)
class CannedReply:
    id: str
    label: str
    texts: dict[str, str]

    def text(self, lang: str | None) -> str:
        return self.texts.get(lang or FALLBACK_LANG) or self.texts.get(FALLBACK_LANG, "")


class CannedReplies:
    """The replies of one YAML file, re-read when its modification time changes."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._stamp: float | None = None
        self._replies: tuple[CannedReply, ...] = ()

    def all(self) -> tuple[CannedReply, ...]:
        try:
            stamp = self._path.stat().st_mtime
        except OSError:
            return ()
        if stamp != self._stamp:
            self._stamp = stamp
            self._replies = _read(self._path)
        return self._replies

    def find(self, reply_id: str) -> CannedReply | None:
        return next((r for r in self.all() if r.id == reply_id), None)


def _read(path: Path) -> tuple[CannedReply, ...]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        log.error("cannot read canned replies %s: %s", path, exc)
        return ()
    if not isinstance(data, list):
        log.error("canned replies %s: expected a list of replies", path)
        return ()
    replies = [_reply(item) for item in data]
    return tuple(r for r in replies if r is not None)


def _reply(item: object) -> CannedReply | None:
    if not isinstance(item, dict):
        return None
    texts = item.get("text")
    if not isinstance(texts, dict):
        return None
    clean = {lang: str(texts[lang]).strip() for lang in LANGUAGES if texts.get(lang)}
    if not clean:
        return None
    return CannedReply(str(item.get("id", "")), str(item.get("label", item.get("id", ""))), clean)

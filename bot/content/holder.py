"""``CatalogHolder``: keeps the current good Catalog; swaps in a new one only if it loads."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.content.catalog import Catalog, Clock, _utc_now
from bot.content.problems import ContentError

logger = logging.getLogger(__name__)


def content_mtimes(content_dir: Path) -> dict[Path, float]:
    """Modification time of every YAML file and folder (so deletions count) in ``content_dir``."""
    stamps: dict[Path, float] = {}
    for path in [content_dir, *content_dir.rglob("*")]:
        if path.is_dir() or path.suffix in (".yaml", ".yml"):
            try:
                stamps[path] = path.stat().st_mtime
            except OSError:  # deleted while we looked: the next poll sees it
                continue
    return stamps


class CatalogHolder:
    """The running server's content: ``reload()`` never replaces good content with a bad edit."""

    def __init__(
        self, content_dir: Path, catalog: Catalog, stamps: dict[Path, float], clock: Clock
    ) -> None:
        self.content_dir = content_dir
        self._catalog = catalog
        self._stamps = stamps
        self._clock = clock

    @classmethod
    def load(cls, content_dir: Path, clock: Clock = _utc_now) -> CatalogHolder:
        """First load at start-up; raises ContentError (file, line, field) when content is bad."""
        stamps = content_mtimes(content_dir)
        return cls(content_dir, Catalog.load(content_dir, clock), stamps, clock)

    @property
    def catalog(self) -> Catalog:
        return self._catalog

    def changed_since_load(self) -> bool:
        """Whether a content file was added, removed or modified since the last (re)load attempt."""
        return content_mtimes(self.content_dir) != self._stamps

    def reload(self) -> Catalog:
        """Load the content again; on error log it, keep the old Catalog and re-raise."""
        self._stamps = content_mtimes(self.content_dir)
        try:
            catalog = Catalog.load(self.content_dir, self._clock)
        except ContentError as exc:
            logger.error("content reload failed, keeping the previous content:\n%s", exc)
            raise
        self._catalog = catalog
        logger.info("content reloaded from %s", self.content_dir)
        return catalog

    def reload_if_changed(self) -> bool:
        """For development polling: reload if files changed; False when unchanged or it failed."""
        if not self.changed_since_load():
            return False
        try:
            self.reload()
        except ContentError:
            return False
        return True

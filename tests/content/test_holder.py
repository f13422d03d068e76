"""CatalogHolder: reload swaps in good content only; a bad edit keeps the running content."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bot.content import CatalogHolder, ContentError
from tests.content.conftest import edit


def _touch_later(path: Path) -> None:
    """Move the file's mtime forward so the change is seen whatever the clock resolution."""
    later = time.time() + 10
    os.utime(path, (later, later))


def test_reload_keeps_good_content_on_a_bad_edit(content_dir: Path) -> None:
    holder = CatalogHolder.load(content_dir)
    before = holder.catalog
    edit(content_dir / "services" / "local.yaml", lambda d: d[0].update(kind="spaceship"))
    with pytest.raises(ContentError, match=r"services\[0\]\.kind"):
        holder.reload()
    assert holder.catalog is before
    assert "*Service svc_cucuta*" in holder.catalog.section("gbv", "services", "es", None)


def test_reload_refuses_a_broken_label(content_dir: Path) -> None:
    holder = CatalogHolder.load(content_dir)
    before = holder.catalog
    edit(content_dir / "labels.yaml", lambda d: d.pop("free"))
    with pytest.raises(ContentError, match="label 'free' is missing"):
        holder.reload()
    assert holder.catalog is before


def test_reload_picks_up_a_good_edit(content_dir: Path) -> None:
    holder = CatalogHolder.load(content_dir)
    edit(content_dir / "routes" / "gbv" / "es.yaml", lambda d: d.update(intro="nuevo texto"))
    holder.reload()
    assert holder.catalog.route("gbv", "es", None).intro.startswith("nuevo texto")


def test_changed_since_load_watches_file_times(content_dir: Path) -> None:
    holder = CatalogHolder.load(content_dir)
    assert not holder.changed_since_load()
    _touch_later(content_dir / "hotlines.yaml")
    assert holder.changed_since_load()
    holder.reload()
    assert not holder.changed_since_load()


def test_reload_if_changed_survives_a_bad_edit(content_dir: Path) -> None:
    holder = CatalogHolder.load(content_dir)
    before = holder.catalog
    assert holder.reload_if_changed() is False
    (content_dir / "hotlines.yaml").write_text("- id: [unclosed\n")
    _touch_later(content_dir / "hotlines.yaml")
    assert holder.reload_if_changed() is False
    assert holder.catalog is before
    assert holder.reload_if_changed() is False  # same bad file: not retried on every poll


def test_first_load_of_bad_content_raises(content_dir: Path) -> None:
    (content_dir / "places.yaml").write_text("not: a list\n")
    with pytest.raises(ContentError, match=r"places\.yaml:1"):
        CatalogHolder.load(content_dir)

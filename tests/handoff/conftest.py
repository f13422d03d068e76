"""Fixtures for the queue tests: a World on each store."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot.storage.protection import Protector
from tests.handoff.world import World, make_world


@pytest.fixture
def world(db: Engine, protector: Protector) -> World:
    return make_world(db, protector)

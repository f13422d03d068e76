"""Migrations: one head, and the migrated schema is exactly what the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from bot.storage.database import alembic_config
from bot.storage.models import Base


def test_there_is_a_single_head(db: Engine) -> None:
    assert len(ScriptDirectory.from_config(alembic_config(db)).get_heads()) == 1


def test_migrated_schema_matches_the_models(db: Engine) -> None:
    with db.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []

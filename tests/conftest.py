"""Shared fixtures: database URLs for both stores (SQLite file; PostgreSQL when configured)."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.keys import protector_from_environ
from bot.storage.database import create_db_engine, upgrade
from bot.storage.models import Base
from bot.storage.protection import Protector
from tests.log_audit import KeepAllRecords, leaks

PG_URL = os.environ.get("PUENTE_TEST_DATABASE_URL", "")
_LOG_AUDIT = KeepAllRecords()


def pytest_sessionstart(session: pytest.Session) -> None:
    """Keep every log record of the run, at every level, for the privacy audit at the end."""
    root = logging.getLogger()
    root.addHandler(_LOG_AUDIT)
    root.setLevel(logging.DEBUG)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if a test phone number or message text reached any log record."""
    found = leaks(_LOG_AUDIT.lines)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if found:
        if reporter is not None:
            reporter.write_line(f"PRIVACY: {len(found)} log record(s) contain test phone numbers or text:", red=True)
            for line in found[:20]:
                reporter.write_line(f"  {line[:200]}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif reporter is not None:
        reporter.write_line(f"log privacy audit: {len(_LOG_AUDIT.lines)} records, no phone number or message text")
REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def _pg_schema() -> Iterator[str]:
    """A private schema for this test run, migrated once from empty, dropped at the end.

    Runs that share the server (a developer's and a benchmark's, say) never see each other's tables.
    """
    schema = f"puente_test_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    db = create_db_engine(url)
    upgrade(db)
    db.dispose()
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A freshly migrated, empty database of each kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'puente.sqlite3'}"
        db = create_db_engine(url)
        upgrade(db)
        db.dispose()
        return url
    if not PG_URL:
        pytest.skip("PostgreSQL tests need PUENTE_TEST_DATABASE_URL (CI sets it)")
    url: str = request.getfixturevalue("_pg_schema")
    db = create_db_engine(url)
    with db.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.dispose()
    return url


@pytest.fixture
def db(db_url: str) -> Iterator[Engine]:
    engine = create_db_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def key_environ() -> dict[str, str]:
    from bot.keys import new_test_environ

    return new_test_environ()


@pytest.fixture(scope="session")
def protector(key_environ: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Protector:
    return protector_from_environ(key_environ, tmp_path_factory.mktemp("var"), create=False)


@pytest.fixture(scope="session")
def nlu_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("nlu-cache")


@pytest.fixture(scope="session")
def real_nlu(nlu_cache_dir: Path) -> object:
    """The real NLU model trained from nlu/data (once per test session, cached for subprocesses)."""
    from nlu import Nlu

    return Nlu.load(REPO / "nlu" / "data", nlu_cache_dir)


@pytest.fixture
def puente_environ(
    db_url: str, key_environ: dict[str, str], tmp_path: Path, nlu_cache_dir: Path, real_nlu: object
) -> dict[str, str]:
    """Environment for a real Puente process on the test database (NLU cache already filled)."""
    return {
        **key_environ,
        "DATABASE_URL": db_url,
        "PUENTE_VAR_DIR": str(tmp_path / "var"),
        "PUENTE_NLU_CACHE_DIR": str(nlu_cache_dir),
    }


@pytest.fixture
def puente(puente_environ: dict[str, str], real_nlu: object) -> Iterator[object]:
    """A real Puente (real NLU, real content, real database) built as `puente serve` builds it."""
    from bot.app import build_puente
    from bot.settings import load_settings

    built = build_puente(load_settings(puente_environ), puente_environ, nlu=real_nlu)  # type: ignore[arg-type]
    yield built
    built.db.dispose()

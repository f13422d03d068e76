"""NLU fixtures: a small model trained once per session from tests/nlu/fixtures/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu import Nlu, train

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_DATA = FIXTURES / "data"


@pytest.fixture(scope="session")
def sample_nlu() -> Nlu:
    """A model trained on the small sample data (fast; for behaviour, not accuracy)."""
    return train(SAMPLE_DATA)


@pytest.fixture(scope="session")
def nlu(real_nlu: Nlu) -> Nlu:
    """The real model trained from nlu/data (shared with the conversation tests)."""
    return real_nlu

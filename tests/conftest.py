"""Shared fixtures: the repo's paths and the small example tree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check what holds, not how fast: on a loaded two-core CI machine an example
# can take longer than hypothesis's default 200 ms deadline, which failed a correct property
# once (test_record_chain). Speed is measured in bench/, never asserted in tests.
settings.register_profile("sharewise", deadline=None)
settings.load_profile("sharewise")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE_TREE = FIXTURES / "trees" / "example.yaml"


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test may touch a real user's records or cache: every test gets its own folders."""
    monkeypatch.setenv("SHAREWISE_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("SHAREWISE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("SHAREWISE_DATABASE_URL", raising=False)
    monkeypatch.delenv("SHAREWISE_SIGNED_IN_AS", raising=False)  # set only by serve


#: The day the suite runs on, as far as the rules about dates are concerned: fixtures set
#: review dates (2026-12-06) that must stay in the future however late the suite is run.
FROZEN_TODAY = dt.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def _frozen_today(monkeypatch: pytest.MonkeyPatch) -> None:
    from sharewise.domain import record

    monkeypatch.setattr(record, "local_today", lambda: FROZEN_TODAY)


@pytest.fixture()
def example_tree_path() -> Path:
    return EXAMPLE_TREE


@pytest.fixture(scope="session")
def bank_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose ledger holds the scenario bank as an IG lead's quarter (see
    tests/store/bank_ledger.py), built once per test process. Read it, or copy it before
    writing to it: other tests share it."""
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "store"))
    from bank_ledger import build

    from sharewise.store import open_ledger

    folder = tmp_path_factory.mktemp("bank")
    with open_ledger(folder) as ledger:
        build(ledger)
    return folder

"""What the running UI keeps in memory: a first look at the ledger that does not import the
store when there is no ledger yet (bench/bench_tui.py measures the UI as a whole)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sharewise import store
from sharewise.domain.errors import StoreError
from sharewise.tui import ledger as ui_ledger
from sharewise.tui.ledger import LedgerStore


def test_the_database_variable_is_the_stores() -> None:
    assert ui_ledger.DATABASE_URL_ENV == store.DATABASE_URL_ENV


def test_the_shortcut_looks_where_the_ledger_would_be(tmp_path: Path) -> None:
    # The folder `_surely_missing` looks for is the SQLite ledger's own.
    assert store.ledger_path(tmp_path).parent == tmp_path / "ledger"


def test_nothing_due_without_a_ledger_imports_no_store(tmp_path: Path) -> None:
    code = (
        "import sys, datetime as dt\n"
        "from sharewise.tui.ledger import LedgerStore\n"
        f"assert LedgerStore({str(tmp_path)!r}).due(dt.date(2026, 12, 1)) == []\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sharewise.store', 'pydantic'))))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != store.DATABASE_URL_ENV}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.strip() == "[]"
    assert not (tmp_path / "ledger").exists()  # and nothing was created


def test_a_named_database_is_always_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With SHAREWISE_DATABASE_URL set, no local folder says anything: the store is asked
    (here it fails to connect, and says so)."""
    monkeypatch.setenv(store.DATABASE_URL_ENV, "postgresql:///nowhere?host=/nonexistent")
    with pytest.raises(StoreError, match="cannot reach the ledger database"):
        LedgerStore(tmp_path).due(dt.date(2026, 12, 1))


def test_an_empty_ledger_folder_takes_the_store_path(tmp_path: Path) -> None:
    (tmp_path / "ledger").mkdir()
    assert LedgerStore(tmp_path).due(dt.date(2026, 12, 1)) == []  # LedgerMissing, as before


def test_the_ui_holding_a_cached_tree_never_imports_yaml(tmp_path: Path) -> None:
    """A start with the tree, the vocabulary and the registry already validated once loads
    all three (and settings, none written) as the UI does, without PyYAML or the strict
    loader (2 MiB of the running UI's memory), nor the settings module and its model when
    there is no settings file (0.4 MiB). The tree is then walkable."""
    code = (
        "import sys\n"
        "from sharewise.tui.app import read_settings\n"
        "from sharewise.domain import graph\n"
        "from sharewise.domain.walk import Walk\n"
        "tree = graph.load_named_tree(None)\n"
        f"assert read_settings({str(tmp_path / 'data')!r}) == ({{}}, None)\n"
        "walk = Walk(tree)\n"
        "walk.choose(walk.choices()[0])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'yaml' or m.endswith(\n"
        "    ('strict_yaml', 'domain.settings'))))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != store.DATABASE_URL_ENV}
    env["SHAREWISE_CACHE_DIR"] = str(tmp_path / "cache")
    first = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert first.stdout.strip() != "[]"  # the first start validates from YAML
    again = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert again.stdout.strip() == "[]"


def test_the_ui_names_the_settings_file_as_the_settings_module_does() -> None:
    from sharewise.domain import settings
    from sharewise.tui import app

    assert app.SETTINGS_FILE == settings.FILE_NAME


_WALK_WITHOUT_PYDANTIC = """
import asyncio, sys
from sharewise.tui.app import create_app


def heavy() -> list[str]:
    return sorted(
        m for m in sys.modules
        if m.split(".")[0] == "pydantic"
        or m in ("sharewise.domain.tree", "sharewise.domain.facts", "sharewise.domain.citations",
                 "sharewise.domain.result", "sharewise.domain.record")
    )


async def main() -> None:
    app = create_app(sys.argv[1])
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(300):
            await pilot.pause()
            if app.decision_tree is not None or app.tree_error:
                break
            await asyncio.sleep(0.02)
        assert app.decision_tree is not None, app.tree_error
        print("ready", type(app.screen).__name__, heavy())
        await pilot.press("s")  # start a decision
        await pilot.pause()
        # Not in danger; about identifiable people; no legal requirement; a child at risk;
        # a safeguarding agency; a public authority: six questions, each shown in full.
        for key in "214111":
            await pilot.press(key)
            await pilot.pause()
        walk = app.screen.walk
        print("walked", type(app.screen).__name__, len(walk.trail()), heavy())
        await pilot.press("1")  # health details: yes
        await pilot.pause()
        await pilot.press("2")  # the last question (an NHS body): the outcome, a result built
        await pilot.pause()
        print("outcome", type(app.screen).__name__, "pydantic" in sys.modules)


asyncio.run(main())
"""


def test_the_ui_walks_to_a_result_before_importing_pydantic(tmp_path: Path) -> None:
    """Issue 17's memory goal: from its start to a ready home screen and through a walk's
    questions, the running UI holds the tree's plain nodes and imports neither pydantic
    (about 11 MiB with its schema machinery and the tree's models) nor the model modules.
    pydantic comes in when the outcome builds the result. (The first start, which validates
    the tree and fills the cache, does import it.)"""
    env = {k: v for k, v in os.environ.items() if k != store.DATABASE_URL_ENV}
    env["SHAREWISE_CACHE_DIR"] = str(tmp_path / "cache")
    runs = [
        subprocess.run(
            [sys.executable, "-c", _WALK_WITHOUT_PYDANTIC, str(tmp_path / "data")],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            timeout=120,
        ).stdout.splitlines()
        for _ in range(2)
    ]
    assert runs[0][0] != "ready HomeScreen []"  # the first start validated, with pydantic
    assert runs[1] == [
        "ready HomeScreen []",
        "walked WalkScreen 6 []",
        "outcome OutcomeScreen True",
    ]


_SETTINGS = 'facts:\n  sharer: public_authority\n  apd_in_place: "yes"\n'


def test_settled_answers_are_remembered_without_yaml_or_pydantic(tmp_path: Path) -> None:
    """An organisation that deploys a settings file keeps the ready UI as light as one
    without: the second start reads the checked answers from the cache, importing neither
    PyYAML nor pydantic, and they are the answers the settings module gives."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.yaml").write_text(_SETTINGS)
    code = (
        "import sys\n"
        "from sharewise.tui.app import read_settings\n"
        f"print(read_settings({str(data)!r}))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'pydantic')"
        " or m.endswith('domain.settings'))[:1])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != store.DATABASE_URL_ENV}
    env["SHAREWISE_CACHE_DIR"] = str(tmp_path / "cache")

    def start() -> list[str]:
        return subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout.splitlines()

    first, again = start(), start()
    from sharewise import paths
    from sharewise.domain.facts import load_vocabulary
    from sharewise.domain.settings import load_settings

    settled = load_settings(data, load_vocabulary(paths.facts_path()))
    assert settled == {"sharer": "public_authority", "apd_in_place": "yes"}
    assert first[0] == again[0] == repr((settled, None))
    assert first[1] != "[]"  # checked with the settings module the first time
    assert again[1] == "[]"
    # A changed file is checked again: nothing from the entry for the old bytes.
    (data / "settings.yaml").write_text(_SETTINGS.replace('"yes"', '"no"'))
    changed = start()
    assert changed[0] == repr(({"sharer": "public_authority", "apd_in_place": "no"}, None))
    assert changed[1] != "[]"


def test_a_settings_file_with_a_problem_is_never_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sharewise.domain import model_cache
    from sharewise.tui.app import read_settings

    monkeypatch.setenv(model_cache.CACHE_ENV, str(tmp_path / "cache"))
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.yaml").write_text("facts:\n  immediate_danger: 'no'\n")
    first, again = read_settings(data), read_settings(data)
    assert first == again
    assert first[0] == {} and first[1] is not None and "settings.yaml:2:" in first[1]
    assert list((tmp_path / "cache").glob(f"*{model_cache.SETTINGS_SUFFIX}")) == []

"""Each cache's key covers the code that shapes its entries.

The tree, model and decide caches keep validated or compiled copies of files, keyed by the
files' bytes and by the bytes of the modules named in their `_CODE` (`code_digest`): change
one of those modules and every entry is a miss. A module that shapes an entry but is missing
from `_CODE` leaves old answers in every practitioner's cache after an upgrade: the decide
cache once lacked `nodes.py`, found only by reading. Here each cache builds an entry from
nothing in a fresh interpreter, and every sharewise module that process loaded must be in
the cache's `_CODE` or below, with the reason it shapes nothing the cache keeps.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sharewise.domain import decide_cache, model_cache, tree_cache

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sharewise"
SCENARIO = ROOT / "decision_trees" / "scenarios" / "child-disclosure-at-school.yaml"

#: Loaded by every cold build, shaping no entry's content (package-relative paths).
NOT_CONTENT = {
    "__init__.py": "the package version, which every key holds already",
    "domain/__init__.py": "the package's marker",
    "domain/code_digest.py": "works out the key itself",
    "domain/errors.py": "problems only: a file with a problem is never cached",
    "paths.py": "where the shipped files are; their bytes are in the key",
    "private_files.py": "writes an entry's file, not what it holds",
    "domain/tree_sources.py": "keeps the tree's bytes for the ledger, not what they compile to",
}
#: Further modules each cache may load without their shaping its entries.
ALSO = {
    "tree": {
        "domain/facts.py": "the vocabulary enters the key by its content (model_cache's code)",
        "domain/citations.py": "the registry enters the key by its content (model_cache's code)",
        "domain/model_cache.py": "reads the vocabulary and registry, which the key holds",
        "domain/decide_cache.py": "names the cache folder",
    },
    "model": {
        "domain/decide_cache.py": "names the cache folder",
    },
    "decide": {
        "cli/__init__.py": "the command line's parser: arguments, not output",
        "cli/common.py": "reads arguments and prints; the stored text and JSON are made before",
    },
}

BUILDS = {
    # A tree loaded with the shipped vocabulary and registry: tree and model entries.
    "tree": (
        "from sharewise import paths\n"
        "from sharewise.domain.graph import load_tree\n"
        "load_tree(paths.default_tree_path())\n"
    ),
    "model": (
        "from sharewise import paths\n"
        "from sharewise.domain import model_cache\n"
        "model_cache.plain_vocabulary(paths.facts_path())\n"
        "model_cache.plain_registry(paths.citations_path())\n"
    ),
    # `decide --facts` as a practitioner runs it: all three caches written.
    "decide": (
        "from sharewise.cli import main\n"
        f"assert main(['decide', '--facts', {str(SCENARIO)!r}]) == 0\n"
    ),
}
SUFFIX = {"tree": tree_cache.SUFFIX, "model": model_cache.SUFFIX, "decide": decide_cache._SUFFIX}


def _covered(cache: str) -> set[str]:
    """The cache's `_CODE`, as package-relative paths."""
    if cache == "decide":
        return set(decide_cache._CODE)
    module = tree_cache if cache == "tree" else model_cache
    return {f"domain/{name}" for name in module._CODE}


def _loaded(cache: str, folder: Path) -> set[str]:
    """The sharewise modules a cold build of `cache`'s entry loads, as package-relative paths;
    asserts the entry was written (so the build really ran)."""
    program = (
        BUILDS[cache] + "import json, sys\n"
        "print(json.dumps(sorted(getattr(m, '__file__', None) or ''"
        " for n, m in sys.modules.items() if n == 'sharewise' or n.startswith('sharewise.'))))\n"
    )
    env = {"SHAREWISE_CACHE_DIR": str(folder), "PATH": "/usr/bin:/bin", "HOME": str(folder)}
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert list(folder.glob(f"*{SUFFIX[cache]}")), f"no {cache} entry was written"
    files = json.loads(done.stdout.splitlines()[-1])
    return {Path(f).resolve().relative_to(PACKAGE).as_posix() for f in files if f}


@pytest.mark.parametrize("cache", sorted(BUILDS))
def test_every_module_a_cold_build_loads_is_in_the_caches_key_or_shapes_nothing(
    cache: str, tmp_path: Path
) -> None:
    loaded = _loaded(cache, tmp_path)
    allowed = _covered(cache) | set(NOT_CONTENT) | set(ALSO[cache])
    missing = sorted(loaded - allowed)
    assert not missing, (
        f"the {cache} cache's entries may depend on {missing}: add each to its `_CODE` (a "
        "change to it must be a miss), or to this test's lists with the reason it shapes "
        "nothing the cache keeps"
    )


@pytest.mark.parametrize("cache", sorted(BUILDS))
def test_every_module_named_in_a_caches_key_exists(cache: str) -> None:
    """A name left behind after a module moved would be read as an error at every start."""
    for name in _covered(cache):
        assert (PACKAGE / name).is_file(), name


def test_the_exemptions_name_real_modules() -> None:
    for name in [*NOT_CONTENT, *(n for extra in ALSO.values() for n in extra)]:
        assert (PACKAGE / name).is_file(), name

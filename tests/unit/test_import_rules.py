"""The layering rules, enforced: the domain and the CLI never load the UI toolkit.

Each check runs in a fresh interpreter, because in the test process something else may
already have imported Textual.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import sharewise.authoring
import sharewise.cli
import sharewise.domain

HEADLESS_PACKAGES = (sharewise.domain, sharewise.authoring, sharewise.cli)


def _headless_modules() -> list[str]:
    names = []
    for package in HEADLESS_PACKAGES:
        prefix = package.__name__ + "."
        names += [m.name for m in pkgutil.walk_packages(package.__path__, prefix)]
    store = __import__("importlib").util.find_spec("sharewise.store")
    if store is not None and store.submodule_search_locations:
        names += [
            m.name
            for m in pkgutil.walk_packages(store.submodule_search_locations, "sharewise.store.")
        ]
    return names


def _modules_after(code: str) -> set[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_domain_cli_and_store_never_import_textual() -> None:
    modules = _headless_modules()
    assert "sharewise.domain.walk" in modules and "sharewise.cli.decide_cmd" in modules
    code = "\n".join(f"import {m}" for m in modules)
    loaded = _modules_after(code)
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_building_the_cli_parser_is_light() -> None:
    loaded = _modules_after("from sharewise.cli import build_parser\nbuild_parser()")
    for heavy in ("textual", "networkx", "pydantic", "yaml", "sqlite3"):
        assert heavy not in loaded, heavy


def test_version_imports_neither_textual_nor_networkx() -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "sharewise", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.startswith("sharewise ")
    imported = {
        line.split("|")[-1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "sharewise.cli" in imported
    assert not {m for m in imported if m.split(".")[0] in {"textual", "networkx", "pydantic"}}


def test_the_ui_never_imports_the_command_line() -> None:
    """The UI sits beside the CLI, not above it: what both need (loading the tree a person
    named, say) lives below them, in the domain."""
    import ast
    from pathlib import Path

    import sharewise.tui

    offenders = []
    for path in sorted(Path(sharewise.tui.__path__[0]).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("sharewise.cli")]
    assert not offenders

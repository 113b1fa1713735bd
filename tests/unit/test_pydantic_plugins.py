"""`tree check` stands in for pydantic's plugin loader (and so never imports
importlib.metadata) only where no pydantic plugin is installed, and says the same either way."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
TREES = ROOT / "tests" / "fixtures" / "trees"
SOME = [
    ROOT / "decision_trees" / "england.yaml",
    TREES / "invalid" / "unknown_key.yaml",
    TREES / "invalid" / "missing_key.yaml",
    TREES / "invalid" / "bad_date.yaml",
    TREES / "example.yaml",
]


def _python(script: str, **env: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


_CHECK_THEN_REPORT = """
    import sys
    from sharewise.cli import main
    code = main(["tree", "check", "--json", {tree!r}])
    loader = sys.modules["pydantic.plugin._loader"]
    print(code, "importlib.metadata" in sys.modules, loader.__doc__ is not None, file=sys.stderr)
"""


def _run_check(**env: str) -> str:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                _CHECK_THEN_REPORT.format(tree=str(ROOT / "tests/fixtures/trees/example.yaml"))
            ),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    return done.stderr.strip().splitlines()[-1]


def test_without_plugins_tree_check_never_imports_importlib_metadata() -> None:
    # exit code 2 (the example fails invariants); importlib.metadata not imported; the
    # stand-in (it has a docstring)
    assert _run_check() == "2 False True"


def test_pydantics_own_switch_leaves_its_loader_alone() -> None:
    assert _run_check(PYDANTIC_DISABLE_PLUGINS="__all__") == "2 True False"


def test_an_installed_plugin_leaves_pydantics_loader_alone(tmp_path: Path) -> None:
    dist = tmp_path / "some_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "entry_points.txt").write_text("[pydantic]\nsome = some_plugin:plugin\n")
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: some-plugin\nVersion: 1.0\n")
    out = _python(
        f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        from sharewise.domain.pydantic_plugins import skip_loader_if_none
        print(skip_loader_if_none(), "pydantic.plugin._loader" in sys.modules)
        """
    )
    assert out == "False False"


def test_an_egg_on_the_path_leaves_pydantics_loader_alone(tmp_path: Path) -> None:
    (tmp_path / "old.egg").mkdir()
    out = _python(
        f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        from sharewise.domain.pydantic_plugins import skip_loader_if_none
        print(skip_loader_if_none())
        """
    )
    assert out == "False"


def test_tree_check_says_the_same_with_pydantics_loader_or_the_stand_in() -> None:
    def check(**env: str) -> tuple[int, str, str]:
        done = subprocess.run(
            [sys.executable, "-m", "sharewise", "tree", "check", *map(str, SOME)],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            check=False,
        )
        return done.returncode, done.stdout, done.stderr

    stand_in = check()
    assert stand_in == check(PYDANTIC_DISABLE_PLUGINS="__all__")
    assert stand_in[0] == 2 and "unknown key" in stand_in[2]

"""Standard output on a full disk: a plain message and exit 2, never a traceback, and
nothing the command did before printing is lost (a decision recorded stays recorded)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "decision_trees" / "scenarios" / "child-disclosure-at-school.yaml"
DETAILS = ROOT / "tests" / "fixtures" / "record-details.yaml"

pytestmark = pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")


def _run(*argv: str, data: Path) -> subprocess.CompletedProcess[str]:
    # `--version` alone, as people type it (its own fast path, before the parser).
    where = [] if list(argv) == ["--version"] else ["--data-dir", str(data)]
    with open("/dev/full", "w") as full:
        return subprocess.run(
            [sys.executable, "-m", "sharewise", *where, *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            env={**os.environ, "SHAREWISE_CACHE_DIR": str(data / "cache")},
        )


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["tree", "check"],
        ["tree", "check", "--json"],
        ["scenarios", "check"],
        ["decide", "--facts", str(SCENARIO)],
        ["decide", "--facts", str(SCENARIO), "--json"],
    ],
    ids=" ".join,
)
def test_a_full_disk_on_standard_output_is_said_plainly(argv: list[str], tmp_path: Path) -> None:
    done = _run(*argv, data=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "sharewise: could not write the output (No space left on device)" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_a_decision_recorded_before_its_output_failed_stays_recorded(tmp_path: Path) -> None:
    details = tmp_path / "details.yaml"
    shutil.copy(DETAILS, details)
    done = _run("decide", "--facts", str(SCENARIO), "--record", str(details), data=tmp_path)
    assert done.returncode == 2 and "anything the command recorded" in done.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "sharewise", "--data-dir", str(tmp_path), "records", "list"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    assert len([line for line in listed.stdout.splitlines() if line.strip()]) >= 1
    verified = subprocess.run(
        [sys.executable, "-m", "sharewise", "--data-dir", str(tmp_path), "records", "verify"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr

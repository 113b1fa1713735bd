"""Each invalid tree fixture fails with its own FILE:LINE:COL message.

A fixture states what it expects on its second line (`# expect: LINE:COL: fragment`), so a
new error kind is added by adding one file.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sharewise.domain.errors import InputError
from sharewise.domain.facts import load_vocabulary
from sharewise.domain.graph import load_tree

FIXTURES = Path(__file__).parent.parent / "fixtures"
INVALID = sorted((FIXTURES / "trees" / "invalid").glob("*.yaml"))
# The fixtures are checked against the vocabulary as the contract first published it, so that
# values added to the shipped vocabulary later cannot change what these fixtures mean.
CONTRACT_FACTS = FIXTURES / "facts-contract.yaml"
EXPECT = re.compile(r"^# expect: (\d+):(\d+): (.+)$")


def _expectation(path: Path) -> tuple[int, int, str]:
    line = path.read_text(encoding="utf-8").splitlines()[1]
    m = EXPECT.match(line)
    assert m, f"{path.name}: second line must be '# expect: LINE:COL: fragment'"
    return int(m[1]), int(m[2]), m[3]


def test_there_is_a_fixture_per_error_kind() -> None:
    assert len(INVALID) >= 20


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_tree_is_refused_at_its_place(path: Path) -> None:
    line, col, fragment = _expectation(path)
    with pytest.raises(InputError) as info:
        load_tree(path, vocabulary=load_vocabulary(CONTRACT_FACTS))
    wanted = f"{path}:{line}:{col}: "
    matching = [p.render() for p in info.value.problems if fragment in p.message]
    assert matching, info.value.render()
    assert matching[0].startswith(wanted), matching[0]
    assert "(fix: " in matching[0]


def test_tree_check_cli_reports_location_and_exits_2() -> None:
    path = next(p for p in INVALID if p.stem == "next_missing")
    line, col, fragment = _expectation(path)
    proc = subprocess.run(
        [sys.executable, "-m", "sharewise", "tree", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert f"{path}:{line}:{col}: " in proc.stderr
    assert fragment in proc.stderr
    assert "Traceback" not in proc.stderr


def test_all_problems_are_listed(tmp_path: Path) -> None:
    source = (Path(__file__).parent.parent / "fixtures" / "trees" / "example.yaml").read_text()
    broken = source.replace("next: identifiable}", "next: nowhere}").replace(
        "law: {basis: [ukgdpr.art6.1d]}", "law: {basis: [no.such.law]}"
    )
    path = tmp_path / "two.yaml"
    path.write_text(broken)
    with pytest.raises(InputError) as info:
        load_tree(path)
    messages = [p.message for p in info.value.problems]
    assert any("'nowhere'" in m for m in messages)
    assert any("'no.such.law'" in m for m in messages)

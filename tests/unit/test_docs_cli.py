"""docs/cli.md's examples that show the England tree's own output are real: `tree check`
(its counts of questions, outcomes and paths, and the tree's SHA-256), `scenarios check` and
`decide --facts docs/examples/...` are run from the repository's root and what the page shows
must be what they print, so a change to the tree or the bank names the block to re-run.

A block is `$ command` lines, each followed by the output the page shows; `$ echo $?` is the
exit code of the command before it. A line `...` (however indented) stands for any run of
lines, and a line ending in ` ...` for a line that starts with what comes before it, and any
run of lines after (the rest of a numbered list). Standard
output is compared (the tally of `scenarios check` goes to standard error, as the page says).
The default tree is found by its full path and printed so; the page, read in the repository,
shows it relative to the repository's root, and so is it compared.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from sharewise.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "cli.md"
FENCE = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)
RUN = ("sharewise tree check", "sharewise scenarios check", "sharewise decide --facts docs/")
GAP = "..."


def blocks() -> list[list[tuple[str, list[str]]]]:
    """Each block whose first command shows the England tree's output, as (command, shown)."""
    found = []
    for match in FENCE.finditer(PAGE.read_text(encoding="utf-8")):
        steps: list[tuple[str, list[str]]] = []
        for line in match.group(1).splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps:
                steps[-1][1].append(line)
        if steps and steps[0][0].startswith(RUN):
            found.append(steps)
    return found


BLOCKS = blocks()


def matches(shown: list[str], printed: list[str]) -> bool:
    pattern = ""
    for line in shown:
        if line.strip() == GAP:
            pattern += r"(?:.*\n)*?"
        elif line.endswith(" " + GAP):
            pattern += re.escape(line[: -len(GAP)]) + r".*\n(?:.*\n)*?"
        else:
            pattern += re.escape(line) + r"\n"
    return re.fullmatch(pattern, "".join(line + "\n" for line in printed)) is not None


def test_the_page_has_its_tree_blocks() -> None:
    firsts = [steps[0][0] for steps in BLOCKS]
    assert any(c == "sharewise tree check" for c in firsts)
    assert any("--json" in c and c.startswith("sharewise tree check") for c in firsts)
    assert any(c.startswith("sharewise scenarios check") for c in firsts)
    assert any(c.startswith("sharewise decide") for c in firsts)


@pytest.mark.parametrize("steps", BLOCKS, ids=[steps[0][0] for steps in BLOCKS])
def test_a_tree_block_is_what_the_commands_print(
    steps: list[tuple[str, list[str]]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SHAREWISE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SHAREWISE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SHAREWISE_DATABASE_URL", raising=False)
    code = None
    for command, shown in steps:
        if command == "echo $?":
            assert shown == [str(code)], f"docs/cli.md: `$ echo $?` after it must show {code}"
            continue
        words = shlex.split(command)
        if words[0] != "sharewise" or {">", "<", "|"} & set(words):
            continue  # a command the page shows for its use, not its output
        code = main(words[1:])
        printed = capsys.readouterr().out.replace(f"{ROOT}/", "").rstrip("\n").split("\n")
        assert matches(shown, printed), (
            f"docs/cli.md: after `$ {command}` the page must show (... for lines left out):\n"
            + "\n".join(printed)
        )

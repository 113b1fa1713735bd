"""docs/trainer.md walks a real training session; every command in its session walk-through
is run here, in order, and what the page shows must be what the command prints.

A console block is `$ command` lines, each followed by the output the page shows. A line
`...` stands for output the page leaves out; times are compared as `<time>`, since the page
was written on another day. `printf '...' | sharewise ...` feeds the trainee's typed answers.
"""

from __future__ import annotations

import codecs
import io
import re
import shlex
import sys
import textwrap
from pathlib import Path

import pytest

from sharewise.cli import main

PAGE = Path(__file__).resolve().parents[2] / "docs" / "trainer.md"
SECTION = "## Running a session for a team"
FENCE = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)
TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")
GAP = "..."


def steps() -> list[tuple[str, list[str]]]:
    """(command, the output shown) for each command of the walk-through, in page order."""
    text = PAGE.read_text(encoding="utf-8")
    assert SECTION in text
    section = text[text.index(SECTION) :]
    found: list[tuple[str, list[str]]] = []
    for block in FENCE.finditer(section):
        for line in textwrap.dedent(block.group(1)).splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            else:
                assert found, f"output before any command in {PAGE.name}: {line}"
                found[-1][1].append(line)
    return found


def run(command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    words = shlex.split(command)
    typed = ""
    if "|" in words:
        bar = words.index("|")
        assert words[:1] == ["printf"] and bar == 2, command
        typed = codecs.decode(words[1], "unicode_escape")
        words = words[bar + 1 :]
    assert words[0] == "sharewise", command
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    code = main(words[1:])
    out = capsys.readouterr()
    assert code == 0, f"{command}\n{out.out}\n{out.err}"
    return out.out + out.err


def matches(shown: list[str], printed: list[str]) -> bool:
    """Whether `printed` is `shown`, with each `...` standing for any run of lines."""
    pattern = "".join(
        r"(?:.*\n)*?" if line == GAP else re.escape(TIME.sub("<time>", line)) + r"\n"
        for line in shown
    )
    text = "".join(TIME.sub("<time>", line) + "\n" for line in printed)
    return re.fullmatch(pattern, text) is not None


def test_the_session_walk_through_is_real_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SHAREWISE_DATABASE_URL", raising=False)
    walk = steps()
    assert len(walk) >= 6
    for command, shown in walk:
        printed = run(command, capsys, monkeypatch).rstrip("\n").split("\n")
        assert matches(shown, printed), (
            f"docs/trainer.md: after `$ {command}` the page must show (... for lines left "
            "out):\n" + "\n".join(printed)
        )


def test_the_scripted_model_run_is_a_model_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's `printf ... | sharewise train --plain` "model run" answers every question as
    the scenario does and then declines to save: each line typed is used for what it is meant
    for (none left over for the save prompt, none missing), and the debrief says all match."""
    text = PAGE.read_text(encoding="utf-8")
    (command,) = re.findall(r"^printf .* \| sharewise train --plain .*$", text, re.MULTILINE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHAREWISE_DATA_DIR", str(tmp_path / "data"))
    printed = run(command, capsys, monkeypatch)
    counted = re.search(r"## Your answers \((\d+) of (\d+) match the scenario\)", printed)
    assert counted and counted[1] == counted[2], printed
    assert "Well done: the same outcome as the model path." in printed
    assert "is not yes or no" not in printed and "not one of the answers" not in printed
    assert printed.count("Save this debrief as a Markdown file? (yes/no)") == 1

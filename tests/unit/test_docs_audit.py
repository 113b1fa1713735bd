"""docs/ledger.md's worked example of the IG lead's quarterly audit says "Everything below is
real output": its ledger is the scenario bank filed as an IG lead's quarter (the `bank_dir`
fixture, tests/store/bank_ledger.py), so when the tree or the bank changes, the page's figures
must be re-run. Here every `$ sharewise audit report ...` command of the section is run on
that ledger and its output compared with the page's; the Markdown paper's beginning and end
are compared with the paper the same quarter gives; and the dashboard capture must show the
paper's counts, as the page says it does (the capture itself is a Pilot run: see the page).

A line `...` (however indented) stands for output the page leaves out; times and the day the
review dates are counted at are compared as placeholders, since the page was written on
another day; the usage lines argparse prints before its error are left out, as the page
does. The broken-chain block is run on a copy whose entry 12 was edited (triggers dropped
first), as the page's prose says.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
import sqlite3
from pathlib import Path

import pytest

from sharewise.cli import main
from sharewise.store import ledger_path

PAGE = Path(__file__).resolve().parents[2] / "docs" / "ledger.md"
SECTION = "## The IG lead's quarterly audit: a worked example"
FENCE = re.compile(r"^```[a-z]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")
COUNTED = re.compile(r"counted as at \d{4}-\d\d-\d\d")
GAP = "..."
QUARTER = ["--from", "2026-07-01", "--to", "2026-09-30"]


def section() -> str:
    text = PAGE.read_text(encoding="utf-8")
    assert SECTION in text, f"docs/ledger.md has no section {SECTION!r}"
    lines = text[text.index(SECTION) :].split("\n")
    fenced = False
    for n, line in enumerate(lines[1:], 1):
        fenced ^= line.startswith("```")
        if line.startswith("## ") and not fenced:  # the next section (a paper's are fenced)
            return "\n".join(lines[:n])
    return "\n".join(lines)


def blocks() -> list[tuple[str, str]]:
    """(the prose just before, the block's text) for each fenced block of the section."""
    text = section()
    found = []
    for match in FENCE.finditer(text):
        before = text[: match.start()].rstrip().rsplit("\n\n", 1)[-1]
        found.append((before, match.group(1)))
    return found


def block_after(words: str) -> str:
    (body,) = [body for before, body in blocks() if words in before]
    return body


def commands(body: str) -> list[tuple[str, list[str]]]:
    """(command, the lines shown after it) for each `$ ` line of a block."""
    found: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            found.append((line[2:], []))
        else:
            assert found, f"output before any command: {line}"
            found[-1][1].append(line)
    return found


def same(line: str) -> str:
    return COUNTED.sub("counted as at <date>", TIME.sub("<time>", line))


def matches(shown: list[str], printed: list[str]) -> bool:
    """Whether `printed` is `shown`, each `...` standing for any run of lines."""
    pattern = "".join(
        r"(?:.*\n)*?" if line.strip() == GAP else re.escape(same(line)) + r"\n" for line in shown
    )
    return re.fullmatch(pattern, "".join(same(line) + "\n" for line in printed)) is not None


def without_usage(err: str) -> list[str]:
    """stderr without argparse's usage lines (the page shows only the error)."""
    lines, usage = [], False
    for line in err.splitlines():
        if line.startswith("usage: "):
            usage = True
        elif usage and line.startswith(" "):
            continue
        else:
            usage = False
            lines.append(line)
    return lines


def run(data: Path, command: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    """Exit code, the lines printed (stdout, then stderr without usage), and stdout alone."""
    words = shlex.split(command)
    assert words[:3] == ["sharewise", "audit", "report"], command
    try:
        code = main(["--data-dir", str(data), *words[1:]])
    except SystemExit as exc:  # argparse refusing an argument
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out.splitlines() + without_usage(out.err), out.out


@pytest.fixture
def quarter(bank_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bank ledger (a report may write beside the ledger); files written with
    --out go to tmp_path."""
    monkeypatch.delenv("SHAREWISE_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    shutil.copytree(bank_dir, data)
    return data


def paper(data: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, _, out = run(
        data, f"sharewise audit report {shlex.join(QUARTER)} --format md --verify", capsys
    )
    assert code == 0
    return out


def test_the_section_has_its_blocks() -> None:
    runs = [c for _, body in blocks() if body.startswith("$ ") for c, _ in commands(body)]
    assert len(runs) >= 5
    assert "Records in the period" in block_after("so the same counts")


def test_the_report_commands_print_what_the_page_shows(
    quarter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checked = 0
    for before, body in blocks():
        if not body.startswith("$ ") or "broken chain" in before:
            continue
        for command, shown in commands(body):
            if "--format pdf" in command and importlib.util.find_spec("weasyprint") is None:
                continue  # the optional extra; the page shows what happens without it
            code, printed, _ = run(quarter, command, capsys)
            wanted = 2 if any(line.startswith("sharewise") for line in shown) else 0
            assert code == wanted, f"`$ {command}` exited {code}\n" + "\n".join(printed)
            assert matches(shown, printed), (
                f"docs/ledger.md: after `$ {command}` the page must show (... for lines left "
                "out):\n" + "\n".join(printed)
            )
            checked += 1
    assert checked >= 5


def test_the_markdown_papers_beginning_and_end_are_the_quarters(
    quarter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = paper(quarter, capsys).splitlines()
    begins = block_after("The Markdown version of the same quarter begins").splitlines()
    assert matches([*begins, GAP], printed), "docs/ledger.md, the paper begins:\n" + "\n".join(
        printed[: len(begins)]
    )
    ends = block_after("and ends with how long deciding took").splitlines()
    assert matches([GAP, *ends, GAP], printed), "docs/ledger.md, the paper ends:\n" + "\n".join(
        printed
    )


def rows(lines: list[str], heading: str) -> list[tuple[str, int]]:
    """(label, count) of the table under `heading`: the capture's or the paper's."""
    start = next(i for i, line in enumerate(lines) if line.strip() in (heading, f"## {heading}"))
    found = []
    for line in lines[start + 1 :]:
        if not line.strip():
            if found:
                break
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if cells[-1].isdigit():
                label = re.sub(r" `([a-z_]+)`$", r" [\1]", cells[0])
                found.append((label, int(cells[-1])))
        else:
            label, _, count = line.strip().rpartition(" ")
            if count.isdigit():
                found.append((label.strip(), int(count)))
    return found


def test_the_dashboard_capture_shows_the_papers_counts(
    quarter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capture = block_after("so the same counts").splitlines()
    printed = paper(quarter, capsys).splitlines()
    for heading in ("Overview", "By decision"):
        assert rows(capture, heading) == rows(printed, heading), heading
    total = dict(rows(printed, "Overview"))["Records in the period"]
    assert any(line.strip().startswith(f"{total:,} record(s), 2026-07-01") for line in capture)
    drawn = [
        (m.group(1), int(m.group(2)))
        for line in capture
        if (m := re.match(r"\s*(.+?) \((\d+)\)┤", line))
    ]
    assert [n for _, n in drawn] == [n for _, n in rows(printed, "By decision")]


def test_a_broken_chain_reads_as_the_page_shows(
    quarter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(ledger_path(quarter))
    for (name,) in list(conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")):
        conn.execute(f"DROP TRIGGER {name}")
    changed = conn.execute(
        "UPDATE entries SET body = CAST(replace(CAST(body AS TEXT),"
        """ '"consent":{"sought":true}', '"consent":{"sought":false}') AS BLOB) WHERE seq = 12"""
    ).rowcount
    conn.commit()
    conn.close()
    assert changed == 1
    (body,) = [body for before, body in blocks() if "broken chain" in before]
    ((command, shown),) = commands(body)
    code, printed, _ = run(quarter, command, capsys)
    assert code == 1
    assert matches(shown, printed), "docs/ledger.md, a broken chain:\n" + "\n".join(printed)

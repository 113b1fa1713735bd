"""The SQL the docs tell a DBA to run is what `sharewise db grants` prints: every
`$ sharewise db grants ...` console block in docs/ is run and compared, and no GRANT or
REVOKE is written in the docs outside such a block (a hand-written one drifts)."""

from __future__ import annotations

import re
import shlex
import textwrap
from pathlib import Path

import pytest

from sharewise.cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs"
FENCE = re.compile(r"^( *)```console\n(.*?)^\1```", re.MULTILINE | re.DOTALL)


def _grant_blocks() -> list[tuple[str, list[str], str]]:
    """(page, argv, the output shown) for each console block that runs `db grants`."""
    found = []
    for page in sorted(DOCS.glob("*.md")):
        for match in FENCE.finditer(page.read_text(encoding="utf-8")):
            body = textwrap.dedent(match.group(2))
            command, _, shown = body.partition("\n")
            if command.startswith("$ sharewise db grants"):
                found.append((page.name, shlex.split(command[2:])[1:], shown))
    return found


BLOCKS = _grant_blocks()


def test_the_pages_that_give_grants_have_their_blocks() -> None:
    pages = {page for page, _, _ in BLOCKS}
    assert {"ledger.md", "deploy.md"} <= pages
    assert any("purger" in argv for _, argv, _ in BLOCKS)


@pytest.mark.parametrize(("page", "argv", "shown"), BLOCKS, ids=[b[0] for b in BLOCKS])
def test_a_grants_block_is_what_the_command_prints(
    page: str, argv: list[str], shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert shown == printed, (
        f"docs/{page}: the block after `$ sharewise {shlex.join(argv)}` must be exactly:\n"
        + printed
    )


def test_no_grant_is_written_by_hand() -> None:
    in_blocks = {line for _, _, shown in BLOCKS for line in shown.splitlines()}
    stray = [
        f"{page.name}: {line.strip()}"
        for page in sorted(DOCS.glob("*.md"))
        for line in page.read_text(encoding="utf-8").splitlines()
        if re.match(r"\s*(GRANT|REVOKE) ", line) and line.strip() not in in_blocks
    ]
    assert stray == []

"""`audit report` in every format: the same figures as the ledger holds, names nobody, is
safe with hostile text, and says loudly when the chain is broken or the input impossible."""

from __future__ import annotations

import csv
import io
import json
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from bank_ledger import TODAY, build

from sharewise import paths
from sharewise.cli import main
from sharewise.domain.citations import load_registry
from sharewise.reports import figures as F
from sharewise.reports.audit import sections
from sharewise.store import open_ledger

NAMES = ("Alex Example", "Robin Reviewer", "Sam", "CS-2026-", "CS-E-1", "Looked at it")


def report(folder: Path, fmt: str, *extra: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["--data-dir", str(folder), "audit", "report", "--format", fmt, *extra]) == 0
    return capsys.readouterr().out


def expected_rows(folder: Path) -> list[tuple[str, str, str, int]]:
    """(section, words, id, count) of every row, from the figures checked in
    test_audit_figures against the ledger read back as models."""
    with open_ledger(folder, create=False) as ledger:
        figures = F.count(ledger.backend, F.Scope(), F.today())
    registry = load_registry(paths.citations_path())
    return [
        (s.title, r.label, r.ident, r.count) for s in sections(figures, registry) for r in s.rows
    ]


class Tables(HTMLParser):
    """Every table row's cells as text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self.svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "svg":
            self.svgs += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_json_holds_every_figure_with_ids(
    bank_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(report(bank_dir, "json", capsys=capsys))
    with open_ledger(bank_dir, create=False) as ledger:
        figures = F.count(ledger.backend, F.Scope(), F.today())
    want = figures.to_json_dict()
    assert {k: v for k, v in data.items() if k in want} == want
    # Machine format: ids as keys, and their titles beside them.
    for cid in data["by_lawful_basis"]:
        assert data["citation_titles"][cid] == load_registry(paths.citations_path())[cid].title


def test_csv_html_and_md_hold_every_row(bank_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = expected_rows(bank_dir)
    assert len(rows) > 30
    text = report(bank_dir, "csv", capsys=capsys)
    got = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert got[0] == ["section", "item", "id", "count"]
    for row in rows:
        assert [row[0], row[1], row[2], str(row[3])] in got, row
    page = Tables()
    page.feed(report(bank_dir, "html", capsys=capsys))
    cells = {(r[0], r[1]) for r in page.rows if len(r) == 2}
    for _, words, ident, n in rows:
        label = f"{words} [{ident}]" if ident and ident != words else words
        assert (label, f"{n:,}") in cells, (label, n)
    assert page.svgs >= 6  # a chart per section that has rows
    md = report(bank_dir, "md", capsys=capsys)
    for _, words, ident, n in rows:
        shown = words.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")
        ident_text = f" `{ident}`" if ident and ident != words else ""
        assert f"| {shown}{ident_text} | {n:,} |" in md, words


def test_no_format_names_anyone(bank_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("json", "csv", "md", "html"):
        text = report(bank_dir, fmt, capsys=capsys)
        for name in NAMES:
            assert name not in text, (fmt, name)


def test_filters_narrow_every_format(bank_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(
        report(bank_dir, "json", "--emergency", "yes", "--from", "2026-09-01", capsys=capsys)
    )
    assert data["scope"]["emergency"] is True and data["scope"]["from"] == "2026-09-01"
    with open_ledger(bank_dir, create=False) as ledger:
        want = F.count(ledger.backend, F.Scope(date_from=TODAY.replace(month=9, day=1),
                                               emergency=True))  # fmt: skip
    assert data["decisions_recorded"] == want.total > 0
    html = report(bank_dir, "html", "--team", "riverside housing", capsys=capsys)
    assert "team: riverside housing" in html


def test_pdf_is_written(bank_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "board.pdf"
    args = ["--data-dir", str(bank_dir), "audit", "report", "--format", "pdf", "--out", str(out)]
    assert main(args) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    assert len(data) > 20_000  # tables and charts, not an empty page
    assert out.stat().st_mode & 0o777 == 0o600


def test_pdf_without_the_extra_names_it(
    bank_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if not installed
    out = tmp_path / "board.pdf"
    args = ["--data-dir", str(bank_dir), "audit", "report", "--format", "pdf", "--out", str(out)]
    assert main(args) == 2
    assert "sharewise[pdf]" in capsys.readouterr().err


def test_hostile_text_is_inert(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ledger_harness import make_details, make_result

    from sharewise.domain.record import Practitioner

    # A terminal escape cannot be stored at all (issue 14's safe-text rule); markup can.
    with pytest.raises(ValueError):
        Practitioner(name="N", role="R", organisation="Team \x1b[31m")
    team = "<script>alert(1)</script> | *Team*"
    details = make_details().model_copy(
        update={"practitioner": Practitioner(name="N", role="R", organisation=team[:60])}
    )
    with open_ledger(tmp_path) as ledger:
        ledger.record_decision(make_result(), details)
    html = report(tmp_path, "html", capsys=capsys)
    assert "<script>" not in html and "&lt;script&gt;" in html and "\x1b" not in html
    md = report(tmp_path, "md", capsys=capsys)
    assert "<script>" not in md and "\\| \\*Team\\*" in md and "\x1b" not in md
    assert "&lt;script&gt;" in md


def test_markdown_keeps_apostrophes_as_typed(
    bank_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Read as text (pasted into a board paper), the Markdown must not say "&#39;"."""
    md = report(bank_dir, "md", capsys=capsys)
    assert "&#39;" not in md and "&#34;" not in md
    assert "## By team (the practitioner's organisation)" in md


def test_empty_ledger_and_empty_period(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("md", "html", "csv", "json"):
        text = report(tmp_path, fmt, capsys=capsys)  # no ledger at all yet
        assert text
    with open_ledger(tmp_path) as ledger:
        build(ledger)
    html = report(tmp_path, "html", "--from", "2030-01-01", "--to", "2030-03-31", capsys=capsys)
    assert "No records." in html and "2030-01-01 to 2030-03-31" in html
    data = json.loads(report(tmp_path, "json", "--from", "2030-01-01", capsys=capsys))
    assert data["decisions_recorded"] == 0 and data["by_decision"] == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-02-30"], "is not a date"),
        (["--from", "2026-09-01", "--to", "2026-08-01"], "swap the two dates"),
        (["--to", "2026-13-01"], "is not a date"),
    ],
)
def test_impossible_dates_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    try:
        code = main(["--data-dir", str(tmp_path), "audit", "report", "--format", "json", *args])
    except SystemExit as exit_info:  # argparse refuses a non-date itself
        code = exit_info.code
    assert code == 2
    assert message in capsys.readouterr().err


def test_a_broken_chain_is_said_loudly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    from sharewise.store import ledger_path

    with open_ledger(tmp_path) as ledger:
        filed: dict[str, Any] = build(ledger)
        victim = ledger.get(filed["records"][5]).seq
    conn = sqlite3.connect(ledger_path(tmp_path))
    conn.execute("DROP TRIGGER IF EXISTS entries_no_update")
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute(
        "UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), 'share', 'shxre') AS BLOB)"
        " WHERE seq = ?",
        (victim,),
    )
    conn.commit()
    conn.close()
    out = tmp_path / "board.html"
    args = ["--data-dir", str(tmp_path), "audit", "report", "--format", "html", "--verify"]
    assert main([*args, "--out", str(out)]) == 1
    assert "hash chain is broken" in capsys.readouterr().err
    html = out.read_text()
    assert "BROKEN" in html and str(victim) in html.split("Entries affected:")[1][:200]

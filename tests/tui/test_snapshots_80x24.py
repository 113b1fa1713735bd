"""The main screens at 80x24 (a laptop terminal, a remote session), each read by a person
before it was accepted: nothing cut off, the answers and the footer's keys in sight.

Also the emergency form in the default theme: its main button's label was once the colour
of its own background, which a snapshot shows at a glance. Update with `--snapshot-update`
after a deliberate change, and look at the result before committing.
"""

from __future__ import annotations

from pathlib import Path

from tests.tui.test_snapshots import Snap, app, settle, then

SMALL = (80, 24)


def test_home_80x24(snap_compare: Snap, tmp_path: Path) -> None:
    assert snap_compare(app(tmp_path), terminal_size=SMALL, run_before=settle)


def test_walk_80x24(snap_compare: Snap, tmp_path: Path) -> None:
    assert snap_compare(app(tmp_path), terminal_size=SMALL, run_before=then("s", "2"))


def test_walk_help_overlay_80x24(snap_compare: Snap, tmp_path: Path) -> None:
    run = then("s", "2", "question_mark")
    assert snap_compare(app(tmp_path), terminal_size=SMALL, run_before=run)


def test_outcome_80x24(snap_compare: Snap, tmp_path: Path) -> None:
    run = then("s", "2", "1", "1")
    assert snap_compare(app(tmp_path), terminal_size=SMALL, run_before=run)


def test_record_form_80x24(snap_compare: Snap, tmp_path: Path) -> None:
    run = then("s", "2", "1", "1", "r")
    assert snap_compare(app(tmp_path), terminal_size=SMALL, run_before=run)


def test_emergency_80x24(snap_compare: Snap, tmp_path: Path) -> None:
    assert snap_compare(app(tmp_path), terminal_size=SMALL, run_before=then("f2"))


def test_emergency_default_theme(snap_compare: Snap, tmp_path: Path) -> None:
    """Tabbed to its buttons, so the main one's label is in the picture."""
    run = then("f2", *["tab"] * 7)
    assert snap_compare(app(tmp_path), terminal_size=(110, 36), run_before=run)


def test_records_80x24(snap_compare: Snap, tmp_path: Path) -> None:
    assert snap_compare(app(tmp_path), terminal_size=SMALL, run_before=then("r"))

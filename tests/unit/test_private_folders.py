"""Folders sharewise creates for records are private all the way down, not only the last one."""

from __future__ import annotations

import stat
from pathlib import Path

from sharewise.cli import main


def test_a_first_record_creates_every_missing_folder_0700(tmp_path: Path) -> None:
    facts = Path(__file__).parents[2] / "docs" / "examples" / "facts-child-disclosure.yaml"
    details = Path(__file__).parents[1] / "fixtures" / "record-details.yaml"
    data = tmp_path / "new" / "data"
    assert (
        main(["--data-dir", str(data), "decide", "--facts", str(facts), "--record", str(details)])
        == 0
    )
    for folder in (tmp_path / "new", data, data / "ledger"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder

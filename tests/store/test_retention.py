"""Retention: `records purge` refuses a cut-off in the future or inside the organisation's
retention period, and uses that period when no cut-off is given."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ledger_harness import DETAILS_FILE

from sharewise.cli import main
from sharewise.cli.records_cmd import purge_cutoff

ROOT = Path(__file__).resolve().parents[2]
TREE = ROOT / "tests" / "fixtures" / "trees" / "example.yaml"
TODAY = dt.date(2026, 12, 1)


def sw(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cutoff_rules() -> None:
    assert purge_cutoff(TODAY, TODAY, None) == TODAY
    assert purge_cutoff(None, TODAY, 7) == dt.date(2019, 12, 1)
    assert purge_cutoff(dt.date(2019, 1, 1), TODAY, 7) == dt.date(2019, 1, 1)
    assert purge_cutoff(None, dt.date(2028, 2, 29), 1) == dt.date(2027, 2, 28)
    with pytest.raises(Exception, match="in the future"):
        purge_cutoff(TODAY + dt.timedelta(days=1), TODAY, None)
    with pytest.raises(Exception, match="inside the organisation's retention period"):
        purge_cutoff(dt.date(2020, 1, 1), TODAY, 7)
    with pytest.raises(Exception, match="no retention period is set"):
        purge_cutoff(None, TODAY, None)


def test_purge_refuses_tomorrow_and_erases_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    facts = tmp_path / "facts.yaml"
    facts.write_text('immediate_danger: "no"\nidentifiable: "yes"\nsharer: public_authority\n')
    code, _, err = sw(capsys, data, "decide", "--facts", str(facts), "--tree", str(TREE),
                      "--record", str(DETAILS_FILE))  # fmt: skip
    assert code == 0, err
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
    code, out, err = sw(capsys, data, "records", "purge", "--before", tomorrow, "--yes")
    assert code == 2 and "is in the future" in err and out == ""
    code, out, _ = sw(capsys, data, "records", "show", "1")
    assert "Okafor" in out


def test_retention_is_an_organisation_setting_used_by_purge(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    assert sw(capsys, data, "settings", "set", "sharer", "public_authority")[0] == 0
    assert sw(capsys, data, "settings", "retention", "7")[0] == 0
    code, out, _ = sw(capsys, data, "settings", "retention")
    assert out == "retention: 7 years\n"
    # Settling another answer keeps the period; the period keeps the answers.
    assert sw(capsys, data, "settings", "set", "apd_in_place", "yes")[0] == 0
    text = (data / "settings.yaml").read_text()
    assert "retention_years: 7" in text and "sharer: public_authority" in text
    code, out, _ = sw(capsys, data, "records", "purge", "--today", "2026-12-01", "--json")
    assert code == 0 and '"before": "2019-12-01"' in out
    code, _, err = sw(capsys, data, "records", "purge", "--today", "2026-12-01",
                      "--before", "2021-01-01")  # fmt: skip
    assert code == 2 and "retention period (7 years)" in err
    assert sw(capsys, data, "settings", "retention", "off")[0] == 0
    code, _, err = sw(capsys, data, "records", "purge")
    assert code == 2 and "settings retention YEARS" in err
    code, _, err = sw(capsys, data, "settings", "retention", "seven")
    assert code == 2

"""`sharewise records ...` and `decide --record` as a person or a script uses them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from ledger_harness import DETAILS_FILE

from sharewise.cli import main

ROOT = Path(__file__).resolve().parents[2]
TREE = ROOT / "tests" / "fixtures" / "trees" / "example.yaml"


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture()
def facts(tmp_path: Path) -> Path:
    f = tmp_path / "facts.yaml"
    f.write_text('immediate_danger: "no"\nidentifiable: "yes"\nsharer: public_authority\n')
    return f


def sw(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def record(capsys: pytest.CaptureFixture[str], data: Path, facts: Path, details: Path) -> dict:
    code, out, err = sw(
        capsys,
        data,
        "decide",
        "--facts",
        str(facts),
        "--tree",
        str(TREE),
        "--record",
        str(details),
        "--json",
    )
    assert code == 0, err
    ref: dict = json.loads(out)["record"]
    return ref


def _emergency_details(folder: Path) -> Path:
    """A details file for an emergency record: only the case and who acted (the case is
    DETAILS_FILE's, which completes it)."""
    quick = folder / "quick.yaml"
    quick.write_text(
        "to_be_completed: true\ncase_ref: CS-2026-00417\n"
        "practitioner: {name: A, role: DSL, organisation: School}\n"
    )
    return quick


def test_decide_record_then_list_show_verify(
    capsys: pytest.CaptureFixture[str], data: Path, facts: Path
) -> None:
    ref = record(capsys, data, facts, DETAILS_FILE)
    assert ref["seq"] == 1 and len(ref["hash"]) == 64
    code, out, _ = sw(capsys, data, "records", "list")
    assert code == 0 and ref["id"] in out and "CS-2026-00417" in out
    code, out, _ = sw(capsys, data, "records", "list", "--json", "--decision", "share")
    assert [r["id"] for r in json.loads(out)] == [ref["id"]]
    code, out, _ = sw(capsys, data, "records", "list", "--json", "--case", "nope")
    assert json.loads(out) == []
    code, out, _ = sw(capsys, data, "records", "show", ref["id"])
    assert code == 0 and "ukgdpr.art6.1e" in out and "J. Okafor" in out
    assert "Is anyone in immediate danger?" in out and ref["hash"] in out
    code, out, _ = sw(capsys, data, "records", "show", "1", "--json")
    shown = json.loads(out)
    assert shown["details"]["consent"]["sought"] is False and shown["result"]["tree"]["id"]
    code, out, _ = sw(capsys, data, "records", "verify")
    assert code == 0 and "1 entry, chain intact" in out


def test_bad_details_file_exits_2_with_its_place(
    capsys: pytest.CaptureFixture[str], data: Path, facts: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "details.yaml"
    bad.write_text(DETAILS_FILE.read_text().replace("sought: false", "sought: no") + "colour: 1\n")
    code, _out, err = sw(
        capsys, data, "decide", "--facts", str(facts), "--tree", str(TREE), "--record", str(bad)
    )
    assert code == 2 and "Traceback" not in err
    assert f"{bad}:9:19: consent.sought" in err  # `no` is not a boolean here
    assert "unknown key 'colour'" in err
    assert "Okafor" not in err  # personal data never reaches an error message
    assert not (data / "ledger").exists()  # a bad file never touches the ledger
    missing = tmp_path / "short.yaml"
    missing.write_text("case_ref: X\npractitioner: {name: A, role: B, organisation: C}\n")
    code, _, err = sw(
        capsys, data, "decide", "--facts", str(facts), "--tree", str(TREE), "--record", str(missing)
    )
    assert code == 2 and "missing information, consent, informed, rationale" in err


def test_emergency_then_complete_and_due(
    capsys: pytest.CaptureFixture[str], data: Path, facts: Path, tmp_path: Path
) -> None:
    ref = record(capsys, data, facts, _emergency_details(tmp_path))
    code, out, _ = sw(capsys, data, "records", "due")
    assert code == 0 and "emergency record to be completed" in out
    code, out, _ = sw(capsys, data, "records", "complete", ref["id"], "--record", str(DETAILS_FILE))
    assert code == 0 and "completion recorded" in out
    code, out, _ = sw(capsys, data, "records", "due", "--today", "2027-01-01", "--json")
    due = json.loads(out)
    assert [d["reason"] for d in due] == ["review was due 2026-12-06"]


def _filed_without_a_decision(data: Path, case_ref: str = "CS-2026-00417") -> str:
    """An emergency record as the UI's emergency form files it: no tree, no decision."""
    from sharewise.domain.record import RecordDetails
    from sharewise.store import open_ledger

    quick = RecordDetails.model_validate(
        {
            "case_ref": case_ref,
            "practitioner": {"name": "R. Mensah", "role": "School nurse", "organisation": "X"},
        },
        context={"emergency": True},
    )
    with open_ledger(data) as ledger:
        return ledger.record_emergency(quick).id


def _danger(folder: Path) -> Path:
    """Answers that lead the example tree to share urgently."""
    danger = folder / "danger.yaml"
    danger.write_text('immediate_danger: "yes"\n')
    return danger


def _table(out: str) -> list[list[str]]:
    """`records list` rows as [seq, kind, decision, case, note...] (the id and time dropped)."""
    rows = [line.split() for line in out.splitlines()[1:]]
    return [[r[0], *r[4:]] for r in rows]


def test_list_shows_a_completed_emergency_with_its_decision(
    capsys: pytest.CaptureFixture[str], data: Path, facts: Path, tmp_path: Path
) -> None:
    emergency = _filed_without_a_decision(data)
    record(capsys, data, facts, DETAILS_FILE)  # an ordinary decision on the same case
    _, out, _ = sw(capsys, data, "records", "list")
    assert _table(out) == [
        ["1", "emergency", "CS-2026-00417", "(to", "be", "completed)"],
        ["2", "decision", "share", "CS-2026-00417"],
    ]
    completion = [
        *("records", "complete", emergency, "--record", str(DETAILS_FILE)),
        *("--facts", str(_danger(tmp_path)), "--tree", str(TREE)),
    ]
    code, _, err = sw(capsys, data, *completion)
    assert code == 0, err
    _, out, _ = sw(capsys, data, "records", "list")
    assert _table(out) == [
        ["1", "emergency", "share_urgently", "CS-2026-00417", "(completed", "by", "entry", "3)"],
        ["2", "decision", "share", "CS-2026-00417"],
        ["3", "completion", "share_urgently", "CS-2026-00417", "(completes", "entry", "1)"],
    ]
    _, out, _ = sw(capsys, data, "records", "list", "--decision", "share_urgently")
    assert [row[:3] for row in _table(out)] == [
        ["1", "emergency", "share_urgently"],
        ["3", "completion", "share_urgently"],
    ]
    _, out, _ = sw(capsys, data, "records", "list", "--decision", "share_urgently", "--json")
    first, third = json.loads(out)
    assert first["id"] == emergency and first["decision"] is None  # as recorded
    assert first["completed_by"] == {"seq": 3, "id": third["id"], "decision": "share_urgently"}
    assert (first["target_seq"], third["completed_by"]) == (None, None)
    assert (third["target"], third["target_seq"]) == (emergency, 1)
    _, out, _ = sw(capsys, data, "records", "list", "--json", "--decision", "share")
    assert [(r["seq"], r["completed_by"], r["target_seq"]) for r in json.loads(out)] == [
        (2, None, None)
    ]
    code, out, _ = sw(capsys, data, "records", "verify")
    assert code == 0 and "3 entries, chain intact" in out


def test_complete_refuses_another_case_reference(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    emergency = _filed_without_a_decision(data, "CS-2026-00418")
    argv = ["records", "complete", emergency, "--record", str(DETAILS_FILE)]
    code, out, err = sw(capsys, data, *argv)
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith(f"sharewise: {DETAILS_FILE}:4:11: case_ref differs from the case ")
    assert "--new-case-ref" in err and f"records show {emergency}" in err
    assert "00417" not in err and "00418" not in err  # the references are personal data
    _, out, _ = sw(capsys, data, "records", "list", "--json")
    assert [r["kind"] for r in json.loads(out)] == ["emergency"]  # nothing was recorded
    code, out, err = sw(capsys, data, *argv, "--new-case-ref")
    assert code == 0 and "completion recorded" in out, err
    _, out, _ = sw(capsys, data, "records", "list", "--case", "CS-2026-00417")
    # Found under the reference it was completed with, showing the one it was filed under.
    assert _table(out) == [
        ["1", "emergency", "CS-2026-00418", "(completed", "by", "entry", "2)"],
        ["2", "completion", "CS-2026-00417", "(completes", "entry", "1)"],
    ]


def test_review_amend_and_unknown_id(
    capsys: pytest.CaptureFixture[str], data: Path, facts: Path
) -> None:
    ref = record(capsys, data, facts, DETAILS_FILE)
    code, out, _ = sw(
        capsys,
        data,
        "records",
        "review",
        ref["id"],
        "--verdict",
        "disagree",
        "--reviewer",
        "I. G. Lead",
        "--comment",
        "Consent should have been sought.",
    )
    assert code == 0 and "review recorded" in out
    code, out, _ = sw(capsys, data, "records", "amend", ref["id"], "--record", str(DETAILS_FILE))
    assert code == 0 and "amendment recorded" in out
    code, _, err = sw(capsys, data, "records", "show", "01ZZZZZZZZZZZZZZZZZZZZZZZZ")
    assert code == 2 and "no entry" in err
    code, out, _ = sw(capsys, data, "records", "list", "--json")
    assert [r["kind"] for r in json.loads(out)] == ["decision", "review", "amendment"]


def test_verify_exits_1_on_tampering_and_checks_checkpoints(
    capsys: pytest.CaptureFixture[str], data: Path, facts: Path, tmp_path: Path
) -> None:
    import sqlite3

    for _ in range(3):
        record(capsys, data, facts, DETAILS_FILE)
    key = tmp_path / "ig.key"
    code, out, _ = sw(capsys, data, "records", "keygen", "--out", str(key))
    assert code == 0 and (tmp_path / "ig.key.pub").exists()
    assert key.stat().st_mode & 0o777 == 0o600
    point = tmp_path / "cp.json"
    code, out, err = sw(
        capsys, data, "records", "checkpoint", "--out", str(point), "--sign-key", str(key)
    )
    # Written to a file: the file is the result, and the message about it goes to stderr.
    assert code == 0 and out == "" and "signed" in err
    assert json.loads(point.read_text())["size"] == 3
    code, out, _ = sw(
        capsys, data, "records", "verify", "--checkpoint", str(point), "--public-key", f"{key}.pub"
    )
    assert code == 0 and "matches the checkpoint" in out
    conn = sqlite3.connect(data / "ledger" / "ledger.sqlite3")
    conn.execute("DROP TRIGGER entries_no_delete")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("DELETE FROM entries WHERE seq = 3")
    conn.commit()
    conn.close()
    code, out, _err = sw(capsys, data, "records", "verify", "--checkpoint", str(point))
    assert code == 1 and "entry 3: the checkpoint recorded 3 entries" in out
    assert "entry 3 was removed (truncated tail)" in out
    assert "personal details are stored for an entry that is not in the chain" in out
    assert "ledger: the trigger entries_no_delete that sharewise wrote is missing" in out
    code, out, _ = sw(capsys, data, "records", "verify", "--json")
    report = json.loads(out)
    assert code == 1 and report["intact"] is False
    assert [b["seq"] for b in report["breaks"]] == [0, 3]


def test_exports(
    capsys: pytest.CaptureFixture[str], data: Path, facts: Path, tmp_path: Path
) -> None:
    nasty = tmp_path / "nasty.yaml"
    text = DETAILS_FILE.read_text()
    text = text.replace('method: "Secure email', 'method: "=HYPERLINK(\\"http://x\\")" #')
    text = text.replace('rationale: "', 'rationale: "<script>alert(1)</script>\\u001b[2J ')
    nasty.write_text(text)
    record(capsys, data, facts, nasty)
    for fmt in ("json", "csv", "md", "html"):
        out_file = tmp_path / f"export.{fmt}"
        code, _, err = sw(
            capsys, data, "records", "export", "--format", fmt, "--out", str(out_file)
        )
        assert code == 0 and "exported 1 entry" in err
        assert out_file.stat().st_mode & 0o777 == 0o600
    exported = json.loads((tmp_path / "export.json").read_text())
    assert exported[0]["details"]["method"].startswith("=HYPERLINK")  # faithful in JSON
    rows = list(csv.DictReader(io.StringIO((tmp_path / "export.csv").read_text("utf-8-sig"))))
    assert rows[0]["method"].startswith("'=HYPERLINK")  # inert in a spreadsheet
    assert rows[0]["basis"] == "ukgdpr.art6.1e" and rows[0]["consent_sought"] == "no"
    page = (tmp_path / "export.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page and "\x1b" not in page
    assert page.startswith("<!DOCTYPE html>") and "http://" not in page.split("<body>")[0]
    md = (tmp_path / "export.md").read_text()
    assert "\x1b" not in md and "<script>" not in md and "&lt;script&gt;" in md
    code, out, _ = sw(
        capsys, data, "records", "export", "--format", "json", "--decision", "do_not_share"
    )
    assert code == 0 and json.loads(out) == []


def test_control_characters_are_stored_faithfully_and_shown_safely(
    capsys: pytest.CaptureFixture[str], data: Path, facts: Path, tmp_path: Path
) -> None:
    evil = "Line one\x1b[2J\x1b]0;pwned\x07 \u202eexe.txt\x9b31m end"
    details = tmp_path / "evil.yaml"
    details.write_text(
        DETAILS_FILE.read_text().replace(
            'information: "', f'information: "{evil.encode("unicode_escape").decode()}'
        )
    )
    ref = record(capsys, data, facts, details)
    code, out, _ = sw(capsys, data, "records", "show", ref["id"], "--json")
    assert json.loads(out)["details"]["information"].startswith(evil)  # stored faithfully
    code, out, _ = sw(capsys, data, "records", "show", ref["id"])
    assert code == 0
    for bad in ("\x1b", "\x07", "\u202e", "\x9b"):
        assert bad not in out
    assert "\\x1b[2J" in out and "\\u202e" in out


def test_purge_dry_run_then_erase(
    capsys: pytest.CaptureFixture[str], data: Path, facts: Path
) -> None:
    record(capsys, data, facts, DETAILS_FILE)
    code, out, _ = sw(
        capsys, data, "records", "purge", "--today", "2999-01-01", "--before", "2999-01-01"
    )
    assert code == 0 and "dry run: 1 entries" in out
    code, out, _ = sw(
        capsys, data, "records", "purge", "--today", "2999-01-01", "--before", "2999-01-01", "--yes"
    )
    assert code == 0 and "erased the personal details of 1 entries" in out
    code, out, _ = sw(capsys, data, "records", "show", "1")
    assert "Okafor" not in out and "[erased]" in out
    code, out, _ = sw(capsys, data, "records", "verify")
    assert code == 0 and "erased by purge" in out


def test_reading_commands_on_no_ledger(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    assert sw(capsys, data, "records", "list", "--json")[1].strip() == "[]"
    assert sw(capsys, data, "records", "verify")[0] == 0
    # "nothing is due" is a message, not a row a script would read as a record.
    assert sw(capsys, data, "records", "due")[1:] == ("", "nothing is due\n")
    assert not data.exists()


def test_replay_on_the_same_tree_changes_nothing(
    capsys: pytest.CaptureFixture[str], data: Path, facts: Path
) -> None:
    ref = record(capsys, data, facts, DETAILS_FILE)
    code, out, _ = sw(capsys, data, "records", "replay", ref["id"], "--tree", str(TREE))
    assert code == 0 and "no change" in out
    code, out, _ = sw(capsys, data, "records", "replay", "1", "--tree", str(TREE), "--json")
    replayed = json.loads(out)
    assert replayed["changed"] is False and replayed["same_tree"] is True
    assert replayed["now"]["decision"] == replayed["original"]["decision"] == "share"


def test_show_and_readable_exports_name_the_later_entries(
    capsys: pytest.CaptureFixture[str], data: Path, facts: Path, tmp_path: Path
) -> None:
    ref = record(capsys, data, facts, _emergency_details(tmp_path))
    _, out, _ = sw(capsys, data, "records", "show", ref["id"])
    assert "Status: emergency record: to be completed" in out
    assert "Later entries" not in out
    sw(capsys, data, "records", "complete", ref["id"], "--record", str(DETAILS_FILE))
    sw(
        capsys,
        data,
        "records",
        "review",
        ref["id"],
        "--verdict",
        "follow_up",
        "--reviewer",
        "IG lead",
    )
    _, out, _ = sw(capsys, data, "records", "show", ref["id"])
    assert "Status: emergency record: completed by entry 2" in out
    assert "Entry 2: completion" in out and "Entry 3: review: follow_up" in out
    _, md, _ = sw(capsys, data, "records", "export", "--format", "md")
    assert "completed by entry 2" in md and "review: follow\\_up" in md
    _, page, _ = sw(capsys, data, "records", "export", "--format", "html")
    assert "completed by entry 2" in page


def test_exports_mark_settled_answers(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    from sharewise.domain.graph import load_tree
    from sharewise.domain.walk import Walk
    from sharewise.store import open_ledger
    from sharewise.store.details import load_details

    walk = Walk(load_tree(TREE), preset={"sharer": "public_authority"})
    walk.answer("no")
    walk.answer("yes")
    details, emergency = load_details(DETAILS_FILE)
    with open_ledger(data) as ledger:
        ledger.record_decision(walk.result(), details, emergency=emergency)
    _, md, _ = sw(capsys, data, "records", "export", "--format", "md")
    assert "public\\_authority; settled in the settings, not asked" in md
    assert "identifiable = yes)" in md  # answered, so not marked
    _, text, _ = sw(capsys, data, "records", "export", "--format", "csv")
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert row["answers"].endswith("sharer=public_authority (settled)")


PAIRED = ROOT / "tests" / "fixtures" / "trees" / "paired.yaml"


def test_exports_show_a_paired_answer_as_one_question(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    """One answer settled two facts: the readable formats show one question with both facts,
    `records show` too; CSV keeps one `fact=value` per fact."""
    from sharewise.domain.graph import load_tree
    from sharewise.domain.walk import Walk
    from sharewise.store import open_ledger
    from sharewise.store.details import load_details

    walk = Walk(load_tree(PAIRED), preset={"sharer": "public_authority", "care_professional": "no"})
    walk.answer("no")
    walk.answer("no")
    details, emergency = load_details(DETAILS_FILE)
    with open_ledger(data) as ledger:
        ref = ledger.record_decision(walk.result(), details, emergency=emergency)
    both = (
        "A public authority, not as a health or social care professional "
        "(sharer = public_authority, care_professional = no; settled in the settings, not asked)"
    )
    _, shown, _ = sw(capsys, data, "records", "show", ref.id)
    assert both in shown
    assert shown.count("Who is sharing, and in what capacity?") == 1
    _, md, _ = sw(capsys, data, "records", "export", "--format", "md")
    assert md.count("Who is sharing, and in what capacity?") == 1
    assert "care\\_professional = no; settled in the settings, not asked" in md
    _, page, _ = sw(capsys, data, "records", "export", "--format", "html")
    assert page.count("Who is sharing, and in what capacity?") == 1
    assert "sharer = public_authority, care_professional = no;" in page
    _, text, _ = sw(capsys, data, "records", "export", "--format", "csv")
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert row["answers"] == (
        "immediate_danger=no; sharer=public_authority (settled); "
        "care_professional=no (settled); special_category=no"
    )


def test_show_a_completed_emergency_gives_the_completions_decision(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    """An emergency filed without a decision and completed later: `records show` says which
    entry completed it and what it decided, in the status and in a section of its own, and
    the readable exports too (the emergency entry itself is never rewritten)."""
    emergency = _filed_without_a_decision(data)
    _, out, _ = sw(capsys, data, "records", "show", emergency)
    assert "Status: emergency record: to be completed" in out and "Completion:" not in out
    completion = [
        *("records", "complete", emergency, "--record", str(DETAILS_FILE)),
        *("--facts", str(_danger(tmp_path)), "--tree", str(TREE)),
    ]
    assert sw(capsys, data, *completion)[0] == 0
    _, out, _ = sw(capsys, data, "records", "show", emergency)
    done = json.loads(sw(capsys, data, "records", "show", "2", "--json")[1])
    assert (
        f"Status: emergency record: completed by entry 2 ({done['id']}), "
        "decision: share_urgently" in out
    )
    block = out.split("Completion:\n", 1)[1].split("\n", 6)
    assert block[0] == f"  Completed by: entry 2 ({done['id']})"
    assert block[2] == "  Decision: share_urgently"
    assert block[3].startswith("  Outcome: ")
    assert f"Entry 2: completion: share_urgently ({done['id']}" in out
    assert out.index("Completion:") < out.index("Details:")  # before the record as filed
    _, md, _ = sw(capsys, data, "records", "export", "--format", "md")
    assert "### Completion" in md and "share\\_urgently" in md


def test_show_an_emergency_completed_without_a_decision_says_so(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    emergency = _filed_without_a_decision(data)
    sw(capsys, data, "records", "complete", emergency, "--record", str(DETAILS_FILE))
    _, out, _ = sw(capsys, data, "records", "show", emergency)
    assert "completed by entry 2 (" in out and ", no decision recorded" in out
    assert "  Decision: none recorded" in out

"""`sharewise walk --plain` starts the record from what the UI's form starts from.

The practitioner's remembered name, role and organisation, and the suggestions from the
walk's answers, are said on the prompt line and kept by Enter; a saved record remembers the
details for the next walk; `--forget-me` deletes them. All through standard input.
"""

from __future__ import annotations

import io
import json
import stat
import sys
from pathlib import Path

import pytest

from sharewise.cli import main
from sharewise.domain.record import RecordDetails
from sharewise.profile import load_profile, profile_path, save_profile
from sharewise.store import open_ledger

ROOT = Path(__file__).resolve().parents[2]
TREE = str(ROOT / "tests" / "fixtures" / "trees" / "example.yaml")
WALK = ["2", "1", "1"]  # the example tree: no danger, identifiable, a public authority

ME = {"name": "J. Okafor", "role": "Designated safeguarding lead", "organisation": "Riverside"}


def record(name: str, role: str, organisation: str) -> list[str]:
    """The record step on the example tree (which suggests nothing), practitioner given."""
    return [
        "yes",
        "CS-2026-00417",
        name,
        role,
        organisation,
        "Children's social care",
        "Duty social worker",
        "",
        "Disclosure of being hit at home",
        "",
        "no",
        "Seeking consent would put the child at greater risk.",
        "no",
        "Telling the family could increase the risk.",
        "",
        "",
        "Referral needed today.",
        "",
    ]


def run(lines: list[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{x}\n" for x in lines)))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    code = main(["--data-dir", str(data_dir), "walk", "--plain", *args])
    assert code == 0, out.getvalue()
    return out.getvalue()


def last_details(data_dir: Path) -> RecordDetails:
    with open_ledger(data_dir, create=False) as ledger:
        details = list(ledger.entries())[-1].details
    assert details is not None
    return details


def test_remembered_details_are_offered_and_kept_by_enter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_profile(tmp_path, ME)
    out = run([*WALK, *record("", "", "")], tmp_path, monkeypatch, "--tree", TREE)
    assert "Your name, remembered: J. Okafor (Enter keeps it, or type another): " in out
    assert "Your role, remembered: Designated safeguarding lead (Enter keeps it" in out
    assert "Your organisation, remembered: Riverside (Enter keeps it" in out
    assert "This is needed for the record." not in out
    who = last_details(tmp_path).practitioner
    assert (who.name, who.role, who.organisation) == (ME["name"], ME["role"], ME["organisation"])
    # The same details again: nothing new to tell.
    assert "filled in next time" not in out


def test_typing_replaces_a_remembered_detail_and_is_remembered_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_profile(tmp_path, ME)
    out = run(
        [*WALK, *record("A. Patel", "", "Hillside Academy")], tmp_path, monkeypatch, "--tree", TREE
    )
    who = last_details(tmp_path).practitioner
    assert (who.name, who.role, who.organisation) == ("A. Patel", ME["role"], "Hillside Academy")
    assert load_profile(tmp_path) == {
        "name": "A. Patel",
        "role": ME["role"],
        "organisation": "Hillside Academy",
    }
    assert "Your name, role and organisation will be filled in next time" in out


def test_a_record_saved_in_plain_mode_remembers_the_details_for_the_next_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = run(
        [*WALK, *record(ME["name"], ME["role"], ME["organisation"])],
        tmp_path,
        monkeypatch,
        "--tree",
        TREE,
    )
    assert "Your name: " in out and "remembered" not in out.split("Recorded as")[0]
    assert "Your name, role and organisation will be filled in next time on this computer." in out
    assert "sharewise walk --plain --forget-me" in out
    # The UI's file, with the UI's permissions: the same remembered details for both.
    path = profile_path(tmp_path)
    assert json.loads(path.read_text()) == ME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700

    out = run([*WALK, *record("", "", "")], tmp_path, monkeypatch, "--tree", TREE)
    assert "Your name, remembered: J. Okafor (Enter keeps it, or type another): " in out
    assert last_details(tmp_path).practitioner.organisation == ME["organisation"]


def test_forget_me_in_plain_mode_deletes_the_details(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_profile(tmp_path, ME)
    out = run([], tmp_path, monkeypatch, "--forget-me")
    assert out == "Your name, role and organisation are no longer remembered on this computer.\n"
    assert not profile_path(tmp_path).exists()
    assert run([], tmp_path, monkeypatch, "--forget-me").startswith("Nothing about you")
    # Asked again, not offered: an empty line is refused once more.
    details = record("B. Jones", "DSL", "School")
    details.insert(2, "")  # before the name: refused, then given
    out = run([*WALK, *details], tmp_path, monkeypatch, "--tree", TREE)
    assert "Your name: " in out and "This is needed for the record." in out
    assert last_details(tmp_path).practitioner.name == "B. Jones"


def test_control_characters_in_a_remembered_value_are_shown_inert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # C0 controls (ESC) never get into the profile; a C1 CSI and a right-to-left override can,
    # as they can into the record itself. Shown, they must not act on the terminal or reader.
    hostile = "Sam\x9b2J Example\u202etxt.exe"
    path = profile_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({**ME, "name": hostile}), encoding="utf-8")
    out = run([*WALK, *record("", "", "")], tmp_path, monkeypatch, "--tree", TREE)
    assert "Your name, remembered: Sam\\x9b2J Example\\u202etxt.exe (Enter keeps it" in out
    assert "\x9b" not in out and "\u202e" not in out
    # Kept, it is stored exactly as it was (a record is evidence); only the showing is inert.
    assert last_details(tmp_path).practitioner.name == hostile


# -- suggestions from the walk's answers (the England tree: the example tree suggests none) --


def disclosure_walk() -> list[str]:
    """The answers to the child-disclosure scenario on the England tree, one per question."""
    from sharewise import paths
    from sharewise.domain.graph import load_tree
    from sharewise.domain.scenarios import load_scenario
    from sharewise.domain.walk import Walk

    facts = load_scenario(paths.scenarios_dir() / "child-disclosure-at-school.yaml").facts
    walk = Walk(load_tree(paths.default_tree_path()))
    lines: list[str] = []
    while not walk.finished:
        lines.append(str(walk.index_for(facts) + 1))
        walk.answer_from(facts)
    return lines


CONSENT_REASON = (
    "Consent was not sought: asking would put the child or adult at greater risk, or "
    "prejudice their protection or an investigation."
)


def disclosure_record(role: str, sought: str, reason: str) -> list[str]:
    return [
        "yes",
        "CS-2026-00417",
        *ME.values(),
        "Children's social care",
        role,
        "",
        "Disclosure of being hit at home",
        "",
        sought,
        reason,
        "no",
        "Telling the family could increase the risk.",
        "",
        "",
        "Referral needed today.",
        "",
    ]


def test_suggestions_from_the_walk_are_offered_and_kept_by_enter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = run([*disclosure_walk(), *disclosure_record("", "", "")], tmp_path, monkeypatch)
    assert "Decision: SHARE" in out
    assert (
        "Their role, suggested from your answers: Safeguarding role "
        "(Enter keeps it, or type another): "
    ) in out
    assert (
        "Was consent sought? Suggested from your answers: no (Enter keeps it, or type yes/no): "
    ) in out
    assert f"sought, suggested from your answers: {CONSENT_REASON} (Enter keeps it" in out
    # Not asked in this walk, so nothing to suggest; the reasons are the person's to give.
    assert "Was the person told about the sharing? (yes/no): " in out
    assert "Your reasons: " in out
    details = last_details(tmp_path)
    assert details.recipient is not None and details.recipient.role == "Safeguarding role"
    assert details.consent is not None
    assert (details.consent.sought, details.consent.reason) == (False, CONSENT_REASON)


def test_answering_a_suggested_yes_or_no_otherwise_drops_its_suggested_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reason = "Sought from the child, who agreed; the parent was not asked."
    out = run(
        [*disclosure_walk(), *disclosure_record("Duty social worker", "yes", reason)],
        tmp_path,
        monkeypatch,
    )
    # "Consent was not sought: ..." would contradict the yes just typed.
    assert "Why consent was, or was not, sought: " in out
    details = last_details(tmp_path)
    assert details.recipient is not None and details.recipient.role == "Duty social worker"
    assert details.consent is not None
    assert (details.consent.sought, details.consent.reason) == (True, reason)

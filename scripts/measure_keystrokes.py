"""Keystrokes and wall time in a real terminal (tmux), from `sharewise` to a saved record.

    python scripts/measure_keystrokes.py                       # disclosure, 120x40
    python scripts/measure_keystrokes.py disclosure --size 80x24 --twice
    python scripts/measure_keystrokes.py emergency --size 80x24 --json
    python scripts/measure_keystrokes.py --settings --twice --cwd /tmp/older-checkout

`disclosure` is the child-disclosure-at-school scenario from launch to a saved record: the
answers come from the scenario's facts, worked out with the domain's own walk (so they follow
the tree, not a list typed by hand), and the record's details are typed. `emergency` is the
emergency record from launch (e on the home screen) to saved.

It starts sharewise in a detached tmux session of the size asked (`--size`, any), in a fresh
data folder, sends the keys with `tmux send-keys` (each typed character counts as a key),
and reads the screen with `capture-pane`, waiting for each screen by what it shows, as a
person would: the time is the script's on this machine, not a person's.

`--twice` runs a second session on the same data folder: what a returning practitioner types
(the form remembers their name, role and organisation). `--settings` first settles who is
sharing, the policy document and the care role in the Settings screen (counted apart: typed
once, not per case), so the walk asks fewer questions. `--cwd` runs another checkout (an
older commit unpacked with `git archive`), to measure before and after with the same script
and the same typed text. `--json` prints one JSON object per session.

Not a test (pytest does not collect it): it needs tmux. It merges what were two tools,
this one (keystrokes, --twice) and tests/tui/tmux_measure.py (any size, wall time).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "child-disclosure-at-school"
#: What a practitioner types for this scenario (only what the form does not already hold).
TYPED = {
    "case_ref": "CS-2026-00988",  # not the form's hint's example: a wait for it sees it typed
    "practitioner.name": "J. Okafor",
    "practitioner.role": "Designated safeguarding lead",
    "practitioner.organisation": "Riverside Primary School",
    "recipient.organisation": "Children's social care",
    "recipient.role": "Duty social worker",
    "information": "Disclosure of being hit at home; bruising seen on the arm.",
    "consent.reason": "Seeking consent would put the child at greater risk.",
    "informed.reason": "Telling the family first could increase the risk.",
    "rationale": "Disclosure of physical harm by a carer; referral needed today.",
}
#: The record form's fields, in its order (Enter goes from one to the next).
FORM_ORDER = [
    "case_ref", "practitioner.name", "practitioner.role", "practitioner.organisation",
    "recipient.organisation", "recipient.role", "recipient.name", "information",
    "method", "consent.sought", "consent.reason", "informed.told", "informed.reason",
    "identities_protected", "advice_sought", "rationale",
]  # fmt: skip
#: What the school settles once: a maintained school (a public authority), its appropriate
#: policy document in place, and a teacher (not a care professional).
SETTLED = {"sharer": "public_authority", "apd_in_place": "yes", "care_professional": "no"}
EMERGENCY = ["NEW-2026-12-01", "J. Okafor", "Class teacher", "Riverside Primary School"]


def answer_keys(settled: dict[str, str]) -> list[str]:
    """The number key for each question the walk asks on this scenario, given the settings."""
    sys.path.insert(0, str(ROOT))
    from sharewise import paths
    from sharewise.domain.graph import load_tree
    from sharewise.domain.scenarios import load_scenario
    from sharewise.domain.walk import Walk

    facts = load_scenario(paths.scenarios_dir() / f"{SCENARIO}.yaml").facts
    walk = Walk(load_tree(paths.default_tree_path()), preset=settled)
    keys = []
    while walk.question is not None:
        # By the facts, not a value: one answer may settle two facts (a paired question),
        # and several answers then share a value.
        index = walk.index_for(facts)
        assert index < 9, "an answer past the ninth option needs arrow keys"
        keys.append(str(index + 1))
        walk.answer_from(facts)
    return keys


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


@dataclass
class Terminal:
    """sharewise running in a detached tmux session of a given size; what was sent to it."""

    name: str
    keys: int = 0
    typed: int = 0
    #: Keys spent once in the Settings screen (not counted in `keys`).
    settings_keys: int = 0
    started: float = field(default_factory=time.monotonic)

    @classmethod
    def start(cls, name: str, size: tuple[int, int], cwd: Path, data: Path) -> Terminal:
        tmux("kill-session", "-t", name)
        command = f"cd {cwd} && {sys.executable} -m sharewise --data-dir {data}; sleep 30"
        width, height = size
        tmux("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command)
        return cls(name)

    def screen(self) -> str:
        return tmux("capture-pane", "-p", "-t", self.name)

    def wait(self, text: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text in self.screen():
                return
            time.sleep(0.05)
        raise SystemExit(f"timed out waiting for {text!r}:\n{self.screen()}")

    def changed(self, before: str, timeout: float = 10) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end and self.screen() == before:
            time.sleep(0.02)

    def key(self, *names: str) -> None:
        for name in names:
            tmux("send-keys", "-t", self.name, name)
            self.keys += 1
            # Escape and a key straight after it reach the app as one alt+key sequence.
            time.sleep(0.3 if name == "Escape" else 0.03)

    def type(self, text: str) -> None:
        tmux("send-keys", "-t", self.name, "-l", text)
        self.keys += len(text)
        self.typed += len(text)
        self.wait(text.strip()[-12:])

    def close(self) -> None:
        tmux("kill-session", "-t", self.name)


def settle(t: Terminal) -> None:
    """In the Settings screen (from home): choose each settled answer, save, go back."""
    order = ["sharer", "care_professional", "apd_in_place"]  # the screen's order
    values = {
        "sharer": ["public_authority", "competent_authority", "other_organisation"],
        "care_professional": ["yes", "no"],
        "apd_in_place": ["yes", "no"],
    }
    t.key("g")
    t.wait("Ask in every case")
    time.sleep(0.3)
    for n, fact in enumerate(order):
        if n:
            t.key("Tab")
        for _ in range(values[fact].index(SETTLED[fact]) + 1):  # below "Ask in every case"
            t.key("Down")
        t.key("Enter")
    t.key("C-s")
    t.wait("Saved.")
    t.key("Escape")
    t.wait("Start a decision")  # home (the Settings screen says "Settled" too)


def disclosure(t: Terminal, returning: bool, settings: bool) -> None:
    t.wait("law as at")  # the tree has loaded
    if settings and not returning:
        settle(t)
        t.settings_keys, t.keys, t.typed = t.keys, 0, 0
    t.key("s")
    t.wait("Question")
    for answer in answer_keys(SETTLED if settings else {}):
        before = t.screen()
        t.key(answer)
        t.changed(before)
    t.wait("Record this decision")
    t.key("r")
    t.wait("Fields marked * must be filled in")  # the form's (the outcome also says "Record")
    time.sleep(0.3)
    # Field by field in the form's order, Enter to the next. A field the form already holds
    # (remembered, or a suggestion the practitioner keeps) is passed with Enter.
    suggested = "SUGGESTED" in t.screen()
    for key in FORM_ORDER:
        if key in ("consent.sought", "informed.told"):
            if not (suggested and key == "consent.sought"):  # else the suggested "no" is right
                t.key("n")  # answers (only: Enter moves on, issue 11)
            t.key("Enter")
            time.sleep(0.15)
            continue
        text = TYPED.get(key, "")
        if returning and key.startswith("practitioner."):
            text = ""  # remembered
        if suggested and key == "consent.reason":
            text = ""  # the suggestion says it
        if suggested and key == "rationale":
            text = TYPED["rationale"][0].lower() + TYPED["rationale"][1:]
        if text:
            t.type(text)
        if key == "rationale":
            break
        t.key("Enter")
        time.sleep(0.15)
    t.key("C-s")


def emergency(t: Terminal, returning: bool, settings: bool) -> None:
    t.wait("law as at")
    t.key("e")
    t.wait("ACT NOW")
    time.sleep(0.3)
    for value in EMERGENCY:
        if not (returning and value != EMERGENCY[0]):  # a returning one's details: remembered
            t.type(value)
        t.key("Enter")
        time.sleep(0.15)
    t.key("C-s")


def session(
    case: str, size: tuple[int, int], cwd: Path, data: Path, **how: bool
) -> dict[str, object]:
    """One session from launch to a saved record: what it took."""
    t = Terminal.start(f"sw-measure-{case}-{size[0]}", size, cwd, data)
    try:
        (disclosure if case == "disclosure" else emergency)(t, **how)
        t.wait("Record ID:", 30)
        seconds = time.monotonic() - t.started
    finally:
        t.close()
    return {
        "case": SCENARIO if case == "disclosure" else "emergency record",
        "size": f"{size[0]}x{size[1]}",
        "returning": how["returning"],
        "keys": t.keys,
        "typed_characters": t.typed,
        "other_keys": t.keys - t.typed,
        "settings_keys": t.settings_keys,
        "seconds": round(seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "case", nargs="?", default="disclosure", choices=["disclosure", "emergency"]
    )
    parser.add_argument("--size", default="120x40", help="WIDTHxHEIGHT (default 120x40)")
    parser.add_argument("--twice", action="store_true", help="and a returning practitioner")
    parser.add_argument(
        "--settings", action="store_true", help="settle the school's answers first (once)"
    )
    parser.add_argument("--cwd", default=str(ROOT), help="the checkout to run (default this)")
    parser.add_argument("--data", help="the data folder (default: a fresh temporary one)")
    parser.add_argument("--json", action="store_true", help="one JSON object per session")
    args = parser.parse_args(argv)
    try:
        size = tuple(int(x) for x in args.size.lower().split("x"))
        if len(size) != 2 or min(size) < 1:
            raise ValueError
    except ValueError:
        parser.error(f"--size {args.size!r}: give WIDTHxHEIGHT, e.g. 80x24")
    if shutil.which("tmux") is None:
        parser.error("needs tmux")
    with tempfile.TemporaryDirectory() as folder:
        data = Path(args.data) if args.data else Path(folder) / "data"
        shutil.rmtree(data, ignore_errors=True)
        if not args.json and args.case == "disclosure":
            print(f"answer keys: {' '.join(answer_keys(SETTLED if args.settings else {}))}")
        runs = [False, True] if args.twice else [False]
        for returning in runs:
            found = session(
                args.case,
                (size[0], size[1]),
                Path(args.cwd),
                data,
                returning=returning,
                settings=args.settings,
            )
            if args.json:
                print(json.dumps(found))
                continue
            if found["settings_keys"]:
                print(f"settings, once: {found['settings_keys']} keystrokes in Settings")
            who = "returning:    " if returning else "first session:"
            print(
                f"{who} {found['keys']} keystrokes ({found['typed_characters']} typed "
                f"characters), {found['seconds']} s to the saved record at {found['size']}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

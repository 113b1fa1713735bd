"""Keystrokes and wall time in a real terminal (tmux), for the closing note of issue 11.

    python -m tests.tui.tmux_measure disclosure 80x24
    python -m tests.tui.tmux_measure emergency 120x40

`disclosure` is the child-disclosure-at-school scenario from launch to a saved record (the
answers come from the scenario's facts, as a practitioner who knows the case would give
them; the record's details are typed); `emergency` is F2's record from launch (e on the home
screen) to saved. Each starts sharewise in a fresh data folder (nothing remembered, no
settings), sends the keys one by one with `tmux send-keys`, and reads the screen with
`capture-pane`. It waits for each screen before typing into it, as a person would (0.3 s
when a form appears, 0.15 s after each Enter in a form): the time is the script's, on this
machine, not a person's. Not a test (pytest does not collect it): it needs tmux.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHAREWISE = str(Path(sys.executable).with_name("sharewise"))
SCENARIO = "child-disclosure-at-school"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


class Terminal:
    """sharewise running in a detached tmux session of a given size."""

    def __init__(self, name: str, width: int, height: int, data: Path) -> None:
        self.name, self.keys, self.typed = name, 0, 0
        shutil.rmtree(data, ignore_errors=True)
        tmux("kill-session", "-t", name)
        self.started = time.monotonic()
        command = f"{SHAREWISE} --data-dir {data}; sleep 30"
        tmux("new", "-d", "-s", name, "-x", str(width), "-y", str(height), command)

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

    def key(self, *keys: str) -> None:
        for k in keys:
            tmux("send-keys", "-t", self.name, k)
            self.keys += 1
            time.sleep(0.03)

    def type(self, text: str) -> None:
        tmux("send-keys", "-t", self.name, "-l", text)
        self.keys += len(text)
        self.typed += len(text)
        self.wait(text[-12:])

    def field(self, value: str | None) -> None:
        """One field of a form: type its value (None keeps what is there), then Enter."""
        if value:
            self.type(value)
        self.key("Enter")
        time.sleep(0.15)

    def saved(self) -> float:
        self.wait("Entry 1 in the ledger", 30)
        return time.monotonic() - self.started

    def close(self) -> None:
        tmux("kill-session", "-t", self.name)


def answers() -> list[int]:
    """The answer numbers the scenario's facts give, question by question."""
    from sharewise import paths
    from sharewise.domain.graph import load_tree
    from sharewise.domain.scenarios import load_scenario
    from sharewise.domain.walk import Walk

    facts = load_scenario(paths.scenarios_dir() / f"{SCENARIO}.yaml").facts
    walk, numbers = Walk(load_tree(paths.default_tree_path())), []
    while not walk.finished:
        numbers.append(walk.index_for(facts) + 1)
        walk.choose(walk.choices()[numbers[-1] - 1])
    return numbers


def disclosure(t: Terminal) -> None:
    t.wait("law as at")
    t.key("Enter")
    t.wait("immediate danger")
    for n in answers():
        assert n <= 9, "an answer past 9 needs the arrows"
        before = t.screen()
        t.key(str(n))
        t.changed(before)
    t.wait("Record this decision")
    t.key("r")
    t.wait("Fields marked * must be filled in")  # the form's (the outcome also says "Record the")
    time.sleep(0.3)
    for value in (
        "CS-2026-00988",  # not the hint's example, so the wait below sees it typed
        "J. Okafor",
        "Class teacher",
        "Riverside Primary School",
        "Children's social care",
        None,  # their role: suggested from the answers
        None,  # their name: optional
        "Disclosure of being hit at home; bruise on the arm",
        "Phone, then secure email",
        None,  # consent sought: suggested no
        None,  # why not: suggested
        None,  # told: suggested no
        "Telling her stepfather could increase the risk to her",
        None,  # identities protected: optional
        None,  # advice sought: optional
    ):
        t.field(value)
    t.type(" she disclosed being hit at home and social care must assess today")
    t.key("C-s")


def emergency(t: Terminal) -> None:
    t.wait("law as at")
    t.key("e")
    t.wait("ACT NOW")
    time.sleep(0.3)
    for value in ("NEW-2026-12-01", "J. Okafor", "Class teacher", "Riverside Primary School"):
        t.field(value)
    t.key("C-s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("case", choices=["disclosure", "emergency"])
    parser.add_argument("size", help="WIDTHxHEIGHT, e.g. 80x24")
    args = parser.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    with tempfile.TemporaryDirectory() as folder:
        t = Terminal(f"sw-{args.case}-{width}", width, height, Path(folder) / "data")
        try:
            (disclosure if args.case == "disclosure" else emergency)(t)
            seconds = t.saved()
        finally:
            t.close()
    figures = {
        "case": SCENARIO if args.case == "disclosure" else "emergency record",
        "size": args.size,
        "keys": t.keys,
        "typed_characters": t.typed,
        "other_keys": t.keys - t.typed,
        "seconds": round(seconds, 1),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Count the keystrokes from `sharewise` to a saved record of "child-disclosure-at-school".

Drives the real UI in tmux (120x40) as a person at the keyboard would: send-keys one key or
one typed field at a time, waiting for each screen by what it shows, and counts every key
(each typed character is one). Run: python scripts/measure_keystrokes.py [--cwd DIR] [--twice]
[--settings]

--cwd runs another checkout (e.g. an older commit unpacked with `git archive`), to measure
before and after with the same script and the same typed text. --twice runs a second
session on the same data folder: what a returning practitioner types. --settings first
settles who is sharing, the policy document and the care role in the Settings screen (those
keys are counted apart: they are typed once, not per case), so the walk asks fewer questions.

The answer keys are worked out from the scenario's facts with the domain's own walk (and the
same settled answers), so they follow the tree rather than a list typed by hand.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

SESSION = "swkeys"
#: What a practitioner types for this scenario (only what the form does not already hold).
TYPED = {
    "case_ref": "CS-2026-00417",
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
SCENARIO = "child-disclosure-at-school"
#: What the school settles once: a maintained school (a public authority), its appropriate
#: policy document in place, and a teacher (not a care professional).
SETTLED = {"sharer": "public_authority", "apd_in_place": "yes", "care_professional": "no"}


def answer_keys(settled: dict[str, str]) -> list[str]:
    """The number key for each question the walk asks on this scenario, given the settings."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
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


class Keys:
    def __init__(self) -> None:
        self.count = 0
        self.typed = 0
        #: Keys spent once in the Settings screen (not counted in `count`).
        self.settings_keys = 0

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", SESSION)

    def wait_for(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.screen():
                return
            time.sleep(0.1)
        raise SystemExit(f"timed out waiting for {text!r}:\n{self.screen()}")

    def key(self, name: str) -> None:
        self.tmux("send-keys", "-t", SESSION, name)
        self.count += 1
        time.sleep(0.15)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", SESSION, "-l", text)
        self.count += len(text)
        self.typed += len(text)
        time.sleep(0.15)


def field_value(screen: str, label: str) -> str:
    for line in screen.splitlines():
        if label in line:
            return line.split(label, 1)[1].strip(" *")
    return ""


def settle(k: Keys) -> None:
    """In the Settings screen (from home): choose each settled answer, save, go back."""
    order = ["sharer", "care_professional", "apd_in_place"]  # the screen's order
    values = {
        "sharer": ["public_authority", "competent_authority", "other_organisation"],
        "care_professional": ["yes", "no"],
        "apd_in_place": ["yes", "no"],
    }
    k.key("g")
    k.wait_for("Ask in every case")
    time.sleep(0.3)
    for n, fact in enumerate(order):
        if n:
            k.key("Tab")
        for _ in range(values[fact].index(SETTLED[fact]) + 1):  # below "Ask in every case"
            k.key("Down")
        k.key("Enter")
    k.key("C-s")
    k.wait_for("Saved.")
    k.key("Escape")
    k.wait_for("Settled for every case")


def run_once(cwd: Path, data: Path, returning: bool, settings: bool = False) -> Keys:
    k = Keys()
    cmd = f"cd {cwd} && {sys.executable} -m sharewise --data-dir {data}"
    k.tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40", cmd)
    try:
        k.wait_for("Start a decision")
        k.wait_for("law as at")  # the tree has loaded
        if settings and not returning:
            settle(k)
            k.settings_keys, k.count = k.count, 0
        k.key("s")
        for answer in answer_keys(SETTLED if settings else {}):
            k.wait_for("Question")
            k.key(answer)
        k.wait_for("Record this decision")
        k.key("Enter")
        k.wait_for("Case reference")
        # Field by field in the form's order, Enter to the next. A field the form already
        # holds (remembered, or a suggestion the practitioner keeps) is passed with Enter.
        order = [
            "case_ref", "practitioner.name", "practitioner.role", "practitioner.organisation",
            "recipient.organisation", "recipient.role", "recipient.name", "information",
            "method", "consent.sought", "consent.reason", "informed.told", "informed.reason",
            "identities_protected", "advice_sought", "rationale",
        ]  # fmt: skip
        screen = k.screen()
        suggested = "SUGGESTED" in screen
        for key in order:
            if key in ("consent.sought", "informed.told"):
                if suggested and key == "consent.sought":
                    k.key("Enter")  # the suggested "no" is right
                else:
                    k.key("n")  # answers and moves on
                continue
            text = TYPED.get(key, "")
            if returning and key.startswith("practitioner."):
                text = ""  # remembered
            if suggested and key == "consent.reason":
                text = ""  # the suggestion says it
            if suggested and key == "rationale":
                text = TYPED["rationale"][0].lower() + TYPED["rationale"][1:]
            if text:
                k.type(text)
            if key == "rationale":
                break
            k.key("Enter")
        k.key("C-s")
        k.wait_for("Record saved")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], check=False)
    return k


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cwd", default=str(Path(__file__).resolve().parents[1]))
    parser.add_argument("--data", default="/tmp/swdemo")
    parser.add_argument("--twice", action="store_true")
    parser.add_argument(
        "--settings", action="store_true", help="settle the school's answers first (once)"
    )
    args = parser.parse_args()
    data = Path(args.data)
    shutil.rmtree(data, ignore_errors=True)
    start = time.monotonic()
    print(f"answer keys: {' '.join(answer_keys(SETTLED if args.settings else {}))}")
    first = run_once(Path(args.cwd), data, returning=False, settings=args.settings)
    if args.settings:
        print(f"settings, once: {first.settings_keys} keystrokes in the Settings screen")
    print(f"first session: {first.count} keystrokes ({first.typed} typed characters), "
          f"{time.monotonic() - start:.0f} s of scripted driving")  # fmt: skip
    if args.twice:
        second = run_once(Path(args.cwd), data, returning=True, settings=args.settings)
        print(f"returning:     {second.count} keystrokes ({second.typed} typed characters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Someone in danger now: the words that come before any question, in the UI and plain mode.

One wording for both, so a practitioner who uses the plain walk (a screen reader, a remote
session) is told exactly what a sighted one is. The fact is named here once: the UI and the
plain walk act on the *fact* `immediate_danger` answered yes, never on a tree's outcome ids,
so a rewritten tree keeps the act-now behaviour.
"""

from __future__ import annotations

from collections.abc import Mapping

#: The fact whose "yes" means someone is in danger now (contract/facts.yaml).
DANGER_FACT = "immediate_danger"
DANGER_YES = "yes"

ACT_NOW = (
    "ACT NOW. If someone is in immediate danger, call 999.\n"
    "Then tell your designated safeguarding lead or the duty team (children's or adults' "
    "social care) straight away.\n"
    "You do not need consent, or this program, to protect someone's life. Share what is "
    "needed to keep them safe."
)

#: What the call handler or the duty worker will ask first: to have it ready saves minutes.
WHAT_TO_TELL: tuple[str, ...] = (
    "who is in danger, and where they are now",
    "what the danger is, and how soon it could happen",
    "what you saw or were told (their own words, if you can)",
    "who else may be at risk: children in the home, other adults",
    "your name, your role and a number to call you back on",
)

#: How the questions after a "yes" are marked: they no longer decide whether to share.
FOR_THE_RECORD = (
    "Someone is in danger: act first (999, the duty team). The questions that follow are for the "
    "record only; you can leave them and finish them when you complete the emergency record."
)


def act_now_text() -> str:
    """The act-now advice and what to have ready for the call, as plain lines."""
    lines = [ACT_NOW, "", "What to tell 999 or the duty team:"]
    lines += [f"  - {item}" for item in WHAT_TO_TELL]
    return "\n".join(lines)


def in_danger(facts: Mapping[str, object]) -> bool:
    """Whether the facts settled so far say someone is in danger now."""
    return facts.get(DANGER_FACT) == DANGER_YES

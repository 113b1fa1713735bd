"""A warning heuristic: free text that looks like it names a person where a case ref would do.

In the domain because the UI form and the plain walk (`cli/`) both warn with it, and
the CLI must not reach into the UI package.

Records are kept for years and read by auditors; data minimisation says a case reference is
usually enough. The check is deliberately rough (it warns, never blocks), so false alarms cost
a glance and missed names cost nothing worse than today.
"""

from __future__ import annotations

import itertools
import re

_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Master|Sir|Dame|Prof)"
# A capitalised word, with inner capitals after an apostrophe or hyphen (O'Neil, Jo-Anne).
_WORD = r"[A-Z][a-z]*(?:['\-][A-Z]?[a-z]+)*"
_TITLED = re.compile(rf"\b{_TITLES}\.?\s+{_WORD}")
# Two or three capitalised words in a row ("Maya Smith", "Jo-Anne O'Neil").
_PAIR = re.compile(rf"\b({_WORD})(?:\s+({_WORD})){{1,2}}\b")

# Capitalised words that are common in safeguarding text and are not names.
_NOT_NAMES = frozenset(
    """A An And The This That These Those He She They It We I You His Her Their Our My Your
    Child Children Children's Adult Adults Social Care Services Service Team Duty Police
    School Primary Secondary Academy College Nursery Council County City Borough Trust
    NHS Health Hospital Clinic Practice Surgery GP Board Safeguarding Designated Lead
    Head Teacher Deputy Officer Worker Nurse Doctor Manager Court Family Youth Club Centre
    Local Authority Early Help Mental Housing Probation Office Department Ward Unit
    Emergency Department Ambulance Fire Rescue Multi Agency Hub Front Door Support Services
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    January February March April May June July August September October November December
    England Wales Scotland Ireland United Kingdom UK Secure Email Phone Call Letter Meeting
    Act Section Schedule Article Data Protection General Regulation Working Together
    Consent Referral Report Record Case Reference Information Sharing Advice
    """.split()  # noqa: SIM905 (a word list reads better as prose)
)


def name_like(text: str) -> list[str]:
    """The phrases in `text` that look like a person's name (empty when none do)."""
    found: list[str] = []
    for match in _TITLED.finditer(text):
        found.append(match.group())
    for match in _PAIR.finditer(text):
        words = match.group().split()
        if any(w.removesuffix("'s") in _NOT_NAMES or w in _NOT_NAMES for w in words):
            # Keep a pair only if at least two adjacent words are both name-like.
            kept = [
                w for w in words if w not in _NOT_NAMES and w.removesuffix("'s") not in _NOT_NAMES
            ]
            if len(kept) < 2 or not _adjacent(words, kept):
                continue
            phrase = " ".join(kept)
        else:
            phrase = match.group()
        if not any(phrase in f or f in phrase for f in found):
            found.append(phrase)
    return found


def _adjacent(words: list[str], kept: list[str]) -> bool:
    positions = [i for i, w in enumerate(words) if w in kept]
    return any(b - a == 1 for a, b in itertools.pairwise(positions))


def name_warning(text: str) -> str:
    """A plain warning for a form, or "" when the text does not look like it names anyone."""
    names = name_like(text)
    if not names:
        return ""
    shown = ", ".join(f"“{n}”" for n in names[:3])
    return (
        f"This may name a person ({shown}). If a case reference or a role would do, use that "
        "instead: records are kept for years. (A warning only: you can save as it is.)"
    )

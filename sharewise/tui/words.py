"""Plain words for the UI: the domain's wording (domain/words.py), plus colours and yes/no."""

from __future__ import annotations

from sharewise.domain.tree import Decision
from sharewise.domain.words import DECISION_WORDS, LAW_GROUPS, decision_words

__all__ = [
    "DECISION_WORDS",
    "LAW_GROUPS",
    "SETTLED",
    "SETTLED_FACT_WORDS",
    "decision_class",
    "decision_words",
    "settled_names",
    "yes_no",
]


def decision_class(decision: Decision) -> str:
    """The CSS class that colours a decision (`-share`, `-do-not-share`, ...)."""
    return "-" + decision.value.replace("_", "-")


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


#: How a settled answer (from the settings, not asked) is marked wherever answers are listed.
SETTLED = "settled in your settings"
#: The same, short enough for the breadcrumb column.
SETTLED_SHORT = "settled in settings"

#: Short names of the facts that may be settled, for one-line summaries.
SETTLED_FACT_WORDS: dict[str, str] = {
    "sharer": "who is sharing",
    "apd_in_place": "the policy document",
    "care_professional": "your care role",
}


def settled_names(settled: dict[str, str]) -> str:
    """The settled facts as a phrase ("who is sharing, the policy document")."""
    return ", ".join(SETTLED_FACT_WORDS.get(f, f.replace("_", " ")) for f in settled)

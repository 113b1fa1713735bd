"""Plain words for the UI: the domain's wording (domain/words.py), plus colours and yes/no."""

from __future__ import annotations

from textual.dom import DOMNode

from sharewise.domain.nodes import Decision
from sharewise.domain.words import DECISION_WORDS, LAW_GROUPS, decision_words

__all__ = [
    "DECISION_WORDS",
    "LAW_GROUPS",
    "SETTLED",
    "SETTLED_FACT_WORDS",
    "decision_class",
    "decision_words",
    "session_names",
    "settled_names",
    "training_kept",
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
    "organisation_kind": "the kind of public body",
}


def settled_names(settled: dict[str, str]) -> str:
    """The settled facts as a phrase ("who is sharing, the policy document")."""
    return ", ".join(SETTLED_FACT_WORDS.get(f, f.replace("_", " ")) for f in settled)


def session_names(node: DOMNode) -> tuple[str | None, str | None]:
    """The training session joined in this app and the trainee's name (None outside one, and
    in a test host that has no session)."""
    app = node.app
    return getattr(app, "training_session", None), getattr(app, "trainee", None)


def training_kept(session: str | None, trainee: str | None) -> str:
    """What becomes of an exercise, for the training banners: in a session with the
    trainee's name, the attempt is kept for the trainer; otherwise nothing is kept. Never a
    real decision either way. (An emergency record filed from training is real: the
    emergency screen says so.)"""
    from sharewise.domain.safe_text import safe_line

    if session and trainee:
        return (
            f"kept for your trainer (session {safe_line(session)}, as {safe_line(trainee)}), "
            "never as a real decision"
        )
    if session:
        return (
            f"session {safe_line(session)}: give your name (n on the list) and your answers "
            "are kept for your trainer; never a real decision"
        )
    return "practice only: nothing is kept unless you export the debrief; never a real decision"

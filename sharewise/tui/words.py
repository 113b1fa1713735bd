"""Plain words for the domain's codes: decisions, law groups and yes/no, as people read them."""

from __future__ import annotations

from sharewise.domain.tree import Decision

DECISION_WORDS: dict[Decision, str] = {
    Decision.SHARE_URGENTLY: "Share now: this is urgent",
    Decision.SHARE: "Share",
    Decision.DO_NOT_SHARE: "Do not share",
    Decision.SEEK_ADVICE: "Get advice before deciding",
    Decision.NO_PERSONAL_DATA: "Not personal data: data protection does not restrict it",
}

#: The groups of an outcome's law, in the order a record states them.
LAW_GROUPS: dict[str, str] = {
    "basis": "Lawful basis (UK GDPR Article 6)",
    "special_category": "Special category condition (Article 9)",
    "criminal_offence": "Criminal offence data (Article 10)",
    "confidentiality": "Confidentiality",
    "transparency": "Telling the person",
    "supporting": "Also relied on",
}


def decision_words(decision: Decision) -> str:
    """The decision as a short phrase a practitioner can act on."""
    return DECISION_WORDS.get(decision, decision.value.replace("_", " "))


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

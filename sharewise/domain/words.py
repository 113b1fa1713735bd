"""Plain words for the domain's codes (decisions, the groups of an outcome's law).

One wording for the terminal UI, the plain walk, training debriefs and `decide`'s text, so a
practitioner reads the same phrase for the same decision whichever way they use sharewise.
"""

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

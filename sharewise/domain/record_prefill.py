"""Suggestions for a record's fields from what the walk already knows, for the person to check.

The walk has already asked whether consent was sought (or why not), whether the recipient
has a safeguarding role and whether telling the person would increase the risk. Asking the
practitioner to type it all again costs minutes under stress; guessing silently would put
words in their mouth in a legal record. So these are *suggestions*: each says where it came
from, the form shows it marked as such, and the person edits or keeps it. Pure: no UI, no
disk, so the plain walk and the tests can use it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sharewise.domain.result import DecisionResult


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A starting value for one field (text, or "yes"/"no" for a switch) and its source."""

    value: str
    source: str


#: Why consent was not sought, in a sentence a record can keep (`without_consent_reason`).
WITHOUT_CONSENT_WORDS: dict[str, str] = {
    "cannot_be_given": (
        "Consent was not sought: the person cannot give consent in the circumstances "
        "(too young to understand, or lacks capacity)."
    ),
    "cannot_reasonably_obtain": "Consent could not reasonably be obtained.",
    "would_prejudice_protection": (
        "Consent was not sought: asking would put the child or adult at greater risk, or "
        "prejudice their protection or an investigation."
    ),
    "none": "Consent could have been sought and has not been.",
}

CONSENT_WORDS: dict[str, tuple[bool, str]] = {
    "given": (True, "Consent was sought and the person agreed to this sharing."),
    "given_explicitly": (
        True,
        "Consent was sought and the person gave explicit consent to this sharing, on record.",
    ),
    "refused": (True, "Consent was sought and refused."),
    "not_sought": (False, "Consent was not sought."),
}

RECIPIENT_ROLE_WORDS: dict[str, str] = {
    "safeguarding_role": "Safeguarding role",
    "no_safeguarding_role": "No safeguarding role",
}

TELLING_WORDS: dict[str, tuple[bool, str]] = {
    "yes": (
        False,
        "Not told: telling the person or family would increase the risk to someone, or "
        "prejudice a criminal investigation.",
    ),
    "no": (True, "It is safe to tell them, so they are told about the sharing."),
}

#: The rationale skeleton ends here; the person finishes the sentence.
BECAUSE = " because "


def suggestions(result: DecisionResult) -> dict[str, Suggestion]:
    """Suggested values by form key (`consent.sought`, `consent.reason`, `recipient.role`,
    `informed.told`, `informed.reason`, `rationale`); a field the walk says nothing about
    (or answered "not sure") gets none."""
    answers = {s.fact: (s.answer, s.label) for s in result.path}
    out: dict[str, Suggestion] = {}

    consent = answers.get("consent")
    reason = answers.get("without_consent_reason")
    if consent is not None and consent[0] in CONSENT_WORDS:
        sought, words = CONSENT_WORDS[consent[0]]
        source = f"your answer about consent: “{consent[1]}”"
        out["consent.sought"] = Suggestion("yes" if sought else "no", source)
        # A reason for sharing without consent adds to "not sought" or "refused"; "none of
        # these" adds nothing to a refusal but a contradiction.
        why = reason[0] if reason is not None else None
        if (
            consent[0] in ("not_sought", "refused")
            and why in WITHOUT_CONSENT_WORDS
            and (consent[0], why) != ("refused", "none")
        ):
            assert reason is not None and why is not None
            words = _join(words, WITHOUT_CONSENT_WORDS[why])
            source += f" and why: “{reason[1]}”"
        out["consent.reason"] = Suggestion(words, source)
    elif reason is not None and reason[0] in WITHOUT_CONSENT_WORDS:
        source = f"your answer about sharing without consent: “{reason[1]}”"
        # "cannot reasonably obtain" includes sought-and-refused: the switch is theirs to set.
        if reason[0] != "cannot_reasonably_obtain":
            out["consent.sought"] = Suggestion("no", source)
        out["consent.reason"] = Suggestion(WITHOUT_CONSENT_WORDS[reason[0]], source)

    role = answers.get("recipient_role")
    if role is not None and role[0] in RECIPIENT_ROLE_WORDS:
        out["recipient.role"] = Suggestion(
            RECIPIENT_ROLE_WORDS[role[0]], f"your answer about the recipient: “{role[1]}”"
        )

    telling = answers.get("telling_increases_risk")
    if telling is not None and telling[0] in TELLING_WORDS:
        told, words = TELLING_WORDS[telling[0]]
        source = f"your answer about telling them: “{telling[1]}”"
        out["informed.told"] = Suggestion("yes" if told else "no", source)
        out["informed.reason"] = Suggestion(words, source)

    out["rationale"] = Suggestion(
        rationale_skeleton(result), f"the outcome: “{result.outcome.title}”"
    )
    return out


def rationale_skeleton(result: DecisionResult) -> str:
    """The start of a rationale from the outcome's title, for the person to finish."""
    return result.outcome.title.rstrip(" .") + BECAUSE


def is_unfinished(text: str, result: DecisionResult) -> bool:
    """Whether a rationale is still only the skeleton (the reasons are the person's to give)."""
    return text.strip() == rationale_skeleton(result).strip()


def _join(first: str, second: str) -> str:
    # "Consent was not sought." + "Consent was not sought: asking ..." says it twice.
    if second.startswith(first.rstrip(".")):
        return second
    return f"{first} {second}"

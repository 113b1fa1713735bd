"""Plain words for the domain's codes (decisions, the groups of an outcome's law).

One wording for the terminal UI, the plain walk, training debriefs and `decide`'s text, so a
practitioner reads the same phrase for the same decision whichever way they use sharewise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# The plain classes, not the pydantic models: the UI shows these words while a person walks,
# before pydantic is imported (see `nodes.py`).
from sharewise.domain.nodes import Decision, Law, LawLike

if TYPE_CHECKING:
    from sharewise.domain.nodes import Citations

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
    # Not "Also relied on": where the kind of public body is not known the group lists the
    # statutory functions of councils, NHS bodies and schools alike (Children Act 1989 s.47
    # is the council's, Education Act 2002 s.175 a school's), and a statutory duty's outcome
    # names duties whose commencement is unconfirmed (LAW.md). A record must not say it
    # relied on law that is not its sharer's; the practitioner names their own function in
    # the record. Where the kind is known (`organisation_kind`) the England tree lists only
    # that body's functions, and the heading is still true over them; it is chosen by the
    # group alone, as an outcome carries nothing that says whose list it is
    # (docs/tree-law.md, section 1).
    "supporting": "Background law and guidance (rely on what applies to your organisation)",
}


#: Under DPA 2018 Part 3 (a competent authority processing for law enforcement) the law is
#: not Article 6 and Article 9 but its own: these are the groups a person reads there.
PART3_LAWFUL = "Lawful processing (DPA 2018 s.35)"
PART3_SENSITIVE = "Sensitive processing (Sch 8)"


def law_group_of(group: str, cid: str) -> str:
    """The heading a citation is read under: its group, by the regime it belongs to."""
    if group == "basis" and cid.startswith("dpa2018.s35"):
        return PART3_LAWFUL
    if group in ("special_category", "criminal_offence") and cid.startswith("dpa2018.sch8."):
        return PART3_SENSITIVE
    return LAW_GROUPS[group]


def law_sections(law: LawLike) -> list[tuple[str, list[str]]]:
    """An outcome's law as a person reads it: (heading, citation ids) in the record's order,
    with Part 3 citations under Part 3's own headings rather than "Article 6" and "Article 9".
    """
    found: dict[str, list[str]] = {}
    for group in Law.GROUPS:
        for cid in getattr(law, group):
            found.setdefault(law_group_of(group, cid), []).append(cid)
    return list(found.items())


def citation_title(cid: str, registry: Citations | None) -> str:
    """A citation as a person reads it: its title from the registry ("UK GDPR Art 6(1)(e) -
    public task"); the id itself only when the registry does not know it."""
    found = registry.get(cid) if registry is not None else None
    return found.title if found is not None else cid


def decision_words(decision: Decision) -> str:
    """The decision as a short phrase a practitioner can act on."""
    return DECISION_WORDS.get(decision, decision.value.replace("_", " "))


def outcome_heading(decision: Decision, title: str, sep: str = ": ") -> str:
    """The decision and the outcome's title in one line, without saying the decision twice.

    Many titles already open with the decision ("Share under public task", "Do not share:
    ..."); putting the decision's words in front of those would say the decision twice
    ("Share: Share under public task"). Such a title stands alone; any other gets the
    words, as the urgent outcome's "Call 999 or the duty team now" does ("Share now: this
    is urgent: Call 999 or the duty team now").
    """
    words = decision_words(decision)
    lead = words.split(":")[0].casefold()
    head = title.casefold()
    if head.startswith(lead) and head[len(lead) : len(lead) + 1] in ("", ":", " ", ";", ","):
        return title
    return f"{words}{sep}{title}"

"""The England tree's outcomes: fixed advice and refusal texts, and share outcomes composed
from their legal route (basis x Art 9 condition x Art 10 route x telling)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sharewise.authoring import Out

# --------------------------------------------------------------------------------------------
# Outcomes
# --------------------------------------------------------------------------------------------

RECORD_SHARE = (
    "Record the decision and why: what you shared, with whom, when and how; the legal basis "
    "and conditions below; why it was necessary and proportionate; whether consent was "
    "sought and, if not, why; whether you told the person and, if not, why."
)
RECORD_NOT = (
    "Record the decision and why, even though you are not sharing (HMG 2024 rule 7): what "
    "was asked or considered, the reasons, and who you discussed it with."
)
RECORD_ADVICE = (
    "Record the decision and why: what you are considering sharing, why you are taking "
    "advice, whom you asked, what they said and what you then decided."
)
NEVER_WAIT = (
    "Do not let waiting for advice leave anyone at risk: if the risk grows, call 999 or "
    "the children's or adults' duty team at once."
)
SECURE = (
    "Share securely: speak to a named person in the receiving agency, then confirm in "
    "writing by secure email or the agency's portal; never by open email, text or social "
    "media."
)
IDENTITIES = (
    "Protect the identity of anyone who could be harmed if their details were known, "
    "such as the person who raised the concern (HMG 2024 rule 5)."
)
LESS = (
    "Share only what the recipient needs for this purpose. If less would do, share less - "
    "for example an address, not the file; what happened this week, not the family's "
    "history; facts without names where names are not needed - and note what you left out "
    "and why (UK GDPR Art 5(1)(c))."
)
LESS_PART3 = (
    "Share only what the recipient needs for this purpose. If less would do, share less - "
    "for example an address, not the file; the conviction and its date, not the case "
    "history - and note what you left out and why (DPA 2018 Part 3: processing must be "
    "necessary for the law-enforcement purpose, s.35)."
)
EMERGENCY_GIVE = (
    "Give the call handler or duty team everything they need to act now: who is in danger, "
    "where, from whom, and anything that bears on the risk (health, weapons, past violence). "
    "Do not hold anything back for data protection reasons: the questions after this one "
    "only choose what to cite in the record."
)
UNCONFIRMED = (
    "On your answers no condition for the {what} is confirmed yet. That does not change "
    "what you give the emergency services: give what they need. Afterwards, tell your data "
    "protection officer, so that the record names the condition that applies."
)

# The statutory functions behind a public authority's public task (DPA 2018 s.8), where the
# kind of public body is not known: every kind's, under the heading that says to rely on what
# applies to your organisation (sharewise/domain/words.py).
PA_CHILD = ["dpa2018.s8", "ca1989.s17", "ca1989.s47", "ca2004.s10", "ca2004.s11", "ea2002.s175"]
PA_ADULT = ["dpa2018.s8", "care2014.s42"]

# Where the kind is known (`organisation_kind`, usually settled in the settings), a child's
# record names only that kind's own functions, as LAW.md step 6 and the citation registry
# assign them: Children Act 2004 s.11 lists NHS bodies (s.17, s.47 and s.10 are the local
# authority's; s.10's "relevant partners" are not listed in LAW.md, so an NHS body is not told
# s.10 is its own); Education Act 2002 s.175 binds the governing bodies of maintained schools
# and further education institutions; s.157 covers academies. A council keeps the list above,
# which is its own (s.175 binds local authorities too). Another public body, and an adult's
# concern (Care Act 2014 s.42, the test of an adult at risk that para 18(3) mirrors, and the
# only adult function LAW.md names), keep the list above too: see docs/tree-law.md.
KIND_FUNCTIONS: dict[str, list[str]] = {
    "nhs_body": ["dpa2018.s8", "ca2004.s11"],
    "maintained_school": ["dpa2018.s8", "ea2002.s175"],
    "academy": ["dpa2018.s8", "ea2002.s157"],
}
#: The words after "public task (UK GDPR Art 6(1)(e)), from your statutory duties", by kind.
KIND_DUTIES: dict[str, str] = {
    "nhs_body": " as an NHS body (Children Act 2004 s.11)",
    "maintained_school": " as a maintained school or further education institution "
    "(Education Act 2002 s.175)",
    "academy": " as an academy (Education Act 2002 s.157 and the Independent School Standards)",
}
#: Outcome id key by kind.
KIND_KEY = {"nhs_body": "_nhs", "maintained_school": "_ms", "academy": "_ac"}
CHILD = ("child_significant_harm", "child_welfare")
AT_RISK = ("child_significant_harm", "child_welfare", "adult_at_risk")
NO_CONSENT = (
    "cannot_be_given",
    "cannot_reasonably_obtain",
    "would_prejudice_protection",
    "lacks_capacity",
    "refused",
)


def advice(
    oid: str,
    title: str,
    summary: str,
    whom: list[str],
    ask: list[str],
    actions: list[str] | None = None,
    law: dict[str, list[str]] | None = None,
    first: str | None = None,
) -> Out:
    """A seek-advice outcome: its first action holds back and asks (LAW.md, decision labels).

    Unless `first` gives another, the first action asks the first adviser the first question,
    so the practitioner reads at once whom to ask and what.
    """
    lead = first or f"Ask {whom[0][0].lower()}{whom[0][1:]} today: {ask[0]}"
    acts = [lead, *(actions or []), NEVER_WAIT, RECORD_ADVICE]
    return Out(
        oid,
        "seek_advice",
        title,
        summary,
        tuple(acts),
        tuple((g, tuple(v)) for g, v in (law or {}).items()),
        tuple(whom),
        tuple(ask),
    )


def refuse(
    oid: str,
    title: str,
    summary: str,
    actions: list[str],
    law: dict[str, list[str]] | None = None,
) -> Out:
    return Out(
        oid,
        "do_not_share",
        title,
        summary,
        (*actions, RECORD_NOT),
        tuple((g, tuple(v)) for g, v in (law or {}).items()),
    )


DSL = (
    "Your designated safeguarding lead or named safeguarding professional (in probation or "
    "the police: your senior probation officer, sergeant or public protection unit)"
)
DPO = "Your data protection officer or information governance lead"
DUTY = "The children's or adults' social care duty team, or the police on 101"
CALDICOTT = "Your Caldicott guardian (health and social care)"

# ---- advice and refusal outcomes, fixed texts ----------------------------------------------

ADV_DANGER = advice(
    "urgent_advice_danger_unsure",
    "Get urgent advice now",
    "Not sure if it is an emergency? Treat it as urgent: phone the police or the emergency "
    "duty team now and ask. Do not fill in forms first.",
    ["The police (999 if a life may be at risk, otherwise 101)", DUTY, DSL],
    [
        "Is this an emergency that needs action now?",
        "What do you need from me straight away to keep people safe?",
    ],
    [],
    first=(
        "Phone the police or the duty team now and ask whether it is an emergency; give them "
        "what they need to judge the danger (who, where, what is happening)."
    ),
    law={"basis": [], "supporting": ["guidance.ico10step", "guidance.ico_sharing_code"]},
)
ADV_IDENTIFIABLE = advice(
    "advice_identifiable_unsure",
    "Check whether it identifies anyone",
    "Before sharing, check whether the information could identify a living person, alone "
    "or with other information the recipient has. Until then, treat it as personal data.",
    [DPO],
    [
        "Could this identify someone with other information (small numbers, rare details, "
        "a small place)?",
        "Can we share it in a form that identifies nobody?",
    ],
    [
        "Remove names, dates of birth, addresses and rare details, and consider rounding "
        "small numbers, if that still meets the purpose.",
        "If it is needed to protect someone and you cannot check quickly, do not wait: treat "
        "it as identifying, walk the tree again answering 'Yes', and share on that footing.",
    ],
)
ADV_LEGAL = advice(
    "advice_legal_requirement_unsure",
    "Check whether the law requires it",
    "Find out today whether the order, request or duty binds your organisation. Do not "
    "ignore it meanwhile: a court order must be obeyed, and if it seems too wide, ask the "
    "court.",
    [DPO, "Your organisation's legal team", DSL],
    [
        "Does this order, request or duty oblige us to provide the information?",
        "Is our organisation among the bodies listed in Children Act 1989 s.47(11) (it does "
        "not include GP practices, schools, police or charities)?",
        "If it is Children Act 2004 s.16LA or the Crime and Policing Act 2026 reporting duty: "
        "is it in force yet (commencement unconfirmed)?",
    ],
    [
        "If it is a s.47 request you are not bound by, you may still be able to share: walk "
        "the tree again answering 'No - sharing would be our choice'."
    ],
    {"supporting": ["ca1989.s47", "care2014.s45", "dpa2018.sch2.para5"]},
)
ADV_CONCERN = advice(
    "advice_concern_unsure",
    "Talk it through with your safeguarding lead",
    "You are not sure what the concern is. Talk to your designated safeguarding lead today; "
    "seeking advice promptly is one of the golden rules.",
    [DSL, DUTY],
    [
        "Is this a safeguarding concern, and at what level (significant harm, welfare, an "
        "adult at risk)?",
        "Who needs to know, and what do they need?",
    ],
    law={"supporting": ["guidance.hmg2024", "guidance.wt2023"]},
)
DNS_NO_PURPOSE = refuse(
    "do_not_share_no_purpose",
    "Do not share",
    "There is no safeguarding purpose, so safeguarding is no reason to share. Decline, "
    "politely, and give no details.",
    [
        "Decline without confirming or denying anything about the person.",
        "If you are pressed (for example by the press), refer the requester to your "
        "communications team or data protection officer.",
        "If a safeguarding concern appears later, think again.",
    ],
    {"supporting": ["ukgdpr.art5", "guidance.hmg2024"]},
)
DNS_NO_ROLE = refuse(
    "do_not_share_no_role",
    "Do not share with this recipient",
    "They have no role in safeguarding this person. If there is a concern, share it with an "
    "agency that does (children's or adults' social care, the police), not with them.",
    [
        "Decline to share with this recipient.",
        "If the concern is real, refer it to children's or adults' social care or the "
        "police instead, and walk the tree again for that recipient.",
    ],
    {"supporting": ["guidance.hmg2024", "guidance.caldicott"]},
)
ADV_ROLE = advice(
    "advice_recipient_unsure",
    "Find out who has the safeguarding role",
    "You are not sure the recipient has a role in safeguarding this person. Check first; "
    "the right recipient is usually children's or adults' social care, the MASH or the "
    "police.",
    [DSL, DUTY],
    [
        "Who is the right agency to receive this?",
        "Does this recipient have a role in protecting this person, and what do they need?",
    ],
    law={"supporting": ["guidance.hmg2024", "guidance.caldicott"]},
)
DNS_NOT_NEEDED = refuse(
    "do_not_share_not_necessary",
    "Do not share: it is not needed",
    "Sharing is not needed for the purpose, so it would not be necessary or proportionate. "
    "Keep the information; keep the concern under review.",
    [
        "Tell the requester, if any, that you are not sharing because it is not needed.",
        "Think again if the situation changes.",
    ],
    {"supporting": ["ukgdpr.art5", "guidance.wt2023", "guidance.ico_sharing_code"]},
)
ADV_NECESSARY = advice(
    "advice_necessary_unsure",
    "Check what they need before sharing",
    "Ask the recipient what they need to act, then share that and no more. If the risk is "
    "rising, do not wait: share what is needed now.",
    ["The recipient (ask what they need and why)", DSL],
    [
        "What do you need from us to protect this person, and why?",
        "Would less (an address, a date, a fact) do?",
    ],
    law={"supporting": ["ukgdpr.art5", "guidance.wt2023"]},
)
ADV_SHARER = advice(
    "advice_sharer_unsure",
    "Check in what capacity you are sharing",
    "The lawful basis depends on whether you share as a public authority, as police or "
    "probation for law enforcement, or as another organisation. Check with your data "
    "protection officer today.",
    [DPO, DSL],
    [
        "Are we sharing as a public authority performing our functions, as a competent "
        "authority for law enforcement, or as a private or voluntary organisation?",
        "Which lawful basis do we use for safeguarding disclosures (our privacy notice and "
        "policy document should say)?",
    ],
)
ADV_CAPACITY = advice(
    "advice_capacity_unsure",
    "Assess capacity, or take advice",
    "Whether the adult can decide about this sharing changes what you may do. Assess "
    "capacity for this decision (Mental Capacity Act 2005), or ask someone who can.",
    [DSL, "A social worker or health professional who knows the adult", DUTY],
    [
        "Does the adult have capacity to decide about this sharing, now?",
        "If not, what is in their best interests?",
    ],
    law={"supporting": ["care2014.s42"]},
)
ADV_CONSENT_UNSURE = advice(
    "advice_consent_unsure",
    "Find out about consent first",
    "Find out whether the person has been asked and what they said; the legal route "
    "depends on it. If finding out would put anyone at risk, say so and take advice.",
    [DSL, "The colleague who has been working with the person"],
    [
        "Has the person been asked about this sharing, and what did they say?",
        "Would asking them put anyone at risk?",
    ],
)
ADV_REASON_UNSURE = advice(
    "advice_consent_reason_unsure",
    "Take advice on sharing without consent",
    "You are not sure why consent would not be sought. The safeguarding condition needs a "
    "clear reason: talk to your safeguarding lead today.",
    [DSL, DPO],
    [
        "Can the person give consent? Can it reasonably be obtained? Would asking put them "
        "at greater risk or prejudice their protection?",
        "If none of these, should we ask for consent first?",
    ],
    law={"supporting": ["dpa2018.sch1.para18", "guidance.hmg2024"]},
)
ASK_CONSENT_FIRST = advice(
    "ask_consent_first",
    "Ask for consent first",
    "You could ask, and it is safe to: explain what you want to share, with whom and why, "
    "and ask them to agree. If they agree expressly, record it; if they refuse, or asking "
    "turns out to be unsafe, walk the tree again.",
    [DSL],
    ["Is it safe to ask for consent?", "If they refuse, what then?"],
    [
        "Ask the person (or, for a young child, the parent or carer) and record their answer "
        "in their words."
    ],
    {"supporting": ["guidance.hmg2024", "ukgdpr.art9.2a"]},
)
ASK_CONSENT_FIRST_SIGNIFICANT_HARM = advice(
    "ask_consent_first_significant_harm",
    "Ask the family today, or check para 6 today",
    "Health details about a child at risk of significant harm need a condition. You said the "
    "family could safely be asked: ask today and record the answer. If your organisation "
    "exercises a statutory safeguarding function, para 6 may let you refer without asking.",
    [DSL, DPO],
    [
        "Is it safe to ask the family today, or would asking put the child at greater risk or "
        "prejudice their protection?",
        "Does our organisation exercise a statutory safeguarding function (for example an "
        "independent school's proprietor, Education Act 2002 s.157), so that para 6 "
        "(statutory purposes, with our policy document) applies without consent?",
    ],
    [
        "Ask the parent or carer (or the child, if old enough to decide) today, and record "
        "their answer in their words. If they agree expressly, you can share; if they refuse, "
        "walk the tree again: a parent's refusal does not stop a referral about a child at "
        "risk (HMG 2024 rule 3).",
        "If asking would put the child at greater risk or prejudice their protection, walk the "
        "tree again choosing that reason: the safeguarding condition (para 18) then applies.",
    ],
    {
        "supporting": [
            "guidance.hmg2024",
            "ukgdpr.art9.2a",
            "dpa2018.sch1.para6",
            "ea2002.s157",
        ]
    },
)
ADV_ADULT_ASK_FIRST = advice(
    "advice_adult_ask_first",
    "Ask the adult first, or take advice today",
    "An adult with capacity should normally be asked before you share, because their "
    "refusal would normally stand. If asking would put them or anyone else at risk, talk to "
    "your safeguarding lead today about sharing without asking.",
    [DSL, "Adult social care", "Your local domestic abuse service or MARAC coordinator"],
    [
        "Is it safe to ask the adult (away from anyone who may be harming them)?",
        "Would asking prejudice their protection, so that sharing without consent is "
        "justified (DPA 2018 Sch 1 para 18(2)(c))?",
        "Are others at risk, or is there coercion or control?",
    ],
    [
        "If it is safe, ask them alone, explain what you want to share, with whom and why, and "
        "record their answer in their words."
    ],
    {"supporting": ["dpa2018.sch1.para18", "care2014.s42"]},
)
ADV_OVERRIDE_COERCION = advice(
    "advice_refusal_coercion",
    "Take advice today: the refusal may not be free",
    "The adult refused, but their choice may be under someone else's control. Talk to "
    "your safeguarding lead today; share where the public interest in protecting them "
    "requires it.",
    [DSL, DUTY, "Your local domestic abuse service or MARAC coordinator"],
    [
        "Is the refusal a free choice, or made under coercion or control?",
        "Does the public interest in protecting them outweigh the refusal?",
        "Can we speak to the adult alone, safely?",
    ],
    ["Try to speak to the adult alone and safely, without alerting the person suspected."],
    {"confidentiality": ["common_law.confidentiality"], "supporting": ["guidance.hmg2024"]},
)
ADV_OVERRIDE_OTHERS = advice(
    "advice_refusal_others_at_risk",
    "Take advice today: others may be at risk",
    "The adult's refusal covers their own information; it does not stop you protecting "
    "others. If a child may be at risk, refer the child's situation to children's social "
    "care (consent is not needed for that). Take advice today on the rest.",
    [DSL, DUTY, "The police (101), if a serious crime is involved"],
    [
        "Who else is at risk, and what do the agencies protecting them need to know?",
        "Does the public interest in protecting others outweigh the adult's refusal?",
    ],
    [
        "If a child in the household may be at risk, walk the tree again for the child: "
        "consent is not needed where a child is at risk (HMG 2024 rule 3)."
    ],
    {"confidentiality": ["common_law.confidentiality"], "supporting": ["guidance.hmg2024"]},
)
ADV_CHILDREN_FIRST = advice(
    "advice_children_first",
    "Refer the children first; then settle the adult's wishes",
    "Others, children above all, may be at risk. Deal with their protection first: a "
    "question about the adult's capacity or wishes is never a reason to delay a referral "
    "about the children. Then assess capacity or ask the adult about their own information.",
    [DSL, DUTY, "A social worker or health professional who knows the adult"],
    [
        "Who else is at risk, and what do the agencies protecting them need to know now?",
        "Can the adult decide about sharing their own information, and what do they want?",
    ],
    [
        "Walk the tree again now for the children and refer them: consent is not needed "
        "where a child is at risk (HMG 2024 rules 1 and 3). Share what their protection needs, "
        "including what you know about the adult's situation.",
        "Then, for the adult's own information, assess their capacity for this decision or "
        "ask them alone and safely, and walk the tree again.",
    ],
    {"supporting": ["guidance.hmg2024", "care2014.s42"]},
)
DNS_ADULT_REFUSED = refuse(
    "do_not_share_adult_refuses",
    "Do not share: respect their refusal",
    "An adult with capacity has refused, no one else is at risk and there is no sign of "
    "coercion, so their refusal stands. Keep offering support.",
    [
        "Tell them how to get help (for example a domestic abuse helpline) and that they can "
        "change their mind.",
        "Think again if anything changes: new risk, children or others at risk, signs of coercion.",
    ],
    {"confidentiality": ["common_law.confidentiality"], "supporting": ["care2014.s42"]},
)
ADV_BEST_INTERESTS = advice(
    "advice_best_interests",
    "Take advice: a best-interests decision",
    "The adult cannot decide, and the concern does not meet the 'adult at risk' test, so "
    "the safeguarding condition is not open. Decide in their best interests with advice.",
    [DSL, "Adult social care", DPO],
    [
        "Is the adult in fact 'at risk' (care and support needs, abuse or neglect, unable "
        "to protect themself)? If so, walk the tree again.",
        "What sharing is in their best interests (Mental Capacity Act 2005 s.4)?",
    ],
    [
        "If children or other people are at risk, do not wait for the best-interests "
        "decision: walk the tree again for them now and refer them (consent is not needed "
        "where a child is at risk, HMG 2024 rules 1 and 3)."
    ],
    law={"supporting": ["guidance.hmg2024"]},
)
ADV_ADULT_OTHER = advice(
    "advice_adult_not_at_risk",
    "Take advice before sharing without their agreement",
    "The adult does not meet the 'at risk' test and has not agreed. Sharing without their "
    "agreement needs a strong public-interest reason: take advice today.",
    [DSL, DPO, "The police (101), if a crime is involved"],
    [
        "Is there a crime to report, or a risk to others?",
        "Can we ask the adult for consent safely?",
        "Is the adult in fact 'at risk' (care and support needs)?",
    ],
    law={"confidentiality": ["common_law.confidentiality"]},
)
ADV_CHILD_WELFARE_CONF = advice(
    "advice_welfare_confidential",
    "Take advice: confidential, and below significant harm",
    "The information is confidential (health or offence details, or given in confidence) "
    "and the family has not agreed. For a welfare "
    "concern below significant harm, whether the public interest overrides confidence is "
    "judged case by case: talk to your safeguarding lead.",
    [DSL, CALDICOTT],
    [
        "Is there a risk of harm? If so, treat it as a child protection concern (consent is "
        "not needed).",
        "Can we work with the family's agreement (early help usually does)?",
    ],
    law={"confidentiality": ["common_law.confidentiality"], "supporting": ["guidance.hmg2024"]},
)
ADV_EXPLICIT = advice(
    "advice_get_explicit_consent",
    "Record explicit consent, or take advice",
    "They agreed, so the safeguarding condition (para 18) is not available, and explicit "
    "consent is not yet recorded. Ask them to confirm expressly what may be shared with "
    "whom, and record it; then you can share.",
    [DSL, DPO],
    [
        "Have they expressly agreed to this information going to this recipient, on record?",
        "Is another condition available to us (for example a statutory purpose)?",
    ],
    law={"special_category": [], "supporting": ["ukgdpr.art9.2a"]},
)
ADV_NO_CONDITION = advice(
    "advice_no_condition_urgent",
    "Get urgent advice: no condition is met yet",
    "Without an appropriate policy document, and not sharing as a health or social care "
    "professional, no condition for the sensitive information is confirmed. Get advice "
    "today - this is never a reason to leave someone at risk.",
    [DPO, DSL, "A health or social care professional involved, who may share instead"],
    [
        "Can a health or social care professional (who can use Art 9(2)(h)) make the "
        "referral instead?",
        "If it goes to the police, does para 10(2) (no policy document needed) apply?",
        "Can we share the safeguarding facts without the sensitive details?",
    ],
    ["Tell your data protection officer that the appropriate policy document is missing."],
    {"supporting": ["dpa2018.sch1.para39", "ukgdpr.art9.2h", "dpa2018.sch1.para10"]},
)
ADV_NO_CONDITION_LEGAL = advice(
    "advice_no_condition_legal_requirement",
    "Provide the rest; get advice today on the health details",
    "The law requires you to provide this, but without an appropriate policy document no "
    "condition for the health or other special category details is confirmed. Provide the "
    "rest as the law requires; get advice today on those details.",
    [DPO, DSL, "A health or social care professional involved, who may share instead"],
    [
        "Which condition covers the health or other special category details we are required "
        "to provide (para 6 needs our policy document)?",
        "Can a health or social care professional (who can use Art 9(2)(h)) provide them instead?",
    ],
    [
        "Only those details wait: the legal requirement still stands for the rest. Walk the "
        "tree again answering 'No' to health or other special category information, and "
        "provide what the law requires without them.",
        "Tell your data protection officer that the appropriate policy document is missing.",
    ],
    {"supporting": ["dpa2018.sch1.para39", "dpa2018.sch1.para6", "ukgdpr.art9.2h"]},
)
ADV_PARA36 = advice(
    "advice_offence_data_org",
    "Get advice today on the offence details",
    "Sharing offence details as a non-public body needs a Schedule 1 condition. The "
    "safeguarding route (para 36 with para 18) probably needs a policy document, and whether "
    "it does is unconfirmed; get advice today rather than leave the details unshared by "
    "default.",
    [DPO, DSL, "The police (101): they may already hold the information and can share it"],
    [
        "Which Schedule 1 condition covers these offence details for us?",
        "Does para 36 need an appropriate policy document in our case?",
        "Is this a disclosure to the police, where para 10(2) applies without a policy document?",
    ],
    [
        "Ask your data protection officer today which condition covers the offence details, "
        "and tell them if the appropriate policy document is missing.",
        "Only the offence details wait: if the safeguarding concern itself is needed to "
        "protect someone now, walk the tree again without the offence details and share it.",
    ],
    {"criminal_offence": [], "supporting": ["ukgdpr.art10", "dpa2018.s10", "dpa2018.sch1.para36"]},
)
ADV_CA_APD = advice(
    "advice_law_enforcement_sensitive",
    "Get advice: sensitive processing needs your policy document",
    "For police, probation or youth offending teams, sharing health or other sensitive "
    "information must be strictly necessary, meet a Schedule 8 condition and be covered by "
    "an appropriate policy document. Check with your data protection officer today.",
    [DPO, "Your force or service's MAPPA or public protection unit"],
    [
        "Do we have an appropriate policy document covering this sensitive processing?",
        "Which Schedule 8 condition applies?",
    ],
    [
        "Ask your data protection officer today whether your policy document covers this "
        "sensitive processing, and which Schedule 8 condition applies.",
        "Convictions and other offence details are not sensitive processing under Part 3 "
        "(DPA 2018 s.35(8)): if they, or other non-sensitive facts, are needed to protect "
        "someone now, share them; only the health or other sensitive details wait.",
    ],
    {"supporting": ["dpa2018.s35", "dpa2018.sch8.para4", "dpa2018.sch8.para1"]},
)
NO_PERSONAL = Out(
    "no_personal_data",
    "no_personal_data",
    "Anonymous: data protection law does not apply",
    "Truly anonymous information can be shared. Check nothing in it could identify anyone "
    "(small numbers, rare details), then share.",
    (
        "Remove names, dates of birth, addresses and rare details; consider rounding small "
        "numbers so that no one can be picked out.",
        "If it could identify someone after all, walk the tree again answering 'Yes'.",
        "Record what you shared and with whom.",
    ),
    (("supporting", ("guidance.ico_sharing_code",)),),
)
DECEASED_FREE = Out(
    "deceased_not_confidential",
    "no_personal_data",
    "About someone who has died: you may share",
    "Information only about someone who has died is not personal data, and you said it is "
    "not confidential. Share what is needed, with care for the family.",
    (
        "Share only what the purpose needs, securely, once you have checked that it identifies "
        "no living person (parents, siblings); if it does, walk the tree again answering that "
        "it identifies living people.",
        "Record what you shared, with whom and why.",
    ),
    (("supporting", ("guidance.ico_sharing_code",)),),
)
DECEASED_REQUIRED = Out(
    "deceased_required_by_law",
    "share",
    "About someone who has died: the law requires it",
    "The law requires you to provide it - for example the Child Safeguarding Practice Review "
    "Panel's request (Children Act 2004 s.16H) or the safeguarding partners' (s.16K). "
    "Provide it; if an order seems too wide, ask the court.",
    (
        "Provide what the order, request or duty requires, securely.",
        "Information only about someone who has died is not personal data, but it may "
        "identify living relatives: if it does, their information goes under the same legal "
        "requirement (UK GDPR Art 6(1)(c)); tell your data protection officer.",
        "The current wording of Children Act 2004 s.16H is unconfirmed. A Review Panel "
        "request is a safeguarding purpose either way, so provide what it asks for; if its "
        "scope seems too wide, ask the Panel or your legal team to narrow it.",
        "Record the decision and why: the legal requirement relied on and what you provided.",
    ),
    (
        ("confidentiality", ("common_law.confidentiality",)),
        ("supporting", ("ca2004.s16h", "ca2004.s16k", "dpa2018.sch2.para5")),
    ),
)
DECEASED_PUBLIC_INTEREST = Out(
    "deceased_public_interest",
    "share",
    "About someone who has died: share to protect others",
    "Not personal data, but confidential: the duty of confidence survives death and yields "
    "to protecting a living child or adult at risk. Share what is needed with the agency that "
    "needs it.",
    (
        "Share only what is needed to protect the living (for example siblings), securely.",
        "Check whether it identifies living relatives; if it does, walk the tree again for them.",
        "Record the decision and why: the concern, the public interest, what you shared.",
    ),
    (
        ("confidentiality", ("common_law.confidentiality",)),
        ("supporting", ("guidance.hmg2024", "guidance.caldicott")),
    ),
)
DNS_DECEASED = refuse(
    "do_not_share_deceased",
    "Do not share: no protective purpose",
    "There is no legal requirement and no safeguarding purpose. Details of someone who has "
    "died usually identify living parents and siblings, and confidence can survive death: do "
    "not share.",
    ["Decline without confirming details.", "If a safeguarding purpose appears, think again."],
    {"confidentiality": ["common_law.confidentiality"], "supporting": ["hra1998.art8"]},
)
ADV_DECEASED = advice(
    "advice_deceased_confidential",
    "Take advice: confidence survives death",
    "The information about someone who has died may be confidential, and sharing it would "
    "protect no living child or adult at risk. Take advice before sharing.",
    [DPO, CALDICOTT],
    [
        "Was this given in confidence, and does the duty survive death here?",
        "Could it identify living relatives?",
        "Is there a public interest strong enough to override the confidence?",
    ],
    law={"confidentiality": ["common_law.confidentiality"]},
)


# ---- the share outcomes, composed from their legal route ------------------------------------


@dataclass
class Route:
    """Everything a share outcome states; composed by the rules, rendered by `share`."""

    kind: str  # emergency | choice | court | statutory_request | statutory_duty
    sharer: str  # public_authority | competent_authority | other_organisation | any
    care: str = ""  # the care_professional answer where it was asked: yes | no | unsure
    concern: str = ""
    basis: list[str] = field(default_factory=list)
    basis_key: str = ""
    basis_text: str = ""
    sc: list[str] = field(default_factory=list)
    sc_key: str = ""
    sc_text: str = ""
    cr: list[str] = field(default_factory=list)
    cr_key: str = ""
    cr_text: str = ""
    conf: list[str] = field(default_factory=list)
    conf_text: str = ""
    tell: str = ""  # choice | after | ca | law
    notes: list[str] = field(default_factory=list)
    supporting: list[str] = field(default_factory=list)
    # Parts of the record whose condition is not confirmed (emergencies only): "health
    # details", "offence details".
    unconfirmed: list[str] = field(default_factory=list)


# Next steps fit who is sharing (LAW.md step 12; the sharer question's answer chooses them).
# A teacher takes a concern to the designated safeguarding lead, who makes the referral; a
# health professional tells the named or designated professional; probation and police go
# through their own line and MAPPA.
NEXT_STEPS = {
    "no": (
        "Share it with your designated safeguarding lead first if you work in a school or "
        "college: the DSL normally makes the referral, and you give them what you know. "
        "Elsewhere, share it with the recipient, tell your safeguarding lead, and diarise a "
        "follow-up with the recipient."
    ),
    "yes": (
        "Tell your named or designated safeguarding professional (health) or your manager "
        "(social care) what you shared, and diarise a follow-up with the recipient."
    ),
    "ca": (
        "Tell your senior probation officer or sergeant what you shared (police: your public "
        "protection unit); if the person is managed under MAPPA, share it through the MAPPA "
        "coordinator or meeting as well (Criminal Justice Act 2003 s.325)."
    ),
    "": (
        "Tell your safeguarding lead what you shared (in a school, the designated safeguarding "
        "lead; in health, the named professional; in probation, the senior probation officer), "
        "and diarise a follow-up with the recipient."
    ),
}


EMERGENCY_NEXT = (
    "As soon as the emergency allows, tell your safeguarding lead what happened (in a school, "
    "the designated safeguarding lead; in health, the named professional; in probation, the "
    "senior probation officer), and complete this record."
)
LEGAL_NEXT = (
    "Tell your safeguarding lead what you provided (in a school, the designated safeguarding "
    "lead). A duty that is personal to you, such as FGM reporting, you carry out yourself: "
    "telling the lead does not discharge it."
)
# The same, for a health or social care professional and for police or probation: whom to
# tell follows who is sharing (finding 9 of the second legal review).
LEGAL_NEXT_CARE = (
    "Tell your named or designated safeguarding professional (health) or your manager (social "
    "care) what you provided. A duty that is personal to you, such as FGM reporting, you carry "
    "out yourself: telling them does not discharge it."
)
LEGAL_NEXT_CA = (
    "Tell your sergeant or senior probation officer what you provided (police: your public "
    "protection unit)."
)


def next_steps(r: Route) -> str:
    """The last action: whom to tell, chosen by who is sharing (see NEXT_STEPS)."""
    if r.kind == "emergency":
        return EMERGENCY_NEXT
    if r.kind != "choice":
        if r.sharer == "competent_authority":
            return LEGAL_NEXT_CA
        return LEGAL_NEXT_CARE if r.care == "yes" else LEGAL_NEXT
    if r.sharer == "competent_authority":
        return NEXT_STEPS["ca"]
    return NEXT_STEPS.get(r.care if r.care in ("yes", "no") else "", NEXT_STEPS[""])


# On the choice route the next steps depend on whether the sharer is a health or care
# professional, so the outcome id says which: h(ealth or care), s(chool or other staff).
WHO_KEY = {"yes": "_h", "no": "_s"}


SHARER_KEY = {
    "public_authority": "pa",
    "competent_authority": "ca",
    "other_organisation": "org",
    "any": "any",
}

TELL_TEXT = {
    "choice": (
        "",
        "Tell the person (or family) what you are sharing, with whom and why (HMG 2024 rule "
        "2; UK GDPR Arts 13 and 14) - unless telling them would increase the risk to anyone "
        "or prejudice a criminal investigation. Then do not tell them now: for information "
        "you got from others, Art 14(5)(b) allows this; for information they gave you, DPA "
        "2018 Sch 2 para 2 (crime) or Art 13(4) where your privacy notice already covers "
        "safeguarding disclosures. If unsure, ask the recipient first. Record which, and why.",
        ["ukgdpr.art13", "ukgdpr.art14", "dpa2018.sch2.para2"],
    ),
    "after": (
        "tell them afterwards if safe",
        "Afterwards, tell them what you shared and why if it is safe; if telling would "
        "increase the risk or prejudice an investigation, do not (Art 14(5)(b); Sch 2 para "
        "2), and record why.",
        ["ukgdpr.art14", "ukgdpr.art13", "dpa2018.sch2.para2"],
    ),
    "ca": (
        "",
        "Tell the person if it is safe and will not prejudice an investigation or the "
        "management of an offender; record why not.",
        [],
    ),
    "law": (
        "",
        "The transparency rules do not stop a disclosure the law requires (DPA 2018 Sch 2 "
        "para 5). Tell the person unless that would increase the risk; record why not.",
        ["dpa2018.sch2.para5"],
    ),
}


# A stressed practitioner should take in an outcome's summary in about ten seconds.
SUMMARY_WORDS = 48

# The short names of the legal routes, for summaries; the full wording goes in the actions.
SHORT = {
    "public task (UK GDPR Art 6(1)(e)), from your statutory duties": "public task (Art 6(1)(e))",
    "law enforcement under DPA 2018 Part 3 (s.35)": "law enforcement (DPA 2018 s.35)",
    "law enforcement under DPA 2018 Part 3, based on law (s.35)": "law enforcement (DPA 2018 s.35)",
    "recognised legitimate interest, safeguarding a vulnerable individual (Art 6(1)(ea), "
    "Annex 1 para 6)": "recognised legitimate interest (Art 6(1)(ea))",
    "legitimate interests (Art 6(1)(f)), after a balancing test": "legitimate interests (Art "
    "6(1)(f))",
    "legal obligation (Art 6(1)(c)); for police or probation processing for law enforcement, "
    "DPA 2018 s.35": "legal obligation (Art 6(1)(c))",
    "legal obligation (UK GDPR Art 6(1)(c))": "legal obligation (Art 6(1)(c))",
    "public task (Art 6(1)(e)); vital interests (Art 6(1)(d)) where a life is at risk": "public "
    "task (Art 6(1)(e)) or vital interests (Art 6(1)(d))",
    "vital interests where a life is at risk (Art 6(1)(d)); otherwise legitimate interests "
    "(Art 6(1)(f)) - protecting someone from serious harm": "vital interests (Art 6(1)(d)) or "
    "legitimate interests (Art 6(1)(f))",
    "vital interests (Art 6(1)(d)); for police or probation acting for law enforcement, DPA "
    "2018 s.35": "vital interests (Art 6(1)(d))",
    "economic well-being without consent (Art 9(2)(g), DPA 2018 Sch 1 para 19)": "financial "
    "abuse, without consent (Sch 1 para 19)",
    "safeguarding without consent (Art 9(2)(g), DPA 2018 Sch 1 para 18)": "safeguarding, "
    "without consent (Sch 1 para 18)",
    "health or social care purposes, by a professional owing confidentiality (Art 9(2)(h), DPA "
    "2018 Sch 1 para 2); it does not depend on consent": "health or social care (Art 9(2)(h))",
    "strictly necessary, for a statutory purpose (DPA 2018 s.35(5), Sch 8 para 1), under your "
    "appropriate policy document": "statutory purposes (Sch 8 para 1)",
    "strictly necessary, statutory purposes (Sch 8 para 1)": "statutory purposes (Sch 8 para 1)",
    "courts acting in their judicial capacity (Art 9(2)(f))": "courts (Art 9(2)(f))",
    "statutory purposes (Art 9(2)(g), DPA 2018 Sch 1 para 6)": "statutory purposes (Sch 1 para 6)",
    "vital interests, as the person cannot consent (Art 9(2)(c)) - life-or-death only": "vital "
    "interests (Art 9(2)(c))",
    "if there are any, under official authority, as a public body acting in its functions "
    "(Art 10)": "official authority (Art 10)",
    "if there are any, under official authority (Art 10)": "official authority (Art 10)",
    "Art 10 with DPA 2018 Sch 1 para 36 and the safeguarding condition (para 18)": "safeguarding "
    "(Sch 1 paras 36 and 18)",
    "Art 10 with Sch 1 para 36 and the safeguarding condition (para 18)": "safeguarding (Sch 1 "
    "paras 36 and 18)",
    "Art 10 with the health and social care condition (DPA 2018 s.10(5), Sch 1 para 2)": "health "
    "or social care (Sch 1 para 2)",
    "Art 10 with the health and social care condition (Sch 1 para 2)": "health or social care "
    "(Sch 1 para 2)",
    "Art 10: official authority for a public body; otherwise authorised by law through a "
    "Schedule 1 condition (s.10(5)) - your data protection officer will name it": "Art 10, "
    "through a condition your data protection officer names",
    "Art 10 with Sch 1 para 36 and the statutory purposes condition (para 6)": "statutory "
    "purposes (Sch 1 paras 36 and 6)",
    "explicit consent (Art 9(2)(a))": "explicit consent (Art 9(2)(a))",
    "vital interests, as the person cannot consent (Art 9(2)(c)), and safeguarding without "
    "consent (Art 9(2)(g), DPA 2018 Sch 1 para 18), which also covers serious harm short of a "
    "threat to life": "Art 9(2)(c) and Sch 1 para 18",
    "vital interests, as the person cannot consent (Art 9(2)(c)) - where a life is at risk": (
        "vital interests (Art 9(2)(c))"
    ),
    "preventing or detecting unlawful acts, disclosed to the police (Art 9(2)(g), DPA 2018 "
    "Sch 1 para 10(2)); no policy document needed": "crime, to the police (para 10(2))",
    "Art 10 with Sch 1 para 36 and para 10(2), disclosed to the police": "crime, to the police "
    "(paras 36, 10(2))",
    "Art 10 with DPA 2018 Sch 1 para 30 (vital interests, the person cannot consent)": "vital "
    "interests (Sch 1 para 30)",
    "legal claims - establishing, exercising or defending legal claims, or a court acting in "
    "its judicial capacity (Art 9(2)(f))": "legal claims (Art 9(2)(f))",
    "Art 10 with DPA 2018 Sch 1 para 33 (legal proceedings); no policy document needed": "legal "
    "proceedings (Sch 1 para 33)",
}

PUBLIC_TASK = "public task (UK GDPR Art 6(1)(e)), from your statutory duties"
SHORT.update({PUBLIC_TASK + duties: "public task (Art 6(1)(e))" for duties in KIND_DUTIES.values()})


def _short(text: str) -> str:
    if text not in SHORT:
        raise ValueError(f"no short name for the route {text!r}: add it to SHORT")
    return SHORT[text]


def share(r: Route) -> Out:
    urgent = r.kind == "emergency"
    prefix = {
        "emergency": "urgent",
        "choice": "share",
        "court": "comply_court",
        "statutory_request": "comply_request",
        "statutory_duty": "comply_duty",
    }[r.kind]
    if r.kind == "choice":
        who = WHO_KEY.get(r.care, "")
    else:  # a legal requirement: only a health or care professional's next steps differ
        who = "_h" if r.care == "yes" and r.kind.startswith("statutory") else ""
    parts = [prefix, SHARER_KEY[r.sharer] + who + r.basis_key]
    if r.concern:
        parts.append("child" if r.concern in CHILD else "adult")
    if r.sc_key:
        parts.append(r.sc_key)
    if r.cr_key:
        parts.append(r.cr_key)
    oid = "_".join(parts)
    if len(oid) > 64:
        raise ValueError(f"outcome id too long: {oid}")

    if urgent:
        title = "Call 999 or the duty team now"
        lead = "Act now: give 999 or the duty team what they need."
    elif r.kind == "court":
        title = "Comply with the court order"
        lead = "Provide what the order requires; if it seems too wide, ask the court."
    elif r.kind in ("statutory_request", "statutory_duty"):
        title = "Share: the law requires it"
        lead = "The law requires you to provide it, so provide it."
    else:
        title = "Share with the agency that needs it"
        lead = "You can share what is needed - no more."
    # The summary is read under stress: what to do, then the law in short names. The full
    # wording of each route, with its caveats, is an action just before "record".
    law_short = [f"{_short(r.basis_text)}"]
    if r.sc_text:
        law_short.append(f"health details: {_short(r.sc_text)}")
    if r.cr_text:
        law_short.append(f"offence details: {_short(r.cr_text)}")
    for what in r.unconfirmed:
        law_short.append(f"{what.split(' (')[0]}: tell your DPO afterwards")
    bits = [lead, "The law: " + "; ".join(law_short) + "."]
    tell_short = TELL_TEXT[r.tell][0] if r.tell else ""
    if tell_short:
        bits.append(f"Then: {tell_short}.")
    summary = " ".join(bits)
    if len(summary.split()) > SUMMARY_WORDS:
        raise ValueError(f"{oid}: summary over {SUMMARY_WORDS} words: {summary}")
    part3 = r.sharer == "competent_authority" and r.kind in ("choice", "emergency")
    how = [f"Basis: {r.basis_text}."]
    if r.sc_text:
        # Part 3 speaks of sensitive processing (DPA 2018 s.35(8)), not special category data.
        kind = (
            "Health or other sensitive details"
            if part3
            else ("Health or other special category details")
        )
        how.append(f"{kind}: {r.sc_text}.")
    if r.cr_text:
        how.append(f"Offence details: {r.cr_text}.")
    actions: list[str] = []
    if urgent:
        actions.append(
            "Call 999 (or the children's or adults' duty team) now; give who, where and "
            "what the danger is."
        )
        actions.append(EMERGENCY_GIVE)
        if r.unconfirmed:
            actions.append(UNCONFIRMED.format(what=" and the ".join(r.unconfirmed)))
    elif r.care == "no" and r.kind == "choice":
        # A teacher shares with the DSL first; the DSL makes the referral (see NEXT_STEPS).
        actions.append(next_steps(r))
    if r.kind == "choice":
        actions.append(LESS_PART3 if part3 else LESS)
    if not urgent:  # in an emergency the channel is the 999 call or the duty team
        actions.append(SECURE)
    actions += r.notes
    if r.tell:
        actions.append(TELL_TEXT[r.tell][1])
    actions.append(IDENTITIES)
    actions.append("The law you rely on, in full, for the record: " + " ".join(how))
    if urgent:
        actions.append(
            "Record the decision and why as soon as the emergency allows: what you shared, "
            "with whom, when, and the legal basis below."
        )
    else:
        actions.append(RECORD_SHARE)
    if not (r.care == "no" and r.kind == "choice"):
        actions.append(next_steps(r))

    transparency = TELL_TEXT[r.tell][2] if r.tell else []
    # Part 3 has its own principles (DPA 2018 s.35 onwards): UK GDPR Art 5 is not theirs.
    principles = ["ukgdpr.art5"] if r.kind == "choice" and not part3 else []
    supporting = list(dict.fromkeys(r.supporting + principles))
    law = (
        ("basis", tuple(r.basis)),
        ("special_category", tuple(r.sc)),
        ("criminal_offence", tuple(r.cr)),
        ("confidentiality", tuple(r.conf)),
        ("transparency", tuple(transparency)),
        ("supporting", tuple(supporting)),
    )
    return Out(oid, "share_urgently" if urgent else "share", title, summary, tuple(actions), law)

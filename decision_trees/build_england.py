"""Builds `england.yaml` from the England rules below: `python decision_trees/build_england.py`.

Why a generator: the England tree has one outcome per legal route (basis x Art 9 condition x
Art 10 route x telling x minimisation), well over a hundred, and hand-copying their texts
invites exactly the drift a legal tool cannot afford. The rules are written once, as a plain
function of the facts (`decide`), in the order of LAW.md; the builder explores every answer,
merges identical subtrees into a DAG, and drops any question whose answers all lead to the
same place, so a question is asked only where it can change the outcome. The YAML it writes
is the product and is what `tree check`, the invariants and the scenarios test; a test keeps
it in step with this file. Edit here, run the script (with `--docs` to refresh the diagram
and statistics in docs/tree.md; use the project's virtualenv), commit both.

Other trees (Wales, Scotland, an organisation's own) can be written by hand: see
docs/tree.md.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
OUT = HERE / "england.yaml"

# --------------------------------------------------------------------------------------------
# Questions: one plain sentence, "what this means" with an example, "why we ask", and a label
# for every value. Values not listed in `labels` are routed by `otherwise` where the tree needs
# them (for example "not applicable" to an adult-only question on an adult path).
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ask:
    short: str
    text: str
    help: str
    why: str
    labels: dict[str, str]


ASKS: dict[str, Ask] = {
    "immediate_danger": Ask(
        "danger",
        "Is anyone in immediate danger, or at risk of death or serious harm that needs action now?",
        "Danger now, not a worry about the future. For example: a child says her mother's "
        "partner will kill her mother tonight; an adult with dementia is locked out in the "
        "cold. If yes, call 999 or the duty team first and come back to record afterwards.",
        "Protecting someone from immediate harm comes before everything else, and the law "
        "allows sharing in an emergency (ICO 10-step guide, step 9).",
        {
            "yes": "Yes - call 999 or the duty team now, then answer the rest for the record",
            "no": "No - there is time to think this through",
            "unsure": "Not sure whether it is an emergency",
        },
    ),
    "identifiable": Ask(
        "identifiable",
        "Could the information identify a living person, alone or with other information?",
        "Names, addresses and photos identify people, but so can a rare detail in a small "
        "place (the only child in Year 3 with a named condition). Counts with no details, "
        "such as '12 referrals last term', do not. Information only about someone who has "
        "died is different: choose that answer.",
        "Data protection law applies only to information about identifiable living people; "
        "anonymous figures can be shared freely.",
        {
            "yes": "Yes - it is about identifiable living people",
            "no": "No - it is truly anonymous (figures, no details)",
            "deceased_only": "It is only about someone who has died",
            "unsure": "Not sure whether it could identify someone",
        },
    ),
    "legal_requirement": Ask(
        "legal_requirement",
        "Does the law require you to provide this information?",
        "A court order; a request the law obliges you to answer (a council's Children Act "
        "1989 s.47 request to a council, housing authority, NHS trust, foundation trust or "
        "ICB - but not to a GP practice, school, police force or charity; a Safeguarding "
        "Adults Board's Care Act 2014 s.45 request); or a standing duty such as FGM "
        "mandatory reporting or a CQC-registered provider's duties. A s.47 request to a GP "
        "practice or school is 'no legal requirement': the tree then checks whether you may "
        "share anyway (usually you may).",
        "A legal requirement settles the question: you comply, and the tests of purpose and "
        "role that follow do not apply. A court order is obeyed even though a court is not "
        "a safeguarding agency.",
        {
            "court_order": "A court or tribunal order",
            "statutory_request": "A request the law obliges us to answer (s.47 to a listed "
            "body, s.45 from a Safeguarding Adults Board)",
            "statutory_duty": "A standing legal duty to share or report (e.g. FGM reporting)",
            "none": "No - sharing would be our choice",
            "unsure": "Not sure whether it binds us",
        },
    ),
    "concern": Ask(
        "concern",
        "What is the concern behind the sharing?",
        "For example: a child with unexplained bruises (significant harm); a family that "
        "needs early help (welfare); an adult with care needs being neglected (adult at "
        "risk); an older person with dementia losing savings to a 'helper' (financial "
        "abuse); or a request with no protective purpose, such as from the press.",
        "Sharing needs a legitimate safeguarding purpose, and the concern decides which "
        "legal conditions can be used (para 18 covers children and adults at risk only).",
        {
            "child_significant_harm": "A child may be suffering, or likely to suffer, "
            "significant harm",
            "child_welfare": "A concern for a child's welfare below significant harm (early "
            "help, child in need)",
            "adult_at_risk": "An adult with care and support needs who is being, or may be, "
            "abused or neglected and cannot protect themself",
            "adult_economic_risk": "An adult at risk of financial abuse because of injury, "
            "illness or disability",
            "adult_other": "A concern about an adult who does not meet the 'at risk' test",
            "no_safeguarding_purpose": "None - it is not about protecting anyone",
            "unsure": "Not sure yet",
        },
    ),
    "recipient_role": Ask(
        "recipient",
        "Does the person or agency you would share with have a role in safeguarding this person?",
        "Children's or adults' social care, the police, health professionals, a school's "
        "designated safeguarding lead, the MASH or a Safeguarding Adults Board have a role. "
        "Another parent, an employer, a landlord or a journalist does not.",
        "Share only with people who have a role in protecting this person (HMG 2024 rule 6; "
        "Caldicott principles 3 and 4).",
        {
            "safeguarding_role": "Yes - they have a safeguarding role",
            "no_safeguarding_role": "No",
            "unsure": "Not sure",
        },
    ),
    "necessary": Ask(
        "necessary",
        "Is sharing this information necessary and proportionate for the purpose?",
        "Ask what the recipient needs to act. Often it is less than you hold: an address, "
        "not the whole file; what happened this week, not the family's history.",
        "UK GDPR Art 5(1)(c) (data minimisation) and Working Together 2023: share what is "
        "needed, no more.",
        {
            "yes": "Yes - it is needed, and I will share only what is needed",
            "less_would_do": "Less would do - the purpose can be met by sharing less",
            "no": "No - sharing is not needed for the purpose",
            "unsure": "Not sure",
        },
    ),
    "sharer": Ask(
        "sharer",
        "Who is sharing, and in what capacity?",
        "Councils, NHS bodies, GP practices, maintained schools and academies are public "
        "authorities. Police, probation and youth offending teams managing offenders or "
        "investigating crime are competent authorities (DPA 2018 Part 3). Charities, private "
        "providers and independent schools are other organisations.",
        "Who you are decides the lawful basis: public authorities use public task and cannot "
        "use legitimate interests; other organisations can; police and probation use DPA "
        "2018 Part 3.",
        {
            "public_authority": "A public authority (council, NHS body, GP practice, "
            "maintained school, academy)",
            "competent_authority": "Police, probation or youth offending team, for law enforcement",
            "other_organisation": "A charity, private provider, independent school or other "
            "organisation",
            "unsure": "Not sure",
        },
    ),
    "special_category": Ask(
        "special_category",
        "Does the information include health or other special category information?",
        "Health includes mental health, injuries (bruises), pregnancy and drug or alcohol "
        "use. Also special: sex life or sexual orientation, racial or ethnic origin, "
        "religion or beliefs, genetic or biometric data, political opinions, trade union "
        "membership.",
        "Special category information needs an extra legal condition (UK GDPR Art 9) as well "
        "as a lawful basis.",
        {"yes": "Yes", "no": "No", "unsure": "Not sure"},
    ),
    "criminal_offence_data": Ask(
        "criminal_data",
        "Does the information include anything about crimes - convictions, cautions, or "
        "alleged offences?",
        "For example: a new partner's conviction for a sexual offence; a child's account "
        "that her stepfather hits her (an alleged assault); a caution for possession.",
        "Information about offences, including allegations, needs its own authority (UK "
        "GDPR Art 10). Reviews found sexual-offence convictions left unshared through "
        "misunderstanding of this: the tree shows the route.",
        {"yes": "Yes", "no": "No", "unsure": "Not sure"},
    ),
    "adult_has_capacity": Ask(
        "capacity",
        "Does the adult have capacity to decide about this sharing?",
        "Under the Mental Capacity Act 2005 (from age 16) a person has capacity unless they "
        "cannot understand, retain or weigh the information, or communicate a decision - "
        "for this decision, now. Advanced dementia may remove it; an unwise choice does not.",
        "An adult with capacity can normally refuse sharing about themself; for an adult "
        "who lacks capacity, decisions are made in their best interests.",
        {
            "yes": "Yes - they have capacity for this decision",
            "no": "No - they lack capacity for this decision",
            "unsure": "Not assessed, or unclear",
        },
    ),
    "consent": Ask(
        "consent",
        "What is the position on the person's consent to this sharing?",
        "Explicit consent means they expressly agreed, on record, to this information going "
        "to this recipient. 'They seemed fine with it' is not explicit.",
        "Consent decides which legal conditions are open: some (para 18) apply only without "
        "consent, others only with explicit consent; an adult's refusal normally stands.",
        {
            "given": "They agreed",
            "given_explicitly": "They agreed expressly, and it is recorded",
            "refused": "They were asked and refused",
            "not_sought": "We have not asked",
            "unsure": "Not sure",
        },
    ),
    "adult_coerced": Ask(
        "coercion",
        "Is there reason to think their refusal is under coercion, control or undue influence?",
        "For example, an abusive partner is present at every appointment, answers for them, "
        "or controls their phone and money. Coercive control is itself a crime (Serious Crime "
        "Act 2015 s.76).",
        "A refusal made under someone else's control is not a free choice, and the public "
        "interest may require sharing despite it.",
        {"yes": "Yes, or suspected", "no": "No sign of it", "unsure": "Not known"},
    ),
    "others_at_risk": Ask(
        "others_at_risk",
        "Are other people at risk (children in the household, other adults), or is a serious "
        "crime involved?",
        "For example: children live with the adult and the abuser; the abuser has access to "
        "other vulnerable adults; a weapon or serious violence is involved.",
        "An adult's refusal covers their own information; it does not outweigh the "
        "protection of others or the prevention of serious crime.",
        {"yes": "Yes", "no": "No", "unsure": "Not known"},
    ),
    "without_consent_reason": Ask(
        "consent_reason",
        "If you share without consent, which of these applies?",
        "(a) Consent cannot be given: too young to understand, lacks capacity. (b) It cannot "
        "reasonably be obtained: the person cannot be reached, or was asked and refused (a "
        "reading of the law, see the outcome). (c) Asking would put them at greater risk or "
        "prejudice their protection or an investigation - for example by warning an abuser.",
        "The safeguarding condition (DPA 2018 Sch 1 para 18) applies only when sharing "
        "without consent for one of these three reasons.",
        {
            "cannot_be_given": "Consent cannot be given",
            "cannot_reasonably_obtain": "It cannot reasonably be obtained",
            "would_prejudice_protection": "Asking would increase the risk or prejudice protection",
            "none": "None of these - consent could be asked for, or has been given",
            "unsure": "Not sure",
        },
    ),
    "apd_in_place": Ask(
        "policy_document",
        "Does your organisation have an appropriate policy document for safeguarding processing?",
        "An organisation-level document (DPA 2018 Sch 1 Part 4) explaining how it handles "
        "special category and criminal offence information and how long it keeps it. Your "
        "data protection officer or IG lead will know; it is not something you write now.",
        "The safeguarding and statutory conditions (Sch 1 paras 6, 18, 19) are not met at "
        "all without it; the tree then finds a condition that is.",
        {"yes": "Yes", "no": "No", "unsure": "Not known"},
    ),
    "care_professional": Ask(
        "care_professional",
        "Are you sharing as a health or social care professional, or as care staff who owe "
        "a duty of confidentiality?",
        "Yes for a doctor, nurse, health visitor, midwife, social worker, or care staff "
        "acting for a care provider. No for a teacher, youth worker, housing officer or "
        "police officer.",
        "Health and social care professionals have a condition (UK GDPR Art 9(2)(h) with "
        "DPA 2018 Sch 1 para 2) that does not depend on consent or a policy document.",
        {"yes": "Yes", "no": "No", "unsure": "Not sure"},
    ),
    "confidential": Ask(
        "confidential",
        "Was the information given to you in confidence?",
        "For example, a parent confided their depression to a family support worker; a "
        "child told a counsellor. Something you saw in the playground was not.",
        "Confidential information about a welfare concern (below significant harm) needs "
        "consent or a public-interest judgement made case by case.",
        {"yes": "Yes", "no": "No", "unsure": "Not sure"},
    ),
    "telling_increases_risk": Ask(
        "telling",
        "Would telling the person or family about the sharing increase the risk to anyone, "
        "or prejudice a criminal investigation?",
        "For example, telling a parent that you are referring an injury they caused could "
        "lead them to harm the child or silence them.",
        "The default is to tell people what is shared and why; there are legal routes for "
        "not telling where that would increase the risk.",
        {"yes": "Yes", "no": "No - it is safe to tell them", "unsure": "Not sure"},
    ),
}

# --------------------------------------------------------------------------------------------
# Paired questions. Where the law asks two things together, and the second is asked straight
# after a given answer to the first, one question settles both (`also` in the YAML): who is
# sharing and whether as a health or social care professional; whether the recipient has a
# role and whether they need this (HMG 2024 rule 6 is one rule); whether an adult can decide
# and what they said. Labels are keyed "first" or "first+second" by fact value.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    first: str
    second: str
    ask: Ask


PAIRS: dict[tuple[str, str], Pair] = {
    ("sharer", "care_professional"): Pair(
        "sharer",
        "care_professional",
        Ask(
            "sharer",
            "Who is sharing, and in what capacity?",
            "Councils, NHS bodies, GP practices, maintained schools and academies are public "
            "authorities. Police, probation and youth offending teams managing offenders or "
            "investigating crime are competent authorities (DPA 2018 Part 3). Charities, "
            "private providers and independent schools are other organisations. You share as "
            "a health or social care professional if you are, for example, a doctor, nurse, "
            "health visitor, midwife or social worker, or care staff acting for a care "
            "provider; a teacher, youth worker or housing officer does not.",
            "Who you are decides the lawful basis: public authorities use public task and "
            "cannot use legitimate interests; other organisations can; police and probation "
            "use DPA 2018 Part 3. Health and social care professionals also have a condition "
            "for health information (UK GDPR Art 9(2)(h), DPA 2018 Sch 1 para 2) that does "
            "not depend on consent or a policy document.",
            {
                "public_authority+yes": "A public authority (council, NHS body, GP practice), "
                "and I share as a health or social care professional",
                "public_authority+no": "A public authority (council, NHS body, school, "
                "academy), and not as a health or social care professional (e.g. a teacher)",
                "public_authority+unsure": "A public authority, and I am not sure whether I "
                "count as a health or social care professional",
                "public_authority": "A public authority (council, NHS body, GP practice, "
                "maintained school, academy)",
                "competent_authority": "Police, probation or youth offending team, for law "
                "enforcement",
                "other_organisation+yes": "A charity, private provider or other organisation, "
                "and I share as a health or social care professional or as care staff",
                "other_organisation+no": "A charity, private provider, independent school or "
                "other organisation, and not as health or care staff (e.g. a youth worker)",
                "other_organisation+unsure": "A charity, private provider or other "
                "organisation, and I am not sure whether I count as health or care staff",
                "other_organisation": "A charity, private provider, independent school or "
                "other organisation",
                "unsure": "Not sure in what capacity we are sharing",
            },
        ),
    ),
    ("recipient_role", "necessary"): Pair(
        "recipient_role",
        "necessary",
        Ask(
            "recipient",
            "Does the person or agency you would share with have a role in safeguarding this "
            "person, and do they need this information?",
            "Children's or adults' social care, the police, health professionals, a school's "
            "designated safeguarding lead, the MASH or a Safeguarding Adults Board have a "
            "role; another parent, an employer, a landlord or a journalist does not. Then ask "
            "what they need to act: often less than you hold - an address, not the whole "
            "file; what happened this week, not the family's history.",
            "Share only with people who have a role in protecting this person, and only what "
            "they need (HMG 2024 rule 6; Caldicott principles 3 and 4; UK GDPR Art 5(1)(c)).",
            {
                "safeguarding_role+yes": "Yes - they have a safeguarding role and need this; I "
                "will share only what is needed",
                "safeguarding_role+less_would_do": "They have a safeguarding role, and less "
                "would do - the purpose can be met by sharing less",
                "safeguarding_role+no": "They have a safeguarding role, but sharing this is "
                "not needed for the purpose",
                "safeguarding_role+unsure": "They have a safeguarding role; I am not sure what "
                "they need",
                "safeguarding_role": "Yes - they have a safeguarding role",
                "no_safeguarding_role": "No - they have no role in safeguarding this person",
                "unsure": "Not sure whether they have a role",
            },
        ),
    ),
    ("adult_has_capacity", "consent"): Pair(
        "adult_has_capacity",
        "consent",
        Ask(
            "capacity",
            "Can the adult decide about this sharing, and what have they said?",
            "Under the Mental Capacity Act 2005 (from age 16) a person can decide unless they "
            "cannot understand, retain or weigh the information, or communicate a decision - "
            "for this decision, now. Advanced dementia may remove it; an unwise choice does "
            "not. Explicit agreement means they expressly agreed, on record, to this "
            "information going to this recipient; 'they seemed fine with it' is not explicit.",
            "An adult who can decide can normally refuse sharing about themself, and what "
            "they said decides which legal conditions are open (para 18 applies only without "
            "consent). For an adult who cannot decide, decisions are made in their best "
            "interests.",
            {
                "yes+given_explicitly": "They can decide, and agreed expressly - it is "
                "recorded",
                "yes+given": "They can decide, and agreed",
                "yes+refused": "They can decide, and were asked and refused",
                "yes+not_sought": "They can decide; we have not asked them yet",
                "yes+unsure": "They can decide; I am not sure whether they were asked or what "
                "they said",
                "yes": "Yes - they can decide about this sharing",
                "no": "No - they lack capacity for this decision",
                "unsure": "Capacity not assessed, or unclear",
            },
        ),
    ),
}


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

# The statutory functions behind a public authority's public task (DPA 2018 s.8).
PA_CHILD = ["dpa2018.s8", "ca1989.s17", "ca1989.s47", "ca2004.s10", "ca2004.s11", "ea2002.s175"]
PA_ADULT = ["dpa2018.s8", "care2014.s42"]
CHILD = ("child_significant_harm", "child_welfare")
AT_RISK = ("child_significant_harm", "child_welfare", "adult_at_risk")
NO_CONSENT = (
    "cannot_be_given",
    "cannot_reasonably_obtain",
    "would_prejudice_protection",
    "lacks_capacity",
    "refused",
)


@dataclass(frozen=True)
class Out:
    """An outcome node as it will be written."""

    id: str
    decision: str
    title: str
    summary: str
    actions: tuple[str, ...]
    law: tuple[tuple[str, tuple[str, ...]], ...] = ()
    whom: tuple[str, ...] = ()
    ask: tuple[str, ...] = ()

    def as_yaml(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "decision": self.decision,
            "title": self.title,
            "summary": self.summary,
            "actions": list(self.actions),
        }
        law = {g: list(ids) for g, ids in self.law if ids}
        if law:
            data["law"] = law
        if self.whom:
            data["advice"] = {"whom": list(self.whom), "ask": list(self.ask)}
        return data


class Stop(Exception):
    """Raised by the rules to end a path at an outcome."""

    def __init__(self, out: Out) -> None:
        self.out = out


def advice(
    oid: str,
    title: str,
    summary: str,
    whom: list[str],
    ask: list[str],
    actions: list[str] | None = None,
    law: dict[str, list[str]] | None = None,
) -> Out:
    acts = [*(actions or []), NEVER_WAIT, RECORD_ADVICE]
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


DSL = "Your designated safeguarding lead (or named safeguarding professional)"
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
    ["Phone now; give what they need to judge the danger (who, where, what is happening)."],
    {"basis": [], "supporting": ["guidance.ico10step", "guidance.ico_sharing_code"]},
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
        "small numbers, if that still meets the purpose."
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
    "The information was given in confidence and the family has not agreed. For a welfare "
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
        "Share the safeguarding concern itself now if it is needed; ask advice only about the "
        "offence details.",
        "Tell your data protection officer if the appropriate policy document is missing.",
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
    ["Share the non-sensitive facts now if they are needed to protect someone."],
    {"supporting": ["dpa2018.s35", "dpa2018.sch8.para4", "dpa2018.sch8.para1"]},
)
ADV_EMERGENCY = advice(
    "urgent_advice_emergency_details",
    "Act now; take advice on the sensitive details",
    "Call 999 now and give what they need to protect people: who, where, what the danger "
    "is. We could not confirm a condition for health or offence details: give them if "
    "they are needed to save a life, and take advice straight after.",
    ["The police or ambulance call handler", DPO, DSL],
    ["Which condition covers the sensitive details we gave or need to give?"],
    ["Call 999 now.", "Record as soon as you can what you shared, with whom and why."],
    {"supporting": ["guidance.ico10step", "guidance.ico_sharing_code"]},
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
    "Information only about someone who has died is not personal data, and this was not "
    "given in confidence. Share what is needed, with care for the family.",
    (
        "Check it identifies no living person (parents, siblings); if it does, walk the tree "
        "again answering that it identifies living people.",
        "Share only what the purpose needs, securely.",
        "Record what you shared, with whom and why.",
    ),
    (("supporting", ("guidance.ico_sharing_code",)),),
)
DECEASED_REQUIRED = Out(
    "deceased_required_by_law",
    "no_personal_data",
    "About someone who has died: the law requires it",
    "Not personal data, but given in confidence; a legal requirement overrides the duty of "
    "confidence. Provide it; if an order seems too wide, ask the court.",
    (
        "Provide what the order, request or duty requires, securely.",
        "Check it identifies no living person; if it does, walk the tree again.",
        "Record the decision and why: the legal requirement relied on and what you provided.",
    ),
    (("confidentiality", ("common_law.confidentiality",)),),
)
DECEASED_PUBLIC_INTEREST = Out(
    "deceased_public_interest",
    "no_personal_data",
    "About someone who has died: share to protect others",
    "Not personal data; the duty of confidence survives death but yields to protecting a "
    "living child or adult at risk. Share what is needed with the agency that needs it.",
    (
        "Share only what is needed to protect the living (for example siblings), securely.",
        "Check it identifies no living person; if it does, walk the tree again.",
        "Record the decision and why: the concern, the public interest, what you shared.",
    ),
    (
        ("confidentiality", ("common_law.confidentiality",)),
        ("supporting", ("guidance.hmg2024", "guidance.caldicott")),
    ),
)
DNS_DECEASED = refuse(
    "do_not_share_deceased_confidential",
    "Do not share: confidence survives death",
    "The information was given in confidence and there is no legal requirement or "
    "protective purpose to override it. Do not share.",
    ["Decline without confirming details.", "If a safeguarding purpose appears, think again."],
    {"confidentiality": ["common_law.confidentiality"]},
)
ADV_DECEASED = advice(
    "advice_deceased_confidential",
    "Take advice: confidence may survive death",
    "You are not sure whether the information was given in confidence or whether it could "
    "identify living relatives. Check before sharing.",
    [DPO, CALDICOTT],
    ["Was this given in confidence?", "Could it identify living relatives?"],
    law={"confidentiality": ["common_law.confidentiality"]},
)


# ---- the share outcomes, composed from their legal route ------------------------------------


@dataclass
class Route:
    """Everything a share outcome states; composed by the rules, rendered by `share`."""

    kind: str  # emergency | choice | court | statutory_request | statutory_duty
    sharer: str  # public_authority | competent_authority | other_organisation | any
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
    "law enforcement under DPA 2018 Part 3, based on law (s.35)": "law enforcement (DPA 2018 "
    "s.35)",
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
    "strictly necessary, statutory purposes (Sch 8 para 1)": "statutory purposes (Sch 8 para "
    "1)",
    "courts acting in their judicial capacity (Art 9(2)(f))": "courts (Art 9(2)(f))",
    "statutory purposes (Art 9(2)(g), DPA 2018 Sch 1 para 6)": "statutory purposes (Sch 1 "
    "para 6)",
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
}


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
    parts = [prefix, SHARER_KEY[r.sharer] + r.basis_key]
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
        title = "Share now: call 999 or the duty team"
        lead = "Act now: share what is needed to stop the danger."
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
    bits = [lead, "The law: " + "; ".join(law_short) + "."]
    tell_short = TELL_TEXT[r.tell][0] if r.tell else ""
    if tell_short:
        bits.append(f"Then: {tell_short}.")
    summary = " ".join(bits)
    if len(summary.split()) > SUMMARY_WORDS:
        raise ValueError(f"{oid}: summary over {SUMMARY_WORDS} words: {summary}")
    how = [f"Basis: {r.basis_text}."]
    if r.sc_text:
        how.append(f"Health or other special category details: {r.sc_text}.")
    if r.cr_text:
        how.append(f"Offence details: {r.cr_text}.")

    actions: list[str] = []
    if urgent:
        actions.append(
            "Call 999 (or the children's or adults' duty team) now; give who, where and "
            "what the danger is."
        )
    if r.kind in ("choice", "emergency"):
        actions.append(LESS)
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
    actions.append(
        "Tell your designated safeguarding lead what you shared, and diarise a follow-up "
        "with the recipient."
    )

    transparency = TELL_TEXT[r.tell][2] if r.tell else []
    supporting = list(dict.fromkeys(r.supporting + (["ukgdpr.art5"] if r.kind == "choice" else [])))
    law = (
        ("basis", tuple(r.basis)),
        ("special_category", tuple(r.sc)),
        ("criminal_offence", tuple(r.cr)),
        ("confidentiality", tuple(r.conf)),
        ("transparency", tuple(transparency)),
        ("supporting", tuple(supporting)),
    )
    return Out(oid, "share_urgently" if urgent else "share", title, summary, tuple(actions), law)


# --------------------------------------------------------------------------------------------
# The rules, in LAW.md's order. `f(fact)` returns the answer; the builder explores them all.
# --------------------------------------------------------------------------------------------

F = Callable[[str], str]

APD_GAP = (
    "Tell your data protection officer that there is no appropriate policy document: the "
    "safeguarding and statutory conditions (Sch 1 paras 6, 18, 19) are not met without one."
)
READING = (
    "If consent was refused, treating the refusal as consent that 'cannot reasonably be "
    "obtained' (para 18(2)(b)) is a reading of the law, not settled guidance. If respecting "
    "the refusal or asking again would put them at risk, para 18(2)(c) applies instead: "
    "record which."
)
PARA19_HEALTH = (
    "Para 19 covers health information only: leave out other special category details "
    "(such as religion) unless your data protection officer confirms another condition."
)
PARA36_NOTE = (
    "Offence details use para 36 with para 18. Whether para 36 needs an appropriate policy "
    "document is unconfirmed; you have one, so this route is covered either way."
)


def ask_sharer(f: F) -> str:
    """Who is sharing; for a UK GDPR sharer, at once whether as a health or care professional.

    The two are one question (see PAIRS). Asked here, the second costs nothing; the builder
    leaves it out wherever it cannot change the outcome.
    """
    sharer = f("sharer")
    if sharer in ("public_authority", "other_organisation"):
        f("care_professional")
    return sharer


def decide(f: F) -> Out:
    danger = f("immediate_danger")
    if danger == "unsure":
        raise Stop(ADV_DANGER)
    if danger == "yes":
        return emergency(f)

    ident = f("identifiable")
    if ident == "no":
        raise Stop(NO_PERSONAL)
    if ident == "unsure":
        raise Stop(ADV_IDENTIFIABLE)
    if ident == "deceased_only":
        return deceased(f)

    legal = f("legal_requirement")
    if legal == "unsure":
        raise Stop(ADV_LEGAL)
    if legal == "court_order":
        return court_order()
    if legal in ("statutory_request", "statutory_duty"):
        return statutory(f, legal)

    concern = f("concern")
    if concern == "unsure":
        raise Stop(ADV_CONCERN)
    if concern == "no_safeguarding_purpose":
        raise Stop(DNS_NO_PURPOSE)
    role = f("recipient_role")
    if role == "no_safeguarding_role":
        raise Stop(DNS_NO_ROLE)
    if role == "unsure":
        raise Stop(ADV_ROLE)
    nec = f("necessary")
    if nec == "no":
        raise Stop(DNS_NOT_NEEDED)
    if nec == "unsure":
        raise Stop(ADV_NECESSARY)
    # "Less would do" leads on like "yes": every share outcome says to share only what is
    # needed and what to leave out, so the answer changes what is shared, not the route.

    # Consent: for adults it comes before the legal conditions, because a refusal by an adult
    # with capacity normally stands and ends the walk (LAW.md step 10); for children it
    # matters only for the Art 9/10 conditions and for confidentiality, so it is asked there.
    state = adult_consent(f, concern) if concern not in CHILD else ""

    sharer = ask_sharer(f)
    if sharer == "unsure":
        raise Stop(ADV_SHARER)
    r = Route("choice", sharer, concern)
    set_basis(r)

    special = f("special_category") != "no"
    # A public body's offence data is under official authority (Art 10) whatever it is, and
    # Part 3 covers a competent authority's, so only other organisations are asked.
    criminal = sharer == "public_authority" or (
        sharer == "other_organisation" and f("criminal_offence_data") != "no"
    )

    def child_state() -> str:
        nonlocal state
        if not state:
            state = child_consent(f)
        return state

    if concern == "adult_other" and state not in ("given", "given_explicitly"):
        # Para 18 and Annex 1 para 6 cover only children and adults at risk.
        raise Stop(ADV_BEST_INTERESTS if state == "lacks_capacity" else ADV_ADULT_OTHER)

    if concern == "child_welfare" and sharer != "competent_authority":
        # Below significant harm, sharing confidential information without consent is a
        # public-interest judgement made case by case (LAW.md step 9): advice. Health and
        # offence details are treated as confidential without asking, which saves a question
        # where the answer could only be "yes" in practice.
        if child_state() == "could_ask":
            raise Stop(ASK_CONSENT_FIRST)
        sensitive = special or (criminal and sharer != "public_authority")
        if child_state() in NO_CONSENT and (sensitive or f("confidential") != "no"):
            raise Stop(ADV_CHILD_WELFARE_CONF)

    if special:
        if sharer == "competent_authority":
            law_enforcement_sensitive(f, r)
        else:
            special_condition(f, r, concern, child_state if concern in CHILD else lambda: state)
    if criminal:
        offence_route(f, r, concern, child_state if concern in CHILD else lambda: state)

    set_confidentiality(r, state)
    r.tell = "ca" if sharer == "competent_authority" else "choice"
    return share(r)


def set_basis(r: Route) -> None:
    c = r.concern
    if r.sharer == "public_authority":
        r.basis = ["ukgdpr.art6.1e"]
        r.basis_text = "public task (UK GDPR Art 6(1)(e)), from your statutory duties"
        r.supporting = [*(PA_CHILD if c in CHILD else PA_ADULT), "hra1998.art8"]
    elif r.sharer == "competent_authority":
        r.basis = ["dpa2018.s35"]
        r.basis_text = "law enforcement under DPA 2018 Part 3 (s.35)"
        r.supporting = ["dpa2018.sch7", "cja2003.s325", "ca2004.s11", "hra1998.art8"]
    elif c in AT_RISK:
        r.basis = ["ukgdpr.art6.1ea", "ukgdpr.annex1.para6"]
        r.basis_key = "_rli"
        r.basis_text = (
            "recognised legitimate interest, safeguarding a vulnerable individual (Art "
            "6(1)(ea), Annex 1 para 6)"
        )
    else:
        r.basis = ["ukgdpr.art6.1f"]
        r.basis_key = "_li"
        r.basis_text = "legitimate interests (Art 6(1)(f)), after a balancing test"
        r.notes.append(
            "Before sharing, write a short balancing test: your interest in protecting them, "
            "against their interests and rights (legitimate interests, Art 6(1)(f))."
        )
    if r.kind == "choice":
        r.supporting += ["ukgdpr.annex2.para8"]
    if r.concern in CHILD:
        r.supporting += ["guidance.hmg2024", "guidance.wt2023"]
    else:
        r.supporting += ["guidance.ico_sharing_code"]


def adult_consent(f: F, concern: str) -> str:
    cap = f("adult_has_capacity")
    if cap == "no":
        return "lacks_capacity"
    if cap != "yes":
        raise Stop(ADV_CAPACITY)
    c = f("consent")
    if c in ("given", "given_explicitly"):
        return c
    if c == "unsure":
        raise Stop(ADV_CONSENT_UNSURE)
    if c == "refused":
        coerced = f("adult_coerced")
        if coerced in ("yes", "unsure"):
            raise Stop(ADV_OVERRIDE_COERCION)
        others = f("others_at_risk")
        if others in ("yes", "unsure"):
            raise Stop(ADV_OVERRIDE_OTHERS)
        raise Stop(DNS_ADULT_REFUSED)
    # Not yet asked. An adult with capacity is normally asked first, since a refusal would
    # stand; whether asking would itself put them at risk (para 18(2)(c)) is a judgement for
    # the safeguarding lead, not a box to tick here.
    raise Stop(ADV_ADULT_ASK_FIRST)


def child_consent(f: F) -> str:
    reason = f("without_consent_reason")
    if reason == "unsure":
        raise Stop(ADV_REASON_UNSURE)
    if reason != "none":
        return reason
    c = f("consent")
    if c == "unsure":
        raise Stop(ADV_CONSENT_UNSURE)
    if c == "not_sought":
        return "could_ask"
    return c  # given | given_explicitly | refused


def special_condition(f: F, r: Route, concern: str, state_of: Callable[[], str]) -> None:
    """The Art 9 condition for a UK GDPR sharer.

    Care professionals are asked first: Art 9(2)(h) with Sch 1 para 2 holds with or without
    consent and needs no policy document (LAW.md step 7), so for them nothing else need be
    asked. The exception is financial abuse, where para 19 is the condition made for it and
    protecting someone's money is not plainly a health or social care purpose.
    """
    if concern not in CHILD and state_of() == "given_explicitly":
        set_explicit(r)
        return
    if concern != "adult_economic_risk" and f("care_professional") == "yes":
        set_care(r, gap=False)
        return
    st = state_of()
    if st == "given_explicitly":
        set_explicit(r)
        return
    if st in NO_CONSENT:
        para = "dpa2018.sch1.para19" if concern == "adult_economic_risk" else "dpa2018.sch1.para18"
        if f("apd_in_place") == "yes":
            r.sc = ["ukgdpr.art9.2g", para]
            if para.endswith("19"):
                r.sc_key = "sc19"
                r.sc_text = (
                    "economic well-being without consent (Art 9(2)(g), DPA 2018 Sch 1 para 19)"
                )
                r.notes.append(PARA19_HEALTH)
            else:
                r.sc_key = "sc18"
                r.sc_text = "safeguarding without consent (Art 9(2)(g), DPA 2018 Sch 1 para 18)"
            if st in ("cannot_reasonably_obtain", "refused"):
                r.notes.append(READING)
                r.sc_key += "_reading"
            return
        if f("care_professional") == "yes":
            set_care(r, gap=True)
            return
        raise Stop(ADV_NO_CONDITION)
    # Consent given (not explicitly), or consent could still be asked for.
    if concern == "adult_economic_risk" and f("care_professional") == "yes":
        set_care(r, gap=False)
        return
    raise Stop(ADV_EXPLICIT if st == "given" else ASK_CONSENT_FIRST)


def set_explicit(r: Route) -> None:
    r.sc, r.sc_key = ["ukgdpr.art9.2a"], "sc_explicit"
    r.sc_text = "explicit consent (Art 9(2)(a))"


def set_care(r: Route, gap: bool) -> None:
    r.sc = ["ukgdpr.art9.2h", "dpa2018.sch1.para2"]
    r.sc_key = "sc_care_noapd" if gap else "sc_care"
    r.sc_text = (
        "health or social care purposes, by a professional owing confidentiality (Art "
        "9(2)(h), DPA 2018 Sch 1 para 2); it does not depend on consent"
    )
    if gap:
        r.notes.append(APD_GAP)
    r.supporting = [*r.supporting, "guidance.caldicott"]


def law_enforcement_sensitive(f: F, r: Route) -> None:
    apd = f("apd_in_place")
    if apd != "yes":
        raise Stop(ADV_CA_APD)
    r.sc = ["dpa2018.sch8.para1"]
    r.sc_key = "sch8"
    r.sc_text = (
        "strictly necessary, for a statutory purpose (DPA 2018 s.35(5), Sch 8 para 1), "
        "under your appropriate policy document"
    )


def offence_route(f: F, r: Route, concern: str, state_of: Callable[[], str]) -> None:
    if r.sharer == "competent_authority":
        return  # Offence data is the core of Part 3 processing: s.35 covers it.
    if r.sharer == "public_authority":
        r.cr, r.cr_key = ["ukgdpr.art10"], "cr_oa"
        r.cr_text = (
            "if there are any, under official authority, as a public body acting in its "
            "functions (Art 10)"
        )
        return
    st = state_of()
    if st in NO_CONSENT and concern in AT_RISK:
        apd = f("apd_in_place")
        if apd == "yes":
            r.cr = ["ukgdpr.art10", "dpa2018.s10", "dpa2018.sch1.para36", "dpa2018.sch1.para18"]
            r.cr_key = "cr36"
            r.cr_text = (
                "Art 10 with DPA 2018 Sch 1 para 36 and the safeguarding condition (para 18)"
            )
            r.notes.append(PARA36_NOTE)
            return
    care = f("care_professional")
    if care == "yes":
        r.cr = ["ukgdpr.art10", "dpa2018.s10", "dpa2018.sch1.para2"]
        r.cr_key = "cr_care"
        r.cr_text = (
            "Art 10 with the health and social care condition (DPA 2018 s.10(5), Sch 1 para 2)"
        )
        return
    raise Stop(ADV_PARA36)


def set_confidentiality(r: Route, state: str) -> None:
    r.conf = ["common_law.confidentiality"]
    if state in ("given", "given_explicitly"):
        r.conf_text = "they agreed"
    if r.sharer == "competent_authority":
        return


# ---- the other branches ---------------------------------------------------------------------


def deceased(f: F) -> Out:
    conf = f("confidential")
    if conf == "no":
        raise Stop(DECEASED_FREE)
    if conf == "unsure":
        raise Stop(ADV_DECEASED)
    legal = f("legal_requirement")
    if legal == "unsure":
        raise Stop(ADV_LEGAL)
    if legal != "none":
        raise Stop(DECEASED_REQUIRED)
    concern = f("concern")
    if concern == "unsure":
        raise Stop(ADV_CONCERN)
    if concern == "no_safeguarding_purpose":
        raise Stop(DNS_DECEASED)
    role = f("recipient_role")
    if role == "no_safeguarding_role":
        raise Stop(DNS_NO_ROLE)
    if role == "unsure":
        raise Stop(ADV_ROLE)
    raise Stop(DECEASED_PUBLIC_INTEREST)


def court_order() -> Out:
    r = Route("court", "any")
    r.basis = ["ukgdpr.art6.1c", "dpa2018.s35"]
    r.basis_text = (
        "legal obligation (Art 6(1)(c)); for police or probation processing for law "
        "enforcement, DPA 2018 s.35"
    )
    r.sc = ["ukgdpr.art9.2f"]
    r.sc_key = ""
    r.sc_text = "courts acting in their judicial capacity (Art 9(2)(f))"
    r.cr = ["ukgdpr.art10", "dpa2018.s10"]
    r.cr_text = (
        "Art 10: official authority for a public body; otherwise authorised by law through a "
        "Schedule 1 condition (s.10(5)) - your data protection officer will name it"
    )
    r.conf = ["common_law.confidentiality"]
    r.tell = "law"
    r.notes = [
        "Do not withhold: if the order seems too wide, ask the court to vary it, and comply "
        "meanwhile with what it clearly requires.",
    ]
    return share(r)


def statutory(f: F, legal: str) -> Out:
    sharer = ask_sharer(f)
    if sharer == "unsure":
        raise Stop(ADV_SHARER)
    r = Route(legal, sharer)
    if sharer == "competent_authority":
        r.basis = ["dpa2018.s35"]
        r.basis_text = "law enforcement under DPA 2018 Part 3, based on law (s.35)"
    else:
        r.basis = ["ukgdpr.art6.1c"]
        r.basis_text = "legal obligation (UK GDPR Art 6(1)(c))"
    if legal == "statutory_request":
        r.supporting = ["ca1989.s47", "care2014.s45"]
        r.notes.append(
            "A s.47 request binds only the bodies in s.47(11), and yields where helping "
            "would be unreasonable in all the circumstances (s.47(10)); if you think it "
            "would be, take advice before declining and record why."
        )
    else:
        r.supporting = ["ca2004.s16la", "cpa2026.duty_to_report"]
        r.notes.append(
            "Check the duty is in force: the commencement of Children Act 2004 s.16LA and of "
            "the Crime and Policing Act 2026 reporting duty is unconfirmed. If you rely on "
            "one of those, walk the tree again answering 'No legal requirement': the usual "
            "safeguarding route will apply."
        )
    r.conf = ["common_law.confidentiality"]
    r.tell = "law"
    special = f("special_category") != "no"
    # As on the choice route: official authority covers a public body's offence data.
    criminal = sharer == "public_authority" or (
        sharer == "other_organisation" and f("criminal_offence_data") != "no"
    )
    if special:
        if sharer == "competent_authority":
            law_enforcement_sensitive(f, r)
        else:
            care = f("care_professional")
            if care == "yes":
                set_care(r, gap=False)
                r.sc_key = "sc_care"
            elif f("apd_in_place") == "yes":
                r.sc = ["ukgdpr.art9.2g", "dpa2018.sch1.para6"]
                r.sc_key = "sc6"
                r.sc_text = "statutory purposes (Art 9(2)(g), DPA 2018 Sch 1 para 6)"
            else:
                raise Stop(ADV_NO_CONDITION)
    if criminal and sharer == "public_authority":
        r.cr, r.cr_key = ["ukgdpr.art10"], "cr_oa"
        r.cr_text = "if there are any, under official authority (Art 10)"
    elif criminal and sharer == "other_organisation":
        care = f("care_professional")
        if care == "yes":
            r.cr = ["ukgdpr.art10", "dpa2018.s10", "dpa2018.sch1.para2"]
            r.cr_key = "cr_care"
            r.cr_text = "Art 10 with the health and social care condition (Sch 1 para 2)"
        elif f("apd_in_place") == "yes":
            r.cr = ["ukgdpr.art10", "dpa2018.s10", "dpa2018.sch1.para36", "dpa2018.sch1.para6"]
            r.cr_key = "cr36"
            r.cr_text = "Art 10 with Sch 1 para 36 and the statutory purposes condition (para 6)"
            r.notes.append(
                "Whether para 36 needs an appropriate policy document is unconfirmed; you "
                "have one, so this route is covered either way."
            )
        else:
            raise Stop(ADV_PARA36)
    return share(r)


def emergency(f: F) -> Out:
    sharer = ask_sharer(f)
    r = Route("emergency", "any" if sharer == "unsure" else sharer)
    if sharer == "public_authority":
        r.basis = ["ukgdpr.art6.1e", "ukgdpr.art6.1d"]
        r.basis_text = (
            "public task (Art 6(1)(e)); vital interests (Art 6(1)(d)) where a life is at risk"
        )
        r.supporting = ["dpa2018.s8", "hra1998.art8"]
    elif sharer == "competent_authority":
        r.basis = ["dpa2018.s35"]
        r.basis_text = "law enforcement under DPA 2018 Part 3 (s.35)"
        r.supporting = ["dpa2018.sch7"]
    elif sharer == "other_organisation":
        r.basis = ["ukgdpr.art6.1d", "ukgdpr.art6.1f"]
        r.basis_key = "_vi"
        r.basis_text = (
            "vital interests where a life is at risk (Art 6(1)(d)); otherwise legitimate "
            "interests (Art 6(1)(f)) - protecting someone from serious harm"
        )
    else:
        r.basis = ["ukgdpr.art6.1d", "dpa2018.s35"]
        r.basis_text = (
            "vital interests (Art 6(1)(d)); for police or probation acting for law "
            "enforcement, DPA 2018 s.35"
        )
    r.supporting = [*r.supporting, "guidance.ico10step", "guidance.ico_sharing_code"]
    r.conf = ["common_law.confidentiality"]
    r.tell = "ca" if sharer == "competent_authority" else "after"

    special = f("special_category") != "no"
    criminal = sharer == "public_authority" or (
        sharer in ("other_organisation", "unsure") and f("criminal_offence_data") != "no"
    )
    if sharer == "unsure" and (special or criminal):
        raise Stop(ADV_EMERGENCY)
    if special:
        if sharer == "competent_authority":
            if f("apd_in_place") != "yes":
                raise Stop(ADV_EMERGENCY)
            r.sc, r.sc_key = ["dpa2018.sch8.para1"], "sch8"
            r.sc_text = "strictly necessary, statutory purposes (Sch 8 para 1)"
        else:
            emergency_special(f, r)
    if criminal and sharer == "public_authority":
        r.cr, r.cr_key = ["ukgdpr.art10"], "cr_oa"
        r.cr_text = "if there are any, under official authority (Art 10)"
    elif criminal and sharer == "other_organisation":
        if f("care_professional") == "yes":
            r.cr = ["ukgdpr.art10", "dpa2018.s10", "dpa2018.sch1.para2"]
            r.cr_key = "cr_care"
            r.cr_text = "Art 10 with the health and social care condition (Sch 1 para 2)"
        elif (
            f("without_consent_reason")
            in ("cannot_reasonably_obtain", "would_prejudice_protection", "cannot_be_given")
            and f("concern") in AT_RISK
            and f("apd_in_place") == "yes"
        ):
            r.cr = ["ukgdpr.art10", "dpa2018.s10", "dpa2018.sch1.para36", "dpa2018.sch1.para18"]
            r.cr_key = "cr36"
            r.cr_text = "Art 10 with Sch 1 para 36 and the safeguarding condition (para 18)"
            r.notes.append(PARA36_NOTE)
        else:
            raise Stop(ADV_EMERGENCY)
    return share(r)


def emergency_special(f: F, r: Route) -> None:
    if f("care_professional") == "yes":
        set_care(r, gap=False)
        return
    reason = f("without_consent_reason")
    if reason == "cannot_be_given":
        r.sc, r.sc_key = ["ukgdpr.art9.2c"], "sc_vital"
        r.sc_text = (
            "vital interests, as the person cannot consent (Art 9(2)(c)) - life-or-death only"
        )
        r.notes.append(
            "Art 9(2)(c) covers only a threat to life where the person cannot consent; if the "
            "danger is serious harm short of that, take advice afterwards on the condition."
        )
        return
    if reason in ("cannot_reasonably_obtain", "would_prejudice_protection"):
        concern = f("concern")
        if concern in AT_RISK and f("apd_in_place") == "yes":
            r.sc, r.sc_key = ["ukgdpr.art9.2g", "dpa2018.sch1.para18"], "sc18"
            r.sc_text = "safeguarding without consent (Art 9(2)(g), DPA 2018 Sch 1 para 18)"
            if reason == "cannot_reasonably_obtain":
                r.notes.append(READING)
                r.sc_key += "_reading"
            return
        raise Stop(ADV_EMERGENCY)
    if reason == "none" and f("consent") == "given_explicitly":
        r.sc, r.sc_key = ["ukgdpr.art9.2a"], "sc_explicit"
        r.sc_text = "explicit consent (Art 9(2)(a))"
        return
    raise Stop(ADV_EMERGENCY)


# --------------------------------------------------------------------------------------------
# The builder: explore every answer, merge identical subtrees, drop questions that cannot
# change the outcome, name the nodes and write YAML.
# --------------------------------------------------------------------------------------------


class _Need(Exception):
    def __init__(self, fact: str) -> None:
        self.fact = fact


def _values(vocab: dict[str, Any], fact: str) -> list[str]:
    return list(vocab[fact]["values"])


Node = tuple[Any, ...]  # ("out", Out) | ("q", fact, ((value, Node), ...))
# After `pair_up`: ("q", fact, ((value, also, Node), ...)) with also = ((fact, value), ...).


def explore(vocab: dict[str, Any]) -> Node:
    memo: dict[Node, Node] = {}

    def intern(node: Node) -> Node:
        return memo.setdefault(node, node)

    def go(assign: dict[str, str]) -> Node:
        try:
            out = _run_strict(assign)
        except _Need as need:
            kids = tuple((v, go({**assign, need.fact: v})) for v in _values(vocab, need.fact))
            targets = {k for _, k in kids}
            if len(targets) == 1:
                return kids[0][1]  # No answer changes the outcome: do not ask.
            return intern(("q", need.fact, kids))
        return intern(("out", out))

    return go({})


def _run_strict(assign: dict[str, str]) -> Out:
    def f(fact: str) -> str:
        if fact in assign:
            return assign[fact]
        raise _Need(fact)

    try:
        return decide(f)
    except Stop as stop:
        return stop.out


def pair_up(root: Node) -> Node:
    """Merge each question with a paired second question asked straight after it (PAIRS)."""
    memo: dict[int, Node] = {}

    def go(node: Node) -> Node:
        if node[0] == "out":
            return node
        if id(node) not in memo:
            fact, kids = node[1], node[2]
            opts: list[tuple[str, tuple[tuple[str, str], ...], Node]] = []
            for value, kid in kids:
                if kid[0] == "q" and (fact, kid[1]) in PAIRS:
                    opts += [(value, ((kid[1], v2),), go(k2)) for v2, k2 in kid[2]]
                else:
                    opts.append((value, (), go(kid)))
            memo[id(node)] = ("q", fact, tuple(opts))
        return memo[id(node)]

    return go(root)


def _ask_for(node: Node) -> tuple[Ask, bool]:
    """The wording of a question node: its pair's if any answer settles two facts."""
    fact = node[1]
    for value, also, _kid in node[2]:
        if also:
            return PAIRS[(fact, also[0][0])].ask, True
    return ASKS[fact], False


def _label_key(value: str, also: tuple[tuple[str, str], ...]) -> str:
    return "+".join([value, *(v for _f, v in also)])


def build(vocab: dict[str, Any]) -> dict[str, Any]:
    root = pair_up(explore(vocab))
    # Name questions breadth-first so that ids read in walking order.
    names: dict[Node, str] = {}
    used: dict[str, int] = {}
    outcomes: dict[str, Out] = {}
    order: list[Node] = []
    queue = [(root, False)]
    seen: set[int] = set()
    while queue:
        node, em = queue.pop(0)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node[0] == "out":
            out: Out = node[1]
            prev = outcomes.get(out.id)
            if prev is not None and prev != out:
                raise ValueError(f"two different outcomes named {out.id}")
            outcomes[out.id] = out
            continue
        fact = node[1]
        base = ("em_" if em else "") + _ask_for(node)[0].short
        n = used.get(base, 0) + 1
        used[base] = n
        names[node] = base if n == 1 else f"{base}_{n}"
        order.append(node)
        for value, _also, kid in node[2]:
            in_em = em or (fact == "immediate_danger" and value == "yes")
            queue.append((kid, in_em))

    def target(node: Node) -> str:
        return node[1].id if node[0] == "out" else names[node]

    questions: dict[str, Any] = {}
    for node in order:
        fact, kids = node[1], node[2]
        ask, paired = _ask_for(node)
        options = []
        rest: list[str] = []
        for value, also, kid in kids:
            key = _label_key(value, also)
            if key in ask.labels:
                option: dict[str, Any] = {"value": value}
                if also:
                    option["also"] = dict(also)
                option.update(label=ask.labels[key], next=target(kid))
                options.append(option)
            elif paired and value in ASKS[fact].labels:
                raise ValueError(f"{fact}: the pair has no label for {key!r}")
            else:
                rest.append(target(kid))
        q: dict[str, Any] = {
            "fact": fact,
            "text": ask.text,
            "help": ask.help,
            "why": ask.why,
            "options": options,
        }
        if rest:
            if len(set(rest)) != 1:
                raise ValueError(f"{names[node]}: unlabelled values lead to different places")
            q["otherwise"] = rest[0]
        questions[names[node]] = q

    ordered_outcomes = dict(sorted(outcomes.items(), key=lambda kv: _outcome_rank(kv[1])))
    return {
        "id": "england",
        "title": "Sharing information to safeguard children and adults at risk (England)",
        "version": "2026.11.1",
        "jurisdiction": "England",
        "law_as_at": "2026-11-29",
        "description": (
            "Whether and how to share information to protect a child or an adult at risk in "
            "England, under UK GDPR (as amended by the Data (Use and Access) Act 2025), the "
            "Data Protection Act 2018, the common-law duty of confidentiality and the "
            "statutory guidance. Generated from decision_trees/build_england.py; edit there."
        ),
        "start": names[root],
        "questions": questions,
        "outcomes": {oid: o.as_yaml() for oid, o in ordered_outcomes.items()},
    }


def _outcome_rank(o: Out) -> tuple[int, str]:
    rank = ["share_urgently", "share", "no_personal_data", "seek_advice", "do_not_share"]
    return rank.index(o.decision), o.id


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def render(tree: dict[str, Any]) -> str:
    header = (
        "# The England safeguarding information-sharing tree.\n"
        "# GENERATED by decision_trees/build_england.py from rules written in the order of the\n"
        "# law; do not edit by hand (a test fails if this file and the generator disagree).\n"
    )
    body = yaml.dump(
        tree,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return header + body


DOCS = HERE.parent / "docs" / "tree.md"


def docs_sections() -> dict[str, str]:
    """The generated parts of docs/tree.md: statistics and the Mermaid diagram of england.yaml."""
    from sharewise.domain import diagram
    from sharewise.domain.graph import load_tree
    from sharewise.domain.invariants import histogram, path_lengths, question_stats

    tree = load_tree(OUT)
    fewest, median, most = question_stats(tree)
    counts = histogram(path_lengths(tree))
    rows = "\n".join(f"| {n} | {c} |" for n, c in counts.items())
    stats = (
        f"{len(tree.model.questions)} question nodes, {len(tree.model.outcomes)} outcomes, "
        f"{sum(counts.values())} paths (one per combination of answers that matters).\n\n"
        f"Questions per path: **fewest {fewest}, median {median:g}, most {most}**.\n\n"
        f"| questions asked | paths |\n|---:|---:|\n{rows}"
    )
    return {
        "stats": stats,
        "overview": "```mermaid\n" + diagram.overview(tree) + "```",
        "mermaid": "```mermaid\n" + diagram.mermaid(tree) + "```",
    }


def render_docs(text: str, sections: dict[str, str]) -> str:
    for name, body in sections.items():
        begin = f"<!-- BEGIN GENERATED {name} -->"
        end = f"<!-- END GENERATED {name} -->"
        head, _, rest = text.partition(begin)
        _, _, tail = rest.partition(end)
        text = f"{head}{begin}\n{body}\n{end}{tail}"
    return text


def main() -> int:
    vocab = yaml.safe_load((HERE / "facts.yaml").read_text(encoding="utf-8"))
    text = render(build(vocab))
    if "--check" in sys.argv:
        return 0 if OUT.read_text(encoding="utf-8") == text else 1
    OUT.write_text(text, encoding="utf-8")
    if "--docs" in sys.argv:
        DOCS.write_text(render_docs(DOCS.read_text(encoding="utf-8"), docs_sections()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

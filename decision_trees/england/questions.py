"""The England tree's questions: one plain sentence, an example, why we ask, and labels.

Values not listed in `labels` are routed by `otherwise` where the tree needs them (for
example "not applicable" to an adult-only question on an adult path). Wording variants are
keyed `fact/variant` (see sharewise.authoring.spec).
"""

from __future__ import annotations

from sharewise.authoring import Ask, Pair

# --------------------------------------------------------------------------------------------
# Questions: one plain sentence, "what this means" with an example, "why we ask", and a label
# for every value. Values not listed in `labels` are routed by `otherwise` where the tree needs
# them (for example "not applicable" to an adult-only question on an adult path).
# --------------------------------------------------------------------------------------------


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
        "Children's or adults' social care, health professionals, a school's designated "
        "safeguarding lead, the MASH or a Safeguarding Adults Board have a role, and so do "
        "the police. Another parent, an employer, a landlord or a journalist does not.",
        "Share only with people who have a role in protecting this person (HMG 2024 rule 6; "
        "Caldicott principles 3 and 4). A disclosure to the police opens a condition that "
        "needs no policy document (DPA 2018 Sch 1 para 10(2)).",
        {
            "safeguarding_role": "Yes - a safeguarding agency (social care, health, a DSL, MASH)",
            "law_enforcement": "Yes - the police (or another law-enforcement body)",
            "no_safeguarding_role": "No",
            "unsure": "Not sure",
        },
    ),
    "recipient_role/statutory": Ask(
        "recipient_duty",
        "Who are you providing it to?",
        "For example the police (FGM mandatory reporting goes to the police), children's or "
        "adults' social care, a Safeguarding Adults Board, a review panel or a court.",
        "For health or other special category details, a disclosure to the police has a "
        "condition that needs no policy document (DPA 2018 Sch 1 para 10(2)).",
        {
            "law_enforcement": "The police (or another law-enforcement body)",
            "safeguarding_role": "Social care, health, a Safeguarding Adults Board or another "
            "safeguarding body",
            "no_safeguarding_role": "Someone else (for example a court, regulator or panel)",
            "unsure": "Not sure",
        },
    ),
    "recipient_role/emergency": Ask(
        "recipient_emergency",
        "For the record: who did you give it to (or will you)?",
        "For example the police on 999, an ambulance crew, or the children's or adults' duty "
        "team. This does not change what you give them: it chooses what the record cites.",
        "A disclosure to the police has a condition that needs no policy document (DPA 2018 "
        "Sch 1 para 10(2)).",
        {
            "law_enforcement": "The police",
            "safeguarding_role": "An ambulance crew, the duty team or another safeguarding service",
            "no_safeguarding_role": "Someone else",
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
        "authorities. A police officer, probation officer or youth offending team worker "
        "managing an offender or dealing with a crime picks 'Police, probation or youth "
        "offending team' (DPA 2018 Part 3), not 'a public authority'. Charities, private "
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
    "special_category/part3": Ask(
        "sensitive",
        "Does the information include health or other sensitive details - not counting "
        "convictions or offences?",
        "Sensitive under DPA 2018 Part 3 (s.35(8)): health (including mental health and drug "
        "or alcohol use), sex life or sexual orientation, racial or ethnic origin, religious "
        "or philosophical beliefs, trade union membership, genetic or biometric data. "
        "Convictions, cautions and alleged offences are NOT sensitive here: answer 'No' if "
        "that is all you are sharing.",
        "Under Part 3, sensitive processing must be strictly necessary, meet a Schedule 8 "
        "condition and be covered by an appropriate policy document (DPA 2018 s.35(5)); "
        "offence details need only s.35.",
        {
            "yes": "Yes - health or other sensitive details",
            "no": "No - only convictions, offences or other non-sensitive details",
            "unsure": "Not sure",
        },
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
        "If you share without the person's consent (the child's own, or a parent's for a young "
        "child who cannot decide for themselves; an adult's own), which of these applies?",
        "(a) Consent cannot be given: too young to understand, lacks capacity. (b) You cannot "
        "reasonably be expected to obtain it: the person cannot be reached, or was asked and "
        "refused (a reading of the law, see the outcome). (c) Asking would put them at greater "
        "risk or prejudice their protection or an investigation - for example by warning an "
        "abuser. If you cannot tell which applies, choose 'Not sure which applies': it leads to "
        "advice.",
        "The safeguarding condition (DPA 2018 Sch 1 para 18) applies only when sharing "
        "without consent for one of these three reasons.",
        {
            "cannot_be_given": "Consent cannot be given",
            "cannot_reasonably_obtain": "We cannot reasonably be expected to obtain it",
            "would_prejudice_protection": "Asking would increase the risk or prejudice protection",
            "none": "None of these - consent could be asked for, or has been given",
            "unsure": "Not sure which applies",
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
    "apd_in_place/part3": Ask(
        "policy_document_part3",
        "Does your force or service have an appropriate policy document for sensitive processing?",
        "An organisation-level document explaining how the force or service handles "
        "sensitive information under DPA 2018 Part 3 and how long it keeps it. Your data "
        "protection officer will know; it is not something you write now.",
        "Sensitive processing under Part 3 is lawful only with an appropriate policy document "
        "in place (DPA 2018 s.35(5)).",
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
    "organisation_kind": Ask(
        "organisation_kind",
        "What kind of public body are you sharing for?",
        "A GP practice, a district council or the police outside law enforcement pick "
        "'another public body'. Your IG lead can settle this in the settings.",
        "Public task rests on your own body's statutory duties (DPA 2018 s.8): your record "
        "names only the law that is yours.",
        {
            "council": "A council with children's and adults' social care",
            "nhs_body": "An NHS body (NHS England, ICB, NHS trust or foundation trust)",
            "maintained_school": "A maintained school or further education college",
            "academy": "An academy or free school",
            "other_public_body": "Another public body",
            "unsure": "Not sure",
        },
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


PAIRS: dict[tuple[str, str], Pair] = {
    ("sharer", "care_professional"): Pair(
        "sharer",
        "care_professional",
        Ask(
            "sharer",
            "Who is sharing, and in what capacity?",
            "Councils, NHS bodies, GP practices, maintained schools and academies are public "
            "authorities. A police officer, probation officer or youth offending team worker "
            "managing an offender or dealing with a crime picks 'Police, probation or youth "
            "offending team' (DPA 2018 Part 3), not 'a public authority'. Charities, "
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
            "Who would you share with, and do they need this information?",
            "A safeguarding agency: children's or adults' social care, health professionals, "
            "a school's designated safeguarding lead, the MASH or a Safeguarding Adults Board. "
            "The police are their own answer. Another parent, an employer, a landlord or a "
            "journalist has no role. Then ask what they need to act: often less than you hold "
            "- an address, not the whole file; what happened this week, not the history.",
            "Share only with people who have a role in protecting this person, and only what "
            "they need (HMG 2024 rule 6; Caldicott principles 3 and 4; UK GDPR Art 5(1)(c)). "
            "A disclosure to the police opens a condition that needs no policy document (DPA "
            "2018 Sch 1 para 10(2)).",
            {
                "safeguarding_role+yes": "A safeguarding agency, and they need this",
                "safeguarding_role+less_would_do": "A safeguarding agency, but less would do",
                "safeguarding_role+no": "A safeguarding agency, but they do not need this",
                "safeguarding_role+unsure": "A safeguarding agency; not sure what they need",
                "safeguarding_role": "A safeguarding agency",
                "law_enforcement+yes": "The police, and they need this",
                "law_enforcement+less_would_do": "The police, but less would do",
                "law_enforcement+no": "The police, but they do not need this",
                "law_enforcement+unsure": "The police; not sure what they need",
                "law_enforcement": "The police",
                "no_safeguarding_role": "Someone with no role in safeguarding this person",
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
                "yes+given_explicitly": "They can decide, and agreed expressly - it is recorded",
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

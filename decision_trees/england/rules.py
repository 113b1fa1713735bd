"""The England rules, in the order of LAW.md: a plain function of the facts (`decide`).

`f(fact)` returns the practitioner's answer; the builder (sharewise.authoring) runs these
rules for every combination of answers that matters. Edit here, then regenerate the tree:
`sharewise tree build decision_trees/england` (see docs/tree.md).
"""

from __future__ import annotations

from collections.abc import Callable

from sharewise.authoring import F, Out, Stop

from .outcomes import (
    ADV_ADULT_ASK_FIRST,
    ADV_ADULT_OTHER,
    ADV_BEST_INTERESTS,
    ADV_CA_APD,
    ADV_CAPACITY,
    ADV_CHILD_WELFARE_CONF,
    ADV_CHILDREN_FIRST,
    ADV_CONCERN,
    ADV_CONSENT_UNSURE,
    ADV_DANGER,
    ADV_DECEASED,
    ADV_EXPLICIT,
    ADV_IDENTIFIABLE,
    ADV_LEGAL,
    ADV_NECESSARY,
    ADV_NO_CONDITION,
    ADV_NO_CONDITION_LEGAL,
    ADV_OVERRIDE_COERCION,
    ADV_OVERRIDE_OTHERS,
    ADV_PARA36,
    ADV_REASON_UNSURE,
    ADV_ROLE,
    ADV_SHARER,
    ASK_CONSENT_FIRST,
    ASK_CONSENT_FIRST_SIGNIFICANT_HARM,
    AT_RISK,
    CHILD,
    DECEASED_FREE,
    DECEASED_PUBLIC_INTEREST,
    DECEASED_REQUIRED,
    DNS_ADULT_REFUSED,
    DNS_DECEASED,
    DNS_NO_PURPOSE,
    DNS_NO_ROLE,
    DNS_NOT_NEEDED,
    KIND_DUTIES,
    KIND_FUNCTIONS,
    KIND_KEY,
    NO_CONSENT,
    NO_PERSONAL,
    PA_ADULT,
    PA_CHILD,
    PUBLIC_TASK,
    Route,
    share,
)

# --------------------------------------------------------------------------------------------
# The rules, in LAW.md's order. `f(fact)` returns the answer; the builder explores them all.
# --------------------------------------------------------------------------------------------

APD_GAP = (
    "Tell your data protection officer that there is no appropriate policy document: the "
    "safeguarding and statutory conditions (Sch 1 paras 6, 18, 19) are not met without one."
)
READING = (
    "If consent was refused, treating the refusal as meaning that 'the controller cannot "
    "reasonably be expected to obtain the consent' (para 18(2)(b)) is a reading of the law, "
    "not settled guidance. If respecting the refusal or asking again would put them at risk, "
    "para 18(2)(c) applies instead: record which."
)
PARA19_HEALTH = (
    "Para 19 covers health information only: leave out other special category details "
    "(such as religion) unless your data protection officer confirms another condition."
)
PARA36_NOTE = (
    "Offence details use para 36 with para 18. Whether para 36 needs an appropriate policy "
    "document is unconfirmed; you have one, so this route is covered either way."
)
PARA10_NOTE = (
    "Para 10(2): a disclosure to the police (or another competent authority) to prevent or "
    "detect an unlawful act, made without consent so as not to prejudice that, needs no "
    "appropriate policy document. Say in the record what unlawful act it concerns."
)
PARA36_10_NOTE = (
    "Whether the para 36 route for offence details needs an appropriate policy document is "
    "unconfirmed. If your organisation has one, this route is covered either way. If not, "
    "relying on it is an interpretation, not settled law: para 10(2) lifts the need for a "
    "policy document for a disclosure to the police, and para 36 is read as carrying that "
    "over. Make the disclosure; tell your data protection officer today, so that the record "
    "says which reading it relies on."
)
# Para 10 on a legal requirement: consent is not asked about there (LAW.md step 3: the law
# settles the question), but para 10(1) is met only where the disclosure must be made without
# consent so as not to prejudice its purpose (LAW.md step 7).
STATUTORY_PARA10 = (
    "Consent was not asked about on this route. Para 10 is met where the disclosure must be "
    "made without consent so as not to prejudice preventing or detecting the unlawful act; a "
    "disclosure the law requires whatever the person says is read here as meeting that - an "
    "interpretation, not settled guidance. Make the disclosure the law requires; tell your "
    "data protection officer today, so that the record names the condition relied on (para 6 "
    "needs your policy document; explicit consent, if the person expressly agreed)."
)
# A court order's route does not ask who is sharing (LAW.md step 3: comply), and LAW.md names
# no Schedule 8 condition for one: Art 9(2)(f) is UK GDPR's.
COURT_PART3 = (
    "Police, probation or a youth offending team complying for law-enforcement purposes (DPA "
    "2018 Part 3): Art 9(2)(f) is UK GDPR's condition, not yours. Health or other sensitive "
    "details need a Schedule 8 condition, which this tool does not name for a court order: "
    "comply with the order, and ask your data protection officer today which one the record "
    "names. Convictions and other offence details are not sensitive processing under Part 3 "
    "(DPA 2018 s.35(8))."
)
PARA6_FAMILY = (
    "Where it is safe and will not put the child at greater risk, tell the family, or involve "
    "them, before you refer (HMG 2024 rule 2); not having asked is never a reason to delay a "
    "referral about significant harm (para 6 does not depend on consent)."
)
PART3_STATUTORY = (
    "Answering a request or duty of this kind (for example a Safeguarding Adults Board's, "
    "Care Act 2014 s.45) is not processing for law enforcement: UK GDPR applies to you for "
    "it, not DPA 2018 Part 3."
)
BASIS_UNSURE = (
    "Vital interests (Art 6(1)(d)) covers a threat to life. If the danger was serious harm "
    "short of that, the basis depends on who shared: public task (Art 6(1)(e)) for a public "
    "body, legitimate interests (Art 6(1)(f)) for another organisation. Tell your data "
    "protection officer afterwards, so that the record names the one that applies."
)
# The reasons a safeguarding disclosure is made without consent (para 18(2)); para 10
# needs the last: without consent so as not to prejudice the purpose.
PREJUDICE = "would_prejudice_protection"


def ask_sharer(f: F, r: Route | None = None) -> str:
    """Who is sharing; for a UK GDPR sharer, at once whether as a health or care professional.

    The two are one question (see PAIRS). Asked here, the second costs nothing, and its
    answer chooses the next steps (a teacher goes to the DSL first; a nurse to the named
    professional), so it is asked on every path that asks who is sharing.
    """
    sharer = f("sharer")
    if sharer in ("public_authority", "other_organisation"):
        care = f("care_professional")
        if r is not None:
            r.care = care
    return sharer


def to_police(f: F, wording: str = "recipient_role") -> bool:
    """Whether the recipient is the police or another competent authority (para 10(2))."""
    return f(wording) == "law_enforcement"


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
    role_and_need(f)

    # Consent: for adults it comes before the legal conditions, because a refusal by an adult
    # with capacity normally stands and ends the walk (LAW.md step 10); for children it
    # matters only for the Art 9/10 conditions and for confidentiality, so it is asked there.
    state = adult_consent(f, concern) if concern not in CHILD else ""

    r = Route("choice", "any", concern=concern)
    sharer = ask_sharer(f, r)
    if sharer == "unsure":
        raise Stop(ADV_SHARER)
    r.sharer = sharer
    set_basis(r)

    if sharer == "competent_authority":
        # Part 3: convictions are not sensitive processing (s.35(8)), so the question says
        # so, and offence data needs nothing beyond s.35.
        sensitive = f("special_category/part3") != "no"
        if concern == "child_welfare":
            # Confidentiality is the common law's, whoever shares (LAW.md step 9): below
            # significant harm, without consent, confidential or sensitive information is a
            # public-interest judgement made case by case, as for every other sharer.
            state = child_consent(f)
            if state == "could_ask":
                raise Stop(ASK_CONSENT_FIRST)
            if state in NO_CONSENT and (sensitive or f("confidential") != "no"):
                raise Stop(ADV_CHILD_WELFARE_CONF)
        if sensitive:
            law_enforcement_sensitive(f, r)
        r.tell = "ca"
        set_confidentiality(r, state)
        return share(r)

    special = f("special_category") != "no"
    # A public body's offence data is under official authority (Art 10) whatever it is, so
    # only other organisations are asked.
    criminal = sharer == "public_authority" or f("criminal_offence_data") != "no"

    def child_state() -> str:
        nonlocal state
        if not state:
            state = child_consent(f)
        return state

    if concern == "adult_other" and state not in ("given", "given_explicitly"):
        # Para 18 and Annex 1 para 6 cover only children and adults at risk.
        raise Stop(ADV_BEST_INTERESTS if state == "lacks_capacity" else ADV_ADULT_OTHER)

    if concern == "child_welfare":
        # Below significant harm, sharing confidential information without consent is a
        # public-interest judgement made case by case (LAW.md step 9): advice. Health and
        # offence details are treated as confidential without asking, which saves a question
        # where the answer could only be "yes" in practice.
        if child_state() == "could_ask":
            raise Stop(ASK_CONSENT_FIRST)
        sensitive = special or (criminal and sharer != "public_authority")
        if child_state() in NO_CONSENT and (sensitive or f("confidential") != "no"):
            raise Stop(ADV_CHILD_WELFARE_CONF)

    state_of = child_state if concern in CHILD else lambda: state
    if special:
        special_condition(f, r, concern, state_of)
    if criminal:
        offence_route(f, r, concern, state_of)

    set_confidentiality(r, state)
    r.tell = "choice"
    if sharer == "public_authority":
        own_functions(f, r)
    return share(r)


def own_functions(f: F, r: Route) -> None:
    """A public authority's record about a child names only its own statutory functions,
    where its kind is known (LAW.md step 6: public task rests on the body's own duties, DPA
    2018 s.8): an NHS body's s.11, a maintained school's s.175, an academy's s.157.

    Asked last, just before the outcome, so that it lengthens only the paths that end in a
    public authority's share about a child (10 questions at most before it), and usually
    settled in the settings. A council's own functions are the list every public authority
    was given before; another public body's the tree does not know; "not sure" (or a facts
    file without the fact): that list, under the heading that says to rely on what applies
    to your organisation (see docs/tree-law.md).
    """
    if r.concern not in CHILD:
        return
    kind = f("organisation_kind")
    if kind not in KIND_FUNCTIONS:
        return
    general = set(PA_CHILD)
    r.supporting = [*KIND_FUNCTIONS[kind], *(c for c in r.supporting if c not in general)]
    r.basis_key = KIND_KEY[kind]
    r.basis_text = PUBLIC_TASK + KIND_DUTIES[kind]


def role_and_need(f: F) -> None:
    """Step 4 and 5: a recipient with a role, and only what they need (one question)."""
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


def set_basis(r: Route) -> None:
    c = r.concern
    if r.sharer == "public_authority":
        r.basis = ["ukgdpr.art6.1e"]
        r.basis_text = PUBLIC_TASK
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
    if r.sharer != "competent_authority":
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
        # An unresolved question about capacity never delays a referral about others at
        # risk, children above all (LAW.md step 10).
        others_first(f)
        raise Stop(ADV_CAPACITY)
    c = f("consent")
    if c in ("given", "given_explicitly"):
        return c
    if c == "unsure":
        # Not knowing what the adult said is an unresolved question about their wishes: it
        # never delays a referral about others at risk (LAW.md step 10).
        others_first(f)
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
    # the safeguarding lead, not a box to tick here. Others at risk come first, as above.
    others_first(f)
    raise Stop(ADV_ADULT_ASK_FIRST)


def others_first(f: F) -> None:
    if f("others_at_risk") in ("yes", "unsure"):
        raise Stop(ADV_CHILDREN_FIRST)


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
    """The Art 9 condition for a UK GDPR sharer on the choice route.

    Care professionals are asked first: Art 9(2)(h) with Sch 1 para 2 holds with or without
    consent and needs no policy document (LAW.md step 7), so for them nothing else need be
    asked. The exception is financial abuse, where para 19 is the condition made for it and
    protecting someone's money is not plainly a health or social care purpose.
    """
    if concern not in CHILD and state_of() == "given_explicitly":
        set_explicit(r)
        return
    if concern != "adult_economic_risk" and r.care == "yes":
        set_care(r, gap=False)
        return
    st = state_of()
    if st == "given_explicitly":
        set_explicit(r)
        return
    if st == PREJUDICE and to_police(f):
        set_para10(r)
        return
    if st in NO_CONSENT:
        para = "dpa2018.sch1.para19" if concern == "adult_economic_risk" else "dpa2018.sch1.para18"
        if f("apd_in_place") == "yes":
            if (
                st == "refused"
                and r.sharer == "public_authority"
                and concern == "child_significant_harm"
            ):
                # Para 6 does not depend on consent (LAW.md step 7), so a public authority
                # referring significant harm after a refusal relies on it, a settled route,
                # rather than on para 18 through a reading of 18(2)(b).
                set_para6(r)
                return
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
        if r.care == "yes":
            set_care(r, gap=True)
            return
        raise Stop(ADV_NO_CONDITION)
    # Consent given (not explicitly), or it could still be asked for.
    if concern == "adult_economic_risk" and r.care == "yes":
        set_care(r, gap=False)
        return
    if r.sharer == "public_authority" and concern == "child_significant_harm":
        # Para 6: a public authority referring significant harm under its statutory
        # functions; it does not depend on consent (LAW.md step 7).
        if f("apd_in_place") == "yes":
            set_para6(r)
            if st == "could_ask":
                r.notes.append(PARA6_FAMILY)
                r.sc_key += "_family"
            return
        raise Stop(ADV_NO_CONDITION)
    if st == "given":
        raise Stop(ADV_EXPLICIT)
    if concern == "child_significant_harm":
        # Only other organisations reach here with significant harm (a public authority has
        # para 6); one with a statutory safeguarding function has it too (LAW.md step 7).
        raise Stop(ASK_CONSENT_FIRST_SIGNIFICANT_HARM)
    raise Stop(ASK_CONSENT_FIRST)


def set_explicit(r: Route) -> None:
    r.sc, r.sc_key = ["ukgdpr.art9.2a"], "sc_explicit"
    r.sc_text = "explicit consent (Art 9(2)(a))"


def set_para6(r: Route) -> None:
    r.sc = ["ukgdpr.art9.2g", "dpa2018.sch1.para6"]
    r.sc_key = "sc6"
    r.sc_text = "statutory purposes (Art 9(2)(g), DPA 2018 Sch 1 para 6)"


def set_para10(r: Route) -> None:
    r.sc = ["ukgdpr.art9.2g", "dpa2018.sch1.para10"]
    r.sc_key = "sc10"
    r.sc_text = (
        "preventing or detecting unlawful acts, disclosed to the police (Art 9(2)(g), DPA "
        "2018 Sch 1 para 10(2)); no policy document needed"
    )
    if PARA10_NOTE not in r.notes:
        r.notes.append(PARA10_NOTE)


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
    if f("apd_in_place/part3") != "yes":
        raise Stop(ADV_CA_APD)
    set_sch8(r)


def set_sch8(r: Route) -> None:
    r.sc = ["dpa2018.sch8.para1"]
    r.sc_key = "sch8"
    r.sc_text = (
        "strictly necessary, for a statutory purpose (DPA 2018 s.35(5), Sch 8 para 1), "
        "under your appropriate policy document"
    )


def set_offence_care(r: Route) -> None:
    r.cr = ["ukgdpr.art10", "dpa2018.s10", "dpa2018.sch1.para2"]
    r.cr_key = "cr_care"
    r.cr_text = "Art 10 with the health and social care condition (DPA 2018 s.10(5), Sch 1 para 2)"


def set_offence_para10(r: Route) -> None:
    r.cr = ["ukgdpr.art10", "dpa2018.s10", "dpa2018.sch1.para36", "dpa2018.sch1.para10"]
    r.cr_key = "cr10"
    r.cr_text = "Art 10 with Sch 1 para 36 and para 10(2), disclosed to the police"
    if PARA10_NOTE not in r.notes:
        r.notes.append(PARA10_NOTE)
    r.notes.append(PARA36_10_NOTE)


def set_offence_para18(r: Route) -> None:
    r.cr = ["ukgdpr.art10", "dpa2018.s10", "dpa2018.sch1.para36", "dpa2018.sch1.para18"]
    r.cr_key = "cr36"
    r.cr_text = "Art 10 with DPA 2018 Sch 1 para 36 and the safeguarding condition (para 18)"
    r.notes.append(PARA36_NOTE)


def set_official_authority(r: Route) -> None:
    r.cr, r.cr_key = ["ukgdpr.art10"], "cr_oa"
    r.cr_text = (
        "if there are any, under official authority, as a public body acting in its "
        "functions (Art 10)"
    )


def offence_route(f: F, r: Route, concern: str, state_of: Callable[[], str]) -> None:
    if r.sharer == "public_authority":
        set_official_authority(r)
        return
    st = state_of()
    if st == PREJUDICE and to_police(f):
        set_offence_para10(r)
        return
    if st in NO_CONSENT and concern in AT_RISK and f("apd_in_place") == "yes":
        set_offence_para18(r)
        return
    if r.care == "yes":
        set_offence_care(r)
        return
    raise Stop(ADV_PARA36)


def set_confidentiality(r: Route, state: str = "") -> None:
    r.conf = ["common_law.confidentiality"]
    if state in ("given", "given_explicitly"):
        r.conf_text = "they agreed"


# ---- the other branches ---------------------------------------------------------------------


def deceased(f: F) -> Out:
    """Information only about the dead: not personal data, but steps 3 and 4 still apply."""
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
    role_and_need(f)
    conf = f("confidential")
    if conf == "no":
        raise Stop(DECEASED_FREE)
    # Confidence survives death, and yields only to protecting a living child or adult at
    # risk (LAW.md step 2).
    if concern in AT_RISK:
        raise Stop(DECEASED_PUBLIC_INTEREST)
    raise Stop(ADV_DECEASED)


def court_order() -> Out:
    r = Route("court", "any")
    r.basis = ["ukgdpr.art6.1c", "dpa2018.s35"]
    r.basis_text = (
        "legal obligation (Art 6(1)(c)); for police or probation processing for law "
        "enforcement, DPA 2018 s.35"
    )
    r.sc = ["ukgdpr.art9.2f"]
    r.sc_text = (
        "legal claims - establishing, exercising or defending legal claims, or a court acting "
        "in its judicial capacity (Art 9(2)(f))"
    )
    r.cr = ["ukgdpr.art10", "dpa2018.s10", "dpa2018.sch1.para33"]
    r.cr_text = "Art 10 with DPA 2018 Sch 1 para 33 (legal proceedings); no policy document needed"
    r.conf = ["common_law.confidentiality"]
    r.tell = "law"
    r.notes = [
        "Do not withhold: if the order seems too wide, ask the court to vary it, and comply "
        "meanwhile with what it clearly requires.",
        COURT_PART3,
    ]
    return share(r)


def statutory(f: F, legal: str) -> Out:
    """A request or duty the law imposes: comply (step 3), naming the conditions.

    Police and probation answering such a request are not processing for law enforcement,
    so UK GDPR applies to them here as to any public authority (LAW.md step 3).
    """
    r = Route(legal, "any")
    sharer = ask_sharer(f, r)
    if sharer == "unsure":
        raise Stop(ADV_SHARER)
    r.sharer = sharer
    public = sharer in ("public_authority", "competent_authority")
    r.basis = ["ukgdpr.art6.1c"]
    r.basis_text = "legal obligation (UK GDPR Art 6(1)(c))"
    if sharer == "competent_authority":
        r.notes.append(PART3_STATUTORY)
    if legal == "statutory_request":
        r.supporting = ["ca1989.s47", "care2014.s45"]
        r.notes.append(
            "A s.47 request binds only the bodies in s.47(11), and yields where helping "
            "would be unreasonable in all the circumstances (s.47(10)); if you think it "
            "would be, take advice before declining and record why."
        )
    else:
        r.supporting = ["fgm2003.s5b", "ca2004.s16la", "cpa2026.duty_to_report"]
        r.notes.append(
            "Check the duty is in force: the commencement of Children Act 2004 s.16LA and of "
            "the Crime and Policing Act 2026 reporting duty is unconfirmed. If you rely on "
            "one of those, walk the tree again answering 'No legal requirement': the usual "
            "safeguarding route will apply."
        )
    r.conf = ["common_law.confidentiality"]
    r.tell = "law"
    special = f("special_category") != "no"
    criminal = public or f("criminal_offence_data") != "no"
    if special:
        if r.care == "yes":
            set_care(r, gap=False)
        elif f("apd_in_place") == "yes":
            set_para6(r)
        elif to_police(f, "recipient_role/statutory"):
            set_para10(r)
            r.notes.append(STATUTORY_PARA10)
        elif f("consent") == "given_explicitly":
            set_explicit(r)
        else:
            # The legal requirement stands for everything else: only these details wait.
            raise Stop(ADV_NO_CONDITION_LEGAL)
    if criminal and public:
        set_official_authority(r)
        r.cr_text = "if there are any, under official authority (Art 10)"
    elif criminal:
        if r.care == "yes":
            set_offence_care(r)
        elif f("apd_in_place") == "yes":
            r.cr = ["ukgdpr.art10", "dpa2018.s10", "dpa2018.sch1.para36", "dpa2018.sch1.para6"]
            r.cr_key = "cr36"
            r.cr_text = "Art 10 with Sch 1 para 36 and the statutory purposes condition (para 6)"
            r.notes.append(
                "Whether para 36 needs an appropriate policy document is unconfirmed; you "
                "have one, so this route is covered either way."
            )
        elif to_police(f, "recipient_role/statutory"):
            set_offence_para10(r)
            if STATUTORY_PARA10 not in r.notes:
                r.notes.append(STATUTORY_PARA10)
        else:
            raise Stop(ADV_PARA36)
    return share(r)


def emergency(f: F) -> Out:
    """Immediate danger: always share, urgently (LAW.md step 1).

    Every question after "yes" only chooses what to cite in the record: the answers never
    change the decision or narrow what the emergency services are given. Where no condition
    is confirmed, the outcome says so and tells the practitioner to tell the data protection
    officer afterwards.
    """
    r = Route("emergency", "any")
    sharer = ask_sharer(f, r)
    r.sharer = "any" if sharer == "unsure" else sharer
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
        r.notes.append(BASIS_UNSURE)
    r.supporting = [*r.supporting, "guidance.ico10step", "guidance.ico_sharing_code"]
    r.conf = ["common_law.confidentiality"]
    r.tell = "ca" if sharer == "competent_authority" else "after"

    if sharer == "competent_authority":
        if f("special_category/part3") != "no":
            if f("apd_in_place/part3") == "yes":
                r.sc, r.sc_key = ["dpa2018.sch8.para1"], "sch8"
                r.sc_text = "strictly necessary, statutory purposes (Sch 8 para 1)"
            else:
                r.sc_key = "sc_none"
                r.unconfirmed.append("health or other sensitive details (Schedule 8)")
        return share(r)

    special = f("special_category") != "no"
    criminal = sharer == "public_authority" or f("criminal_offence_data") != "no"
    if special:
        emergency_special(f, r)
    if criminal:
        emergency_offence(f, r)
    return share(r)


def emergency_special(f: F, r: Route) -> None:
    """The Art 9 condition to cite for an emergency disclosure, where one is confirmed."""
    if r.care == "yes":
        set_care(r, gap=False)
        return
    reason = f("without_consent_reason")
    if reason == PREJUDICE and to_police(f, "recipient_role/emergency"):
        set_para10(r)
        return
    # Para 18 covers serious harm, not only a threat to life, where the policy document is
    # in place (LAW.md step 1).
    if (
        reason in ("cannot_be_given", "cannot_reasonably_obtain", PREJUDICE)
        and f("concern") in AT_RISK
        and f("apd_in_place") == "yes"
    ):
        r.sc, r.sc_key = ["ukgdpr.art9.2g", "dpa2018.sch1.para18"], "sc18"
        r.sc_text = "safeguarding without consent (Art 9(2)(g), DPA 2018 Sch 1 para 18)"
        if reason == "cannot_be_given":
            # Both hold: vital interests where a life is at risk, para 18 for serious harm.
            r.sc, r.sc_key = ["ukgdpr.art9.2c", *r.sc], "sc_vital18"
            r.sc_text = (
                "vital interests, as the person cannot consent (Art 9(2)(c)), and "
                "safeguarding without consent (Art 9(2)(g), DPA 2018 Sch 1 para 18), which "
                "also covers serious harm short of a threat to life"
            )
        if reason == "cannot_reasonably_obtain":
            r.notes.append(READING)
            r.sc_key += "_reading"
        return
    if reason == "cannot_be_given":
        r.sc, r.sc_key = ["ukgdpr.art9.2c"], "sc_vital"
        r.sc_text = (
            "vital interests, as the person cannot consent (Art 9(2)(c)) - where a life is at risk"
        )
        r.notes.append(
            "Art 9(2)(c) covers a threat to life where the person cannot consent. If the "
            "danger was serious harm short of that, tell your data protection officer "
            "afterwards so that the record names the condition that applies."
        )
        return
    if reason == "none" and f("consent") == "given_explicitly":
        set_explicit(r)
        return
    r.sc_key = "sc_none"
    r.unconfirmed.append("health details")


def emergency_offence(f: F, r: Route) -> None:
    """The Art 10 authority to cite for offence details given in an emergency."""
    if r.sharer == "public_authority":
        set_official_authority(r)
        r.cr_text = "if there are any, under official authority (Art 10)"
        return
    if r.care == "yes":
        set_offence_care(r)
        r.cr_text = "Art 10 with the health and social care condition (Sch 1 para 2)"
        return
    reason = f("without_consent_reason")
    if reason == PREJUDICE and to_police(f, "recipient_role/emergency"):
        set_offence_para10(r)
        return
    if (
        reason in ("cannot_reasonably_obtain", PREJUDICE, "cannot_be_given")
        and f("concern") in AT_RISK
        and f("apd_in_place") == "yes"
    ):
        set_offence_para18(r)
        r.cr_text = "Art 10 with Sch 1 para 36 and the safeguarding condition (para 18)"
        return
    if reason == "cannot_be_given":
        r.cr = ["ukgdpr.art10", "dpa2018.s10", "dpa2018.sch1.para30"]
        r.cr_key = "cr30"
        r.cr_text = (
            "Art 10 with DPA 2018 Sch 1 para 30 (vital interests, the person cannot consent)"
        )
        return
    r.cr = ["ukgdpr.art10"]
    r.cr_key = "cr_none"
    r.unconfirmed.append("offence details")

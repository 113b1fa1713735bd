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
    ADV_CONCERN,
    ADV_CONSENT_UNSURE,
    ADV_DANGER,
    ADV_DECEASED,
    ADV_EMERGENCY,
    ADV_EXPLICIT,
    ADV_IDENTIFIABLE,
    ADV_LEGAL,
    ADV_NECESSARY,
    ADV_NO_CONDITION,
    ADV_OVERRIDE_COERCION,
    ADV_OVERRIDE_OTHERS,
    ADV_PARA36,
    ADV_REASON_UNSURE,
    ADV_ROLE,
    ADV_SHARER,
    ASK_CONSENT_FIRST,
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
    NO_CONSENT,
    NO_PERSONAL,
    PA_ADULT,
    PA_CHILD,
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

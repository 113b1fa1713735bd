"""The legal invariants of a decision tree, proved by enumerating every root-to-outcome path.

A tree's outcomes carry fixed citations, so a wrong route is a wrong citation for every case
that reaches it. Each invariant here is checked on every path (every combination of answers
that matters), and a fact the path does not ask is taken to have any of its values: the
invariant must hold for all of them. So if a path never asks who is sharing, citing
legitimate interests is wrong there, because the sharer might be a public authority.

A few answers settle another fact without it being asked; these implications are listed in
`_consent_possible` and `_cannot_consent`, each with its reason, and nowhere else.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Mapping

from sharewise.domain.errors import Problem
from sharewise.domain.graph import CompiledTree, PathStep, TreePath
from sharewise.domain.nodes import Decision, Outcome, Vocabulary

ART6 = frozenset(
    {
        "ukgdpr.art6.1a",
        "ukgdpr.art6.1c",
        "ukgdpr.art6.1d",
        "ukgdpr.art6.1e",
        "ukgdpr.art6.1ea",
        "ukgdpr.art6.1f",
    }
)
PART3_BASIS = "dpa2018.s35"
NOT_FOR_PUBLIC_AUTHORITIES = frozenset({"ukgdpr.art6.1f", "ukgdpr.art6.1ea"})
PUBLIC_TASK = "ukgdpr.art6.1e"
# Sch 1 Part 2 conditions that can carry Art 9(2)(g) (DPA 2018 s.10(3)).
SCH1_PART2 = frozenset(
    {
        "dpa2018.sch1.para6",
        "dpa2018.sch1.para10",
        "dpa2018.sch1.para18",
        "dpa2018.sch1.para19",
    }
)
CARE_CONDITION = "dpa2018.sch1.para2"
# Conditions that apply only without the data subject's consent (para 18(2), para 19(c),
# and the Part 3 mirror of para 18).
WITHOUT_CONSENT_ONLY = frozenset(
    {"dpa2018.sch1.para18", "dpa2018.sch1.para19", "dpa2018.sch8.para4"}
)
# Conditions not met at all without an appropriate policy document (Sch 1 para 5, para 39;
# for Part 3 sensitive processing, s.35(4)-(5) and s.42).
NEED_POLICY_DOCUMENT = frozenset(
    {
        "dpa2018.sch1.para6",
        "dpa2018.sch1.para18",
        "dpa2018.sch1.para19",
        "dpa2018.sch8.para1",
        "dpa2018.sch8.para4",
    }
)
VITAL_INTERESTS_SPECIAL = "ukgdpr.art9.2c"
NO_CONSENT_REASONS = frozenset(
    {"cannot_be_given", "cannot_reasonably_obtain", "would_prejudice_protection"}
)
_RECORD_WHY = re.compile(r"\brecord\b.*\b(why|reasons?)\b", re.IGNORECASE | re.DOTALL)
# An emergency outcome may share details whose condition is not confirmed on the answers
# given, provided it says so and sends the practitioner to the data protection officer
# afterwards (LAW.md step 1): the emergency services are never given less for want of one.
_UNCONFIRMED = re.compile(
    r"no condition for the (?P<what>[^.]*?) is confirmed.*data protection officer",
    re.IGNORECASE | re.DOTALL,
)
LEGAL_REQUIREMENTS = ("court_order", "statutory_request", "statutory_duty")
STATUTORY = ("statutory_request", "statutory_duty")
PARA10 = "dpa2018.sch1.para10"
# Words that tell a practitioner to hold back: never in an outcome that says share.
_WAIT = re.compile(
    r"\b(wait(ing)? for|hold (it )?back|do not share (yet|until)|before (you )?shar\w*,? "
    r"(take|get|seek)|give (them|it) (only )?if (they are )?needed to save a life)",
    re.IGNORECASE,
)
# What the first action of an outcome does, by how it starts (LAW.md "Decision labels").
_DISCLOSE = re.compile(r"^(call 999|share|provide|give|comply|report|refer|remove)\b", re.I)
_HOLD = re.compile(
    r"^(phone|ask|talk|check|find out|get|take advice|tell your data protection|walk the "
    r"tree again|speak|try|record explicit|assess)\b",
    re.IGNORECASE,
)
_REFUSE = re.compile(r"^(decline|do not share|tell (them|the requester)|keep)\b", re.I)


@functools.lru_cache(maxsize=8192)
def _search(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """`pattern.search(text)`, remembered: an outcome's words are the same on every path to
    it, and some of these patterns take a while on a long action."""
    return pattern.search(text)


class PathView:
    """What a path tells about the facts: the answers given, and all values otherwise.

    A check learns about its path only through these four methods (there is no other way
    in: the view holds neither the tree nor the path), and each remembers which facts it was
    asked about. `check_invariants` relies on that: two paths to the same outcome that give
    the same answers (or none) to every fact the checks read on the first are the same to
    every check, so the second is proved by the first's results.
    """

    __slots__ = ("_asked", "_read", "_vocabulary")

    def __init__(self, asked: Mapping[str, str], vocabulary: Vocabulary) -> None:
        self._asked = asked
        self._vocabulary = vocabulary
        self._read: set[str] = set()

    @classmethod
    def of(cls, tree: CompiledTree, path: TreePath) -> PathView:
        return cls(path.answers(), tree.vocabulary)

    def possible(self, fact: str) -> frozenset[str]:
        """The values `fact` may have on this path (all of them if it is not asked)."""
        self._read.add(fact)
        value = self._asked.get(fact)
        if value is not None:
            return frozenset({value})
        if fact not in self._vocabulary:
            return frozenset()
        return frozenset(self._vocabulary[fact].values)

    def asked(self, fact: str) -> str | None:
        self._read.add(fact)
        return self._asked.get(fact)

    def may(self, fact: str, *values: str) -> bool:
        return bool(self.possible(fact) & set(values))

    def surely(self, fact: str, *values: str) -> bool:
        possible = self.possible(fact)
        return bool(possible) and possible <= set(values)


def _consent_possible(p: PathView) -> bool:
    """Whether the person may have consented to this sharing, on this path.

    Asked directly, the answer decides. If not asked: an adult found to lack capacity for
    this decision cannot give valid consent (Mental Capacity Act 2005), and a practitioner
    who gives a reason for sharing *without* consent has said it is without consent.
    """
    if p.asked("consent") is not None:
        return p.may("consent", "given", "given_explicitly")
    if p.asked("adult_has_capacity") == "no":
        return False
    return p.asked("without_consent_reason") not in NO_CONSENT_REASONS


def _cannot_consent(p: PathView) -> bool:
    """Whether the person surely cannot consent: said so, or an adult lacking capacity."""
    return p.surely("without_consent_reason", "cannot_be_given") or p.surely(
        "adult_has_capacity", "no"
    )


def _relied_on(outcome: Outcome) -> set[str]:
    """The citations an outcome relies on as its legal route (basis and conditions).

    `supporting`, `confidentiality` and `transparency` name background law (an advice
    outcome may mention para 18 as something to ask about); the invariants concern what the
    outcome relies on.
    """
    law = outcome.law
    return {*law.basis, *law.special_category, *law.criminal_offence}


def _shares(outcome: Outcome) -> bool:
    return outcome.decision.shares


def _statutory(p: PathView) -> bool:
    """A request or duty the law imposes: police and probation answer under UK GDPR there."""
    return p.surely("legal_requirement", *STATUTORY)


def _part3_possible(p: PathView) -> bool:
    return p.may("sharer", "competent_authority") and not _statutory(p)


def _part3_surely(p: PathView) -> bool:
    return p.surely("sharer", "competent_authority") and not _statutory(p)


def _non_part3_sharer_possible(p: PathView) -> bool:
    return p.may("sharer", "public_authority", "other_organisation", "unsure") or (
        p.may("sharer", "competent_authority") and _statutory(p)
    )


def _personal_data_possible(p: PathView) -> bool:
    """Information only about the dead is not personal data (LAW.md step 2)."""
    return not p.surely("identifiable", "deceased_only")


def _unconfirmed(o: Outcome, *words: str) -> bool:
    """An emergency outcome that says no condition is confirmed for these details."""
    if o.decision is not Decision.SHARE_URGENTLY:
        return False
    for action in o.actions:
        match = _search(_UNCONFIRMED, action)
        if match and any(w in match["what"].lower() for w in words):
            return True
    return False


# --- the invariants: each returns a message if the outcome is wrong on this path ------------
Check = Callable[[PathView, Outcome], str | None]


def basis_present(p: PathView, o: Outcome) -> str | None:
    """No sharing without an Art 6 basis, or DPA 2018 s.35 for a competent authority."""
    if not _shares(o) or not _personal_data_possible(p):
        return None
    basis = set(o.law.basis)
    if _non_part3_sharer_possible(p) and not basis & ART6:
        return "shares with no UK GDPR Art 6 lawful basis in law.basis"
    if _part3_possible(p) and PART3_BASIS not in basis:
        return (
            "shares where the sharer may be a competent authority (DPA 2018 Part 3) "
            "without citing dpa2018.s35 in law.basis"
        )
    return None


def no_li_for_public_authority(p: PathView, o: Outcome) -> str | None:
    """A public authority cannot use (f) or (ea) for its tasks (Art 6(1), closing words)."""
    cited = NOT_FOR_PUBLIC_AUTHORITIES & _relied_on(o)
    if cited and p.may("sharer", "public_authority"):
        return (
            f"cites {', '.join(sorted(cited))} where the sharer may be a public authority, "
            "which cannot rely on legitimate interests for its tasks"
        )
    return None


def no_public_task_for_others(p: PathView, o: Outcome) -> str | None:
    """Art 6(1)(e) is not open to an organisation that exercises no public function."""
    if PUBLIC_TASK in _relied_on(o) and p.may("sharer", "other_organisation"):
        return "cites ukgdpr.art6.1e where the sharer may be another (non-public) organisation"
    return None


def special_category_condition(p: PathView, o: Outcome) -> str | None:
    """Special category data shared needs an Art 9(2) condition, with its Sch 1 paragraph.

    Where the sharer is surely a competent authority (Part 3), Art 9 does not apply and a
    Schedule 8 condition is required instead.
    """
    if not _shares(o) or not p.may("special_category", "yes", "unsure"):
        return None
    if not _personal_data_possible(p) or _unconfirmed(o, "health", "sensitive"):
        return None
    group = set(o.law.special_category)
    if _part3_surely(p):
        if not any(c.startswith("dpa2018.sch8.") for c in group):
            return "shares sensitive data under Part 3 with no Schedule 8 condition"
        return None
    art9 = {c for c in group if c.startswith("ukgdpr.art9.2")}
    if not art9:
        return "may share special category data with no Art 9(2) condition in law.special_category"
    if "ukgdpr.art9.2g" in art9 and not group & SCH1_PART2:
        return "cites Art 9(2)(g) with no DPA 2018 Sch 1 Part 2 paragraph"
    if "ukgdpr.art9.2h" in art9 and CARE_CONDITION not in group:
        return "cites Art 9(2)(h) without DPA 2018 Sch 1 para 2"
    return None


def criminal_offence_authority(p: PathView, o: Outcome) -> str | None:
    """Criminal offence data shared needs Art 10 (Part 3 sharers aside)."""
    if not _shares(o) or not p.may("criminal_offence_data", "yes", "unsure"):
        return None
    if not _personal_data_possible(p) or not _non_part3_sharer_possible(p):
        return None
    if "ukgdpr.art10" not in o.law.criminal_offence:
        return "may share criminal offence data without Art 10 in law.criminal_offence"
    return None


def no_para18_with_consent(p: PathView, o: Outcome) -> str | None:
    """Para 18 (and its kin, paras 19 and Sch 8 para 4) apply only without consent."""
    cited = WITHOUT_CONSENT_ONLY & _relied_on(o)
    if cited and _consent_possible(p):
        return (
            f"cites {', '.join(sorted(cited))}, which applies only without consent, on a "
            "path where consent may have been given"
        )
    return None


def policy_document_for_part2(p: PathView, o: Outcome) -> str | None:
    """Paras 6, 18, 19 (and Sch 8 conditions) are not met without the policy document."""
    cited = NEED_POLICY_DOCUMENT & _relied_on(o)
    if cited and not p.surely("apd_in_place", "yes"):
        return (
            f"cites {', '.join(sorted(cited))} on a path where the appropriate policy "
            "document may be missing"
        )
    return None


def vital_interests_only_when_cannot_consent(p: PathView, o: Outcome) -> str | None:
    """Art 9(2)(c) only where life is at risk and the person cannot consent."""
    if VITAL_INTERESTS_SPECIAL not in _relied_on(o):
        return None
    if not p.surely("immediate_danger", "yes"):
        return "cites Art 9(2)(c) where life may not be at risk"
    if not _cannot_consent(p):
        return "cites Art 9(2)(c) where the person may be able to consent"
    return None


def court_order_obeyed(p: PathView, o: Outcome) -> str | None:
    """A court order is never refused: if an order seems too wide, ask the court."""
    if o.decision is Decision.DO_NOT_SHARE and p.may("legal_requirement", "court_order"):
        return "refuses to share on a path where a court order may require it"
    return None


def records_why(p: PathView, o: Outcome) -> str | None:
    """Not sharing, or waiting for advice, is a decision too: it must be recorded with why."""
    if o.decision not in (Decision.DO_NOT_SHARE, Decision.SEEK_ADVICE):
        return None
    if not any(_search(_RECORD_WHY, a) for a in o.actions):
        return "does not tell the practitioner to record the decision and why"
    return None


def emergency_shares_urgently(p: PathView, o: Outcome) -> str | None:
    """Every emergency path ends in share_urgently, and only emergencies do (LAW.md step 1)."""
    urgent = o.decision is Decision.SHARE_URGENTLY
    if p.surely("immediate_danger", "yes") and not urgent:
        return f"decides {o.decision.value} on a path through immediate danger"
    if urgent and not p.surely("immediate_danger", "yes"):
        return "decides share_urgently on a path that is not an emergency"
    return None


def legal_requirement_complied(p: PathView, o: Outcome) -> str | None:
    """A legal requirement is complied with: never refused, never labelled as no data."""
    if p.asked("legal_requirement") in LEGAL_REQUIREMENTS and o.decision in (
        Decision.DO_NOT_SHARE,
        Decision.NO_PERSONAL_DATA,
    ):
        return f"decides {o.decision.value} where the law requires the disclosure"
    return None


def para10_only_to_law_enforcement(p: PathView, o: Outcome) -> str | None:
    """Sch 1 para 10 (unlawful acts) is cited only for a disclosure to law enforcement."""
    if PARA10 in _relied_on(o) and not p.surely("recipient_role", "law_enforcement"):
        return "cites dpa2018.sch1.para10 where the recipient may not be the police"
    return None


def no_sch8_for_offence_data_alone(p: PathView, o: Outcome) -> str | None:
    """Under Part 3 offence data is not sensitive processing (s.35(8)): no Sch 8 for it."""
    sch8 = {c for c in _relied_on(o) if c.startswith("dpa2018.sch8.")}
    if not sch8:
        return None
    if sch8 & set(o.law.criminal_offence):
        return "cites a Schedule 8 condition for criminal offence data"
    if not p.may("special_category", "yes", "unsure"):
        return "cites a Schedule 8 condition where no sensitive data is shared"
    return None


def share_never_waits(p: PathView, o: Outcome) -> str | None:
    """An outcome that says share never tells the practitioner to wait or hold back."""
    if not _shares(o):
        return None
    for text in (o.summary, *o.actions):
        match = _search(_WAIT, text)
        if match:
            return f"decides {o.decision.value} but says {match.group(0)!r}"
    return None


def label_matches_first_action(p: PathView, o: Outcome) -> str | None:
    """The decision label agrees with what the first action does: disclose, hold, refuse."""
    first = o.actions[0].strip() if o.actions else ""
    expected = {
        Decision.SHARE_URGENTLY: (_DISCLOSE, "disclose"),
        Decision.SHARE: (_DISCLOSE, "disclose"),
        Decision.NO_PERSONAL_DATA: (_DISCLOSE, "disclose"),
        Decision.SEEK_ADVICE: (_HOLD, "hold back and ask"),
        Decision.DO_NOT_SHARE: (_REFUSE, "refuse"),
    }[o.decision]
    if not _search(expected[0], first):
        return (
            f"decides {o.decision.value} but its first action does not {expected[1]}: "
            f"{first[:60]!r}"
        )
    return None


INVARIANTS: tuple[Check, ...] = (
    basis_present,
    no_li_for_public_authority,
    no_public_task_for_others,
    special_category_condition,
    criminal_offence_authority,
    no_para18_with_consent,
    policy_document_for_part2,
    vital_interests_only_when_cannot_consent,
    court_order_obeyed,
    records_why,
    emergency_shares_urgently,
    legal_requirement_complied,
    para10_only_to_law_enforcement,
    no_sch8_for_offence_data_alone,
    share_never_waits,
    label_matches_first_action,
)


def check_invariants(tree: CompiledTree) -> list[Problem]:
    """Every invariant on every path; one problem per (invariant, outcome), naming a path.

    An outcome wrong on many paths is reported once with the first path found and a count,
    so that one mistake is one line, not hundreds.

    Every path is proved, but not every path is worked out afresh: the checks read a path
    only through its `PathView`, which notes the facts they read. Once the checks have run
    on a path, their results hold for any later path to the same outcome that gives the same
    answers to those facts (asked or not, and with which value), since the checks then take
    the same turns and read the same things. On the England tree that is a few hundred
    evaluations for thousands of paths.
    """
    first: dict[tuple[str, str], tuple[str, TreePath]] = {}
    count: dict[tuple[str, str], int] = {}
    # outcome -> [(facts the checks read, {their values on a path: the checks' messages})]
    proved: dict[str, list[tuple[tuple[str, ...], dict[tuple[str | None, ...], Results]]]] = {}
    outcomes = tree.model.outcomes
    # Every path, in the order of `tree.paths()`, walked with one dictionary of its answers
    # kept up to date (an answer set on the way down, undone on the way back) rather than
    # each path's answers built afresh: the same answers, thousands of times less work.
    answers: dict[str, str] = {}
    trail: list[tuple[PathStep, ...]] = []  # each answer's steps on the way to here
    # node -> for each answer: its steps, the facts it settles, and where it leads
    ways: dict[str, list[tuple[tuple[PathStep, ...], tuple[tuple[str, str], ...], str]]] = {}
    missing = object()

    def reach(node: str) -> None:
        """The checks' results on the path walked to this outcome, worked out or known."""
        seen = proved.get(node)
        if seen is None:
            seen = proved[node] = []
        results = None
        for facts, table in seen:
            results = table.get(tuple(map(answers.get, facts)))
            if results is not None:
                break
        if results is None:
            results, read = _evaluate(PathView(dict(answers), tree.vocabulary), outcomes[node])
            facts = tuple(sorted(read))
            kept = next((t for known, t in seen if known == facts), None)
            if kept is None:
                kept = {}
                seen.append((facts, kept))
            kept[tuple(map(answers.get, facts))] = results
        for name, message in results:
            key = (name, node)
            count[key] = count.get(key, 0) + 1
            if key not in first:
                first[key] = (message, TreePath(tuple(itertools.chain(*trail)), node))

    def visit(node: str) -> None:
        onward = ways.get(node)
        if onward is None:
            onward = ways[node] = [
                (
                    tuple(PathStep(node, f, v) for f, v in choice.facts.items()),
                    tuple(choice.facts.items()),
                    choice.next,
                )
                for choice in tree.choices(node)
            ]
        for here, settled, target in onward:
            # As `TreePath.answers()`: a fact settled again takes its later value (a valid
            # tree never does), and is given back its earlier one on the way back.
            if len(settled) == 1:  # most answers settle one fact
                ((fact, answer),) = settled
                earlier = answers.get(fact, missing)
                answers[fact] = answer
                trail.append(here)
                if target in outcomes:
                    reach(target)
                else:
                    visit(target)
                trail.pop()
                if earlier is missing:
                    del answers[fact]
                else:
                    answers[fact] = earlier  # type: ignore[assignment]
                continue
            before = [(f, answers.get(f, missing)) for f, _ in settled]
            answers.update(settled)
            trail.append(here)
            if target in outcomes:
                reach(target)
            else:
                visit(target)
            trail.pop()
            for fact, value in reversed(before):
                if value is missing:
                    del answers[fact]
                else:
                    answers[fact] = value  # type: ignore[assignment]

    if tree.start in outcomes:
        reach(tree.start)
    else:
        visit(tree.start)
    problems = []
    for key, (message, path) in first.items():
        more = count[key] - 1
        extra = f" (and {more} more path{'s' if more != 1 else ''})" if more else ""
        problems.append(
            Problem(
                tree.outcome_location(path.outcome),
                f"{path.outcome}: {message} [{key[0]}] on path {path.describe()}{extra}",
                (_doc(key[0])),
            )
        )
    return sorted(problems, key=lambda p: (p.location.line, p.message))


#: What the checks say about one path: (invariant, message) for each that fails, in order.
Results = tuple[tuple[str, str], ...]


def _evaluate(view: PathView, outcome: Outcome) -> tuple[Results, set[str]]:
    """Every invariant on one path, and the facts they read to decide."""
    found = []
    for check in INVARIANTS:
        message = check(view, outcome)
        if message is not None:
            found.append((check.__name__, message))
    return tuple(found), view._read


def _doc(name: str) -> str:
    for check in INVARIANTS:
        if check.__name__ == name and check.__doc__:
            return check.__doc__.strip().splitlines()[0]
    return ""


def path_lengths(tree: CompiledTree) -> list[int]:
    """Questions asked on each path, one entry per path."""
    return [path.questions for path in tree.paths()]


def length_counts(tree: CompiledTree) -> dict[int, int]:
    """How many paths ask each number of questions: `histogram(path_lengths(tree))`, counted
    over the graph (each node's counts once, from those of the nodes its answers lead to)
    instead of path by path. Every answer offered is a path of its own, as in `paths()`."""
    below: dict[str, dict[int, int]] = {}

    def counts(node: str) -> dict[int, int]:
        found = below.get(node)
        if found is None:
            if tree.is_outcome(node):
                found = {0: 1}
            else:
                found = {}
                for choice in tree.choices(node):
                    for n, k in counts(choice.next).items():
                        found[n + 1] = found.get(n + 1, 0) + k
            below[node] = found
        return found

    return dict(sorted(counts(tree.start).items()))


def question_stats(
    tree: CompiledTree, counts: dict[int, int] | None = None
) -> tuple[int, float, int]:
    """Fewest, median and most questions asked on any root-to-outcome path (the median as
    `statistics.median` gives it: the middle one, or the mean of the middle two); `counts`
    is `length_counts(tree)` if the caller has it already."""
    if counts is None:
        counts = length_counts(tree)
    total = sum(counts.values())
    middle = [total // 2] if total % 2 else [total // 2 - 1, total // 2]
    values: list[int] = []
    passed = 0
    for n, k in counts.items():
        values += [n for i in middle if passed <= i < passed + k]
        passed += k
    return min(counts), float(sum(values) / len(values)), max(counts)


def histogram(lengths: Iterable[int]) -> dict[int, int]:
    """How many paths ask each number of questions (for the docs and the report)."""
    out: dict[int, int] = {}
    for n in lengths:
        out[n] = out.get(n, 0) + 1
    return dict(sorted(out.items()))

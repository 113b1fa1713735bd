"""Training sessions: attempts kept per trainee, merged from several machines, summarised.

Three trainees on two scenarios, each answer chosen here, and every figure of the summary
checked against those answers. Outcome ids are never written down (the England tree is being
rewritten): where a figure depends on what the tree decides for a wrong answer, the test asks
the tree through `decide`, which is a different route from the walk that made the attempt.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import stat
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharewise import paths
from sharewise.cli import main
from sharewise.domain.decide import decide
from sharewise.domain.errors import InputError
from sharewise.domain.graph import CompiledTree, load_tree
from sharewise.domain.result import by_question
from sharewise.domain.scenarios import Scenario, load_scenario
from sharewise.domain.session import Attempt, QuestionFigures, clean_name, make_attempt, summarise
from sharewise.domain.training import debrief
from sharewise.store.training import SessionFiles, read_attempts

SESSION = "Year 7 team, 1 Dec"
COURT = "court-order"
SCHOOL = "child-disclosure-at-school"
T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def england() -> CompiledTree:
    return load_tree(paths.default_tree_path())


def scenario(sid: str) -> Scenario:
    return load_scenario(paths.scenarios_dir() / f"{sid}.yaml")


def attempt(
    tree: CompiledTree,
    sid: str,
    trainee: str,
    changes: Mapping[str, str],
    minutes: int,
    session: str = SESSION,
) -> Attempt:
    """The attempt of a trainee who answers as the scenario does, except for `changes`."""
    s = scenario(sid)
    mine = decide(tree, {**s.facts, **changes})
    d = debrief(tree, s.facts, mine, s.learning_points)
    at = T0 + dt.timedelta(minutes=minutes)
    return make_attempt(tree, s, d, session=session, trainee=trainee, at=at)


#: What each trainee answered differently from the model, per scenario.
WRONG: dict[tuple[str, str], dict[str, str]] = {
    ("Ann Example", COURT): {},
    ("Ann Example", SCHOOL): {},
    ("Ben Sample", COURT): {"legal_requirement": "none"},
    ("Ben Sample", SCHOOL): {"concern": "no_safeguarding_purpose"},
    ("Cat Person", COURT): {"identifiable": "no"},
    ("Cat Person", SCHOOL): {"sharer": "public_authority", "care_professional": "yes"},
}


def pilot_attempts(tree: CompiledTree) -> list[Attempt]:
    out = [
        attempt(tree, sid, who, changes, minutes=i)
        for i, ((who, sid), changes) in enumerate(WRONG.items())
    ]
    # Ann tries the court order again after her debrief, answering differently: a retry,
    # which must not change the figures (they count what trainees understood first).
    out.append(attempt(tree, COURT, "ann  EXAMPLE", {"identifiable": "no"}, minutes=30))
    return out


def label(tree: CompiledTree, fact: str, value: str) -> str:
    """The words of the answer that gives `fact` this value (as a trainee saw it)."""
    for node, q in tree.model.questions.items():
        if q.fact == fact:
            for choice in tree.choices(node):
                if choice.facts.get(fact) == value:
                    return choice.label
    raise AssertionError(f"no answer gives {fact}={value}")


def test_every_figure_of_the_summary(england: CompiledTree) -> None:
    summary = summarise(SESSION, pilot_attempts(england))
    assert summary.trainees == ["Ann Example", "Ben Sample", "Cat Person"]
    assert summary.attempts == 7
    assert (summary.first, summary.last) == (T0, T0 + dt.timedelta(minutes=30))
    court, school = summary.scenarios  # by id: child-disclosure-at-school first
    court, school = (court, school) if court.scenario == COURT else (school, court)

    # --- the court order: Ann right; Ben says there is no legal requirement; Cat says the
    # information identifies nobody (not personal data: a different decision for certain).
    ben_court = decide(england, {**scenario(COURT).facts, "legal_requirement": "none"})
    model = decide(england, scenario(COURT).facts)
    assert court.trainees == 3 and court.retries == 1
    assert court.same_decision == 1 + (ben_court.decision == model.decision)
    assert court.same_law == 1  # only Ann: Ben's route relies on other law
    assert set(ben_court.citations) != set(model.citations)
    by_fact = {q.fact: q for q in court.questions}
    ident = by_fact["identifiable"]
    assert (ident.answered, ident.differed, ident.not_reached) == (3, 1, 0)
    assert ident.most_common_wrong == (label(england, "identifiable", "no"), 1)
    assert ident.model_label == label(england, "identifiable", "yes")
    assert ident.why == next(
        q.why for q in england.model.questions.values() if q.fact == "identifiable"
    )
    legal = by_fact["legal_requirement"]
    # Cat never reached it (not personal data ends the walk); Ben answered it wrongly.
    assert (legal.answered, legal.differed, legal.not_reached) == (2, 1, 1)
    assert legal.most_common_wrong == (label(england, "legal_requirement", "none"), 1)
    # Questions only Ben's wrong turn met are counted as answered, and right.
    extra = [q for q in court.questions if q.fact not in {s.fact for s in model.path}]
    assert extra and all((q.answered, q.differed) == (1, 0) for q in extra)
    # In the model path's order, then what only wrong turns met.
    path = [group[0].fact for group in by_question(model.path)]
    assert [x.fact for x in court.questions[: len(path)]] == path

    # --- the school: Ann right; Ben sees no safeguarding purpose (do not share); Cat says
    # she shares as a health professional (same decision, different law).
    school_model = decide(england, scenario(SCHOOL).facts)
    cat = decide(england, {**scenario(SCHOOL).facts, "care_professional": "yes"})
    assert school.trainees == 3 and school.retries == 0
    assert school.same_decision == 1 + (cat.decision == school_model.decision)
    assert school.same_law == 1
    assert school.decisions["do_not_share"] == 1
    q = {x.fact: x for x in school.questions}
    assert (q["concern"].answered, q["concern"].differed) == (3, 1)
    assert q["concern"].most_common_wrong == (
        label(england, "concern", "no_safeguarding_purpose"),
        1,
    )
    assert (q["sharer"].answered, q["sharer"].differed, q["sharer"].not_reached) == (2, 1, 1)
    wrong_sharer = q["sharer"].most_common_wrong
    assert wrong_sharer is not None and "health or social care professional" in wrong_sharer[0]
    # Ben stopped at the concern: every later question of the model path was not reached.
    facts = [group[0].fact for group in by_question(school_model.path)]
    assert all(q[f].not_reached >= 1 for f in facts[facts.index("concern") + 1 :])
    for sc in (court, school):
        check_every_question(england, sc.scenario, sc.questions)

    # The most misunderstood first: one of three for each question that anyone got wrong.
    ranked = [(sc.scenario, x.fact) for sc, x in summary.questions_by_difference()]
    assert set(ranked) == {
        (COURT, "identifiable"),
        (COURT, "legal_requirement"),
        (SCHOOL, "concern"),
        (SCHOOL, "sharer"),
    }
    assert ranked.index((COURT, "legal_requirement")) < ranked.index((COURT, "identifiable"))


def check_every_question(
    tree: CompiledTree, sid: str, questions: list[QuestionFigures], *, walked: bool = False
) -> None:
    """Each question's answered / differed / not reached, recounted from the trainees'
    answers by deciding them afresh (first attempts only).

    `walked`: the attempts were walked in the app, where a question whose fact the scenario
    leaves out (a fact with a default, such as the kind of public body) is still asked and
    answered at its default (`Walk.index_for`), so it is on the trainee's path; deciding
    from the facts leaves it out, as a facts file that does not give it is decided. The
    scenario does not say it, so the model path never holds it and nobody "did not reach"
    it (`training.debrief`)."""
    facts = dict(scenario(sid).facts)
    model = {group[0].fact for group in by_question(decide(tree, facts).path)}
    asked = dict(facts)
    if walked:
        asked = {**tree.vocabulary.defaults(), **facts}
    paths_ = [
        [g[0].fact for g in by_question(decide(tree, {**asked, **changes}).path)]
        for (who, s), changes in WRONG.items()
        if s == sid
    ]
    changed = [changes for (who, s), changes in WRONG.items() if s == sid]
    for q in questions:
        answered = sum(q.fact in p for p in paths_)
        differed = sum(q.fact in p and q.fact in c for p, c in zip(paths_, changed, strict=True))
        missed = sum(q.fact not in p for p in paths_) if q.fact in model else 0
        assert (q.answered, q.differed, q.not_reached) == (answered, differed, missed), q.fact


def test_other_sessions_are_not_counted(england: CompiledTree) -> None:
    other = attempt(england, COURT, "Dan Other", {}, minutes=5, session="Another session")
    summary = summarise(SESSION, [*pilot_attempts(england), other])
    assert "Dan Other" not in summary.trainees and summary.attempts == 7


def test_a_retry_within_the_same_second_is_still_the_retry(
    england: CompiledTree, tmp_path: Path
) -> None:
    """A fast trainee (or a script) can answer twice within one second. Which attempt came
    first is then the order they were written in, whatever their random ids; CI once counted
    a retry as the first attempt because ties were broken by id."""
    first = attempt(england, COURT, "Ben Sample", {"identifiable": "no"}, minutes=0)
    retry = attempt(england, COURT, "Ben Sample", {}, minutes=0)
    # the ids that once decided it, both ways round
    for a, b in [
        (first, retry),
        (first.model_copy(update={"id": "f" * 32}), retry.model_copy(update={"id": "0" * 32})),
    ]:
        figures = summarise(SESSION, [a, b]).scenarios[0]
        assert figures.retries == 1 and figures.same_decision == 0
        files = SessionFiles(tmp_path / a.id)
        for x in (a, b):
            files.add(x)
        assert [x.id for x in files.read(SESSION).attempts] == [a.id, b.id]
    # attempts are told apart to the microsecond: the time is kept as it was taken
    s = scenario(COURT)
    d = debrief(england, s.facts, decide(england, s.facts), s.learning_points)
    at = T0.replace(microsecond=123456)
    made = make_attempt(england, s, d, session=SESSION, trainee="Ben Sample", at=at)
    assert made.at == at


@pytest.mark.parametrize("bad", ["", "   ", "a\x1b[31mb", "x" * 81])
def test_names_are_refused_when_unusable(bad: str) -> None:
    with pytest.raises(InputError):
        clean_name(bad, "trainee's name")


def test_names_are_trimmed_to_one_line() -> None:
    assert clean_name("  Ann   Example ", "trainee's name") == "Ann Example"


# ---- the session files --------------------------------------------------------------------


def test_files_are_private_and_merge_without_double_counting(
    tmp_path: Path, england: CompiledTree
) -> None:
    attempts = pilot_attempts(england)
    laptop, desk, trainer = (SessionFiles(tmp_path / n / "training") for n in ("a", "b", "c"))
    for a in attempts[:4]:
        laptop.add(a)
    for a in attempts[4:]:
        desk.add(a)
    (path,) = laptop.files()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    first = trainer.merge([path, *desk.files()])
    assert (first.added, first.already, first.problems) == (7, 0, [])
    again = trainer.merge([*desk.files(), path])  # the same files twice: nothing new
    assert (again.added, again.already) == (0, 7)
    got = trainer.read(SESSION)
    assert sorted(a.id for a in got.attempts) == sorted(a.id for a in attempts)
    assert summarise(SESSION, got.attempts) == summarise(SESSION, attempts)


def test_a_line_cut_short_is_reported_and_the_rest_kept(
    tmp_path: Path, england: CompiledTree
) -> None:
    files = SessionFiles(tmp_path / "training")
    a, b, c = pilot_attempts(england)[:3]
    path = files.add(a)
    with path.open("ab") as handle:  # a crash in the middle of writing b
        handle.write(b.model_dump_json().encode()[:50])
    files.add(c)  # starts on a line of its own
    got = read_attempts(path)
    assert [x.id for x in got.attempts] == [a.id, c.id]
    (problem,) = got.problems
    assert problem.location.line == 2 and "not a training attempt" in problem.message


def _session_file(tmp_path: Path, england: CompiledTree) -> Path:
    files = SessionFiles(tmp_path / "elsewhere")
    for a in pilot_attempts(england):
        files.add(a)
    (path,) = files.files()
    return path


def test_report_formats_from_the_command_line(
    tmp_path: Path, england: CompiledTree, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    source = _session_file(tmp_path, england)
    assert main(["--data-dir", str(data), "train", "merge", str(source)]) == 0
    assert "added 7 attempt(s)" in capsys.readouterr().out
    assert main(["--data-dir", str(data), "train", "sessions"]) == 0
    assert f"{SESSION}: 7 attempt(s)" in capsys.readouterr().out

    assert main(["--data-dir", str(data), "train", "report", SESSION, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    court = next(s for s in report["scenarios"] if s["scenario"] == COURT)
    assert court["trainees"] == 3 and court["retries"] == 1 and court["reached_model_law"] == 1
    ident = next(q for q in court["questions"] if q["fact"] == "identifiable")
    assert ident["differed"] == 1 and ident["most_common_wrong"]["count"] == 1

    assert main(["--data-dir", str(data), "train", "report", SESSION, "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("session,scenario,scenario_title,theme,trainees")
    assert any(f"{COURT}," in r and ",identifiable," in r for r in rows)

    out = tmp_path / "report.html"
    args = ["train", "report", SESSION, "--format", "html", "--out", str(out)]
    assert main(["--data-dir", str(data), *args]) == 0
    html = out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "<svg" in html and "<script" not in html and "Ann Example" in html

    assert main(["--data-dir", str(data), "train", "report", SESSION]) == 0
    md = capsys.readouterr().out
    assert md.startswith(f"# Training session: {SESSION}")
    assert "| A family court orders disclosure of records (`court-order`) | 3 |" in md


def test_names_cannot_become_markup_or_formulas(
    tmp_path: Path, england: CompiledTree, capsys: pytest.CaptureFixture[str]
) -> None:
    files = SessionFiles(tmp_path / "data" / "training")
    files.add(attempt(england, COURT, "<b>Eve</b> & =HYPERLINK(1)", {}, minutes=1))
    data = ["--data-dir", str(tmp_path / "data")]
    assert main([*data, "train", "report", SESSION, "--format", "html"]) == 0
    html = capsys.readouterr().out
    assert "<b>Eve" not in html and "&lt;b&gt;Eve&lt;/b&gt; &amp; =HYPERLINK(1)" in html


def test_an_unknown_session_names_the_ones_there_are(
    tmp_path: Path, england: CompiledTree, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    SessionFiles(data / "training").add(attempt(england, COURT, "Ann", {}, minutes=1))
    assert main(["--data-dir", str(data), "train", "report", "Year 8"]) == 2
    assert f"sessions here: {SESSION}" in capsys.readouterr().err


@functools.cache
def _cached_attempts() -> tuple[Attempt, ...]:
    return tuple(pilot_attempts(load_tree(paths.default_tree_path())))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(count=st.integers(0, 7), cut=st.integers(0, 4000), tail=st.binary(max_size=40))
def test_a_file_cut_anywhere_keeps_every_whole_line(
    tmp_path: Path, count: int, cut: int, tail: bytes
) -> None:
    """However a session file ends (a crash, a full disk, junk), every whole line before the
    damage is read, and the damage is at most one reported line."""
    attempts = _cached_attempts()[:count]
    body = b"".join(a.model_dump_json().encode() + b"\n" for a in attempts)
    cut = min(cut, len(body))
    path = tmp_path / f"cut-{count}-{cut}.jsonl"
    path.write_bytes(body[: len(body) - cut] + tail.replace(b"\n", b" "))
    got = read_attempts(path)
    whole = body[: len(body) - cut].count(b"\n")
    assert [a.id for a in got.attempts][:whole] == [a.id for a in attempts[:whole]]
    assert len(got.attempts) + len(got.problems) <= whole + 1


def test_sessions_and_merge_json(
    tmp_path: Path, england: CompiledTree, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ("--data-dir", str(tmp_path / "data"))
    assert main([*data, "train", "sessions", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main([*data, "train", "sessions"]) == 0
    none = capsys.readouterr()
    assert none.out == "" and "no training sessions here yet" in none.err  # a message
    source = _session_file(tmp_path, england)
    assert main([*data, "train", "merge", str(source), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"added": 7, "already": 0, "sessions": [SESSION]}
    assert main([*data, "train", "merge", str(source), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["already"] == 7
    assert main([*data, "train", "sessions", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"session": SESSION, "attempts": 7}]


def test_merge_refuses_what_is_not_a_session_file_without_reading_it_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`train merge /dev/zero` read the whole "file" into memory until the process died (the
    every-command test found it): a line longer than any attempt ends the reading."""
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "train", "merge", "/dev/zero"]) == 2
    assert "longer than any training attempt" in capsys.readouterr().err
    noise = tmp_path / "noise.bin"
    noise.write_bytes(b"not an attempt\n" * 500)
    assert main(["--data-dir", data, "train", "merge", str(noise)]) == 2
    assert "more than 100 lines are not training attempts" in capsys.readouterr().err
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert main(["--data-dir", data, "train", "merge", str(folder)]) == 2

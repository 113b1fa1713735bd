"""Paired questions in the UI: one answer that settles two facts (the England tree's "who is
sharing, and in what capacity?" settles `sharer` and `care_professional`).

The person sees one question with every pairing as its own option, the breadcrumb and the
outcome show it once, the record keeps both facts, going back clears both, and settings
skip it only when they settle both facts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from sharewise import paths
from sharewise.domain.facts import load_vocabulary
from sharewise.domain.graph import load_tree
from sharewise.domain.scenarios import load_scenario
from sharewise.domain.settings import save_settings
from sharewise.domain.walk import questions_left
from sharewise.store import open_ledger
from sharewise.tui.app import SharewiseApp
from sharewise.tui.screens.confirm import ConfirmScreen
from sharewise.tui.screens.outcome import OutcomeScreen
from sharewise.tui.screens.walk import WalkScreen
from tests.tui.test_flows import record, start, walk_by_facts
from tests.tui.test_settled import crumbs

MakeApp = Callable[..., SharewiseApp]
VOCAB = load_vocabulary(paths.facts_path())
ENGLAND = str(paths.default_tree_path())
#: The school disclosure: a teacher at a maintained school, so a public authority sharing
#: not as a health or social care professional.
FACTS = dict(load_scenario(paths.scenarios_dir() / "child-disclosure-at-school.yaml").facts)
TEACHER = "A public authority (council, NHS body, school, academy), and not as a health or social"


def text_of(pilot: Pilot[Any], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


async def answer_until(pilot: Pilot[Any], fact: str) -> WalkScreen:
    """Answer by number key, from the scenario's facts, until the question about `fact`."""
    for _ in range(30):
        screen = pilot.app.screen
        assert isinstance(screen, WalkScreen)
        q = screen.walk.question
        assert q is not None, "the walk reached an outcome first"
        if q.fact == fact:
            return screen
        await pilot.press(str(screen.walk.index_for(FACTS) + 1))
        await pilot.pause()
    raise AssertionError(f"never asked about {fact}")


def option_prompts(walk: WalkScreen) -> list[str]:
    options = walk.query_one("#walk-options", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_paired_question_offers_each_pairing_and_the_record_keeps_both_facts(
    make_app: MakeApp, data_dir: Path
) -> None:
    async with make_app(ENGLAND).run_test(size=(120, 40)) as pilot:
        walk = await start(pilot)
        await answer_until(pilot, "sharer")
        choices = walk.walk.choices()
        assert len(choices) == 8
        options = walk.query_one("#walk-options", OptionList)
        assert options.option_count == 8
        ids = [options.get_option_at_index(i).id for i in range(8)]
        assert len(set(ids)) == 8  # three options share the value public_authority
        assert [c.value for c in choices].count("public_authority") == 3
        # All eight fit at 120x40 (no scrolling to find the charity's answers), hint below.
        await pilot.pause()
        assert options.max_scroll_y == 0
        column = walk.query_one("#walk-question-col")
        assert walk.query_one("#walk-keys").region.bottom <= column.region.bottom
        asked_before = len(walk.walk.trail())
        facts_before = len(walk.walk.steps())
        node = walk.walk.node
        assert f"Question {asked_before + 1}" in text_of(pilot, "#walk-progress")

        number = next(i for i, c in enumerate(choices, 1) if c.label.startswith(TEACHER))
        assert choices[number - 1].facts == {
            "sharer": "public_authority",
            "care_professional": "no",
        }
        await pilot.press(str(number))
        await pilot.pause()
        # One question answered, two facts settled.
        assert len(walk.walk.trail()) == asked_before + 1
        assert len(walk.walk.steps()) == facts_before + 2
        assert f"Question {asked_before + 2}" in text_of(pilot, "#walk-progress")
        trail = crumbs(walk)
        assert len(trail) == asked_before + 1
        assert sum("Who is sharing" in c for c in trail) == 1
        assert TEACHER in trail[-1]
        # At the column's width the long answer wraps under itself, clear of the numbers.
        first, *wrapped = crumbs(walk, width=26)[-1].splitlines()
        assert first.startswith(f"{asked_before + 1}. Who is sharing")
        assert len(wrapped) >= 4 and all(line.startswith("   ") for line in wrapped)

        await walk_by_facts(pilot, FACTS)
        outcome = pilot.app.screen
        assert isinstance(outcome, OutcomeScreen)
        answers = text_of(pilot, "#outcome-path")
        assert answers.count("Who is sharing") == 1
        assert f"— {TEACHER}" in answers
        lines = answers.splitlines()
        assert len(lines) == len(walk.walk.trail())
        assert lines[-1].startswith(f"{len(lines)}. ")
        saved = await record(pilot)
        assert saved.text.count("Who is sharing") == 1
    with open_ledger(data_dir, create=False) as ledger:
        (entry,) = list(ledger.entries())
    assert entry.result is not None
    paired = [(s.fact, s.answer) for s in entry.result.path if s.node == node]
    assert paired == [("sharer", "public_authority"), ("care_professional", "no")]
    assert all(not s.preset for s in entry.result.path)


async def test_going_back_to_the_paired_question_clears_both_facts(make_app: MakeApp) -> None:
    async with make_app(ENGLAND).run_test(size=(120, 40)) as pilot:
        walk = await start(pilot)
        await answer_until(pilot, "sharer")
        index = len(walk.walk.trail())  # the paired question's place in the breadcrumb
        await pilot.press(str(walk.walk.index_for(FACTS) + 1))
        await pilot.pause()
        # Two more questions answered (health data, and why not seek consent).
        await answer_until(pilot, "apd_in_place")
        assert len(walk.walk.trail()) == index + 3

        await pilot.press("p", "home", *["down"] * index, "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        warning = text_of(pilot, "#confirm-text")
        assert f"Go back to question {index + 1}: Who is sharing" in warning
        # The paired answer is cleared as one answer, listed once, and so is each after it.
        cleared = warning.split("These answers will be cleared:")[1].strip().splitlines()
        assert len(cleared) == 3
        assert cleared[0].strip().startswith(f"{index + 1}. Who is sharing")
        assert TEACHER[:40] in cleared[0]
        await pilot.press("y")
        await pilot.pause()
        assert pilot.app.screen is walk

        q = walk.walk.question
        assert q is not None and q.fact == "sharer"
        settled = {s.fact for s in walk.walk.steps()}
        assert "sharer" not in settled and "care_professional" not in settled
        assert len(walk.walk.trail()) == index == len(crumbs(walk))
        assert "Who is sharing" in text_of(pilot, "#walk-question")
        assert f"Question {index + 1}" in text_of(pilot, "#walk-progress")
        assert len(option_prompts(walk)) == 8


async def test_settings_skip_the_paired_question_only_when_they_settle_both_facts(
    make_app: MakeApp, data_dir: Path
) -> None:
    both = {"sharer": "public_authority", "care_professional": "no"}
    save_settings(data_dir, both, VOCAB)
    async with make_app(ENGLAND).run_test(size=(120, 40)) as pilot:
        walk = await start(pilot)
        await walk_by_facts(pilot, FACTS)
        assert isinstance(pilot.app.screen, OutcomeScreen)
        assert "sharer" not in {a.node for a in walk.walk.answers if not a.preset}
        (settled,) = [s for s in walk.walk.trail() if s.preset]
        assert settled.fact == "sharer" and settled.label.startswith(TEACHER)
        assert {s.fact: s.answer for s in walk.walk.steps() if s.preset} == both
        assert f"— {TEACHER}" in text_of(pilot, "#outcome-path")
        assert "(settled in your settings)" in text_of(pilot, "#outcome-path")
        await pilot.press("b")
        await pilot.pause()
        assert pilot.app.screen is walk
        (marked,) = [c for c in crumbs(walk) if "Who is sharing" in c]
        assert "(settled in settings)" in marked

    save_settings(data_dir, {"sharer": "public_authority"}, VOCAB)
    async with make_app(ENGLAND).run_test(size=(120, 40)) as pilot:
        walk = await start(pilot)
        await answer_until(pilot, "sharer")  # asked: the setting does not say the capacity
        assert walk.walk.settled == {"sharer": "public_authority"}
        assert len(option_prompts(walk)) == 8  # every option, not only the public authority's
        assert not any(a.preset for a in walk.walk.answers)
        await pilot.press(str(walk.walk.index_for(FACTS) + 1))
        await walk_by_facts(pilot, FACTS)
        assert isinstance(pilot.app.screen, OutcomeScreen)
        assert all(not s.preset for s in walk.walk.steps())


def test_questions_left_counts_the_paired_question_unless_both_facts_are_settled() -> None:
    tree = load_tree(Path(ENGLAND))
    asked = questions_left(tree, "sharer")
    assert asked >= 2
    # Settling who shares but not in what capacity leaves the question to ask.
    assert questions_left(tree, "sharer", {"sharer": "public_authority"}) == asked
    both = {"sharer": "public_authority", "care_professional": "no"}
    teacher = next(c for c in tree.choices("sharer") if c.settles(both))
    assert questions_left(tree, "sharer", both) == questions_left(tree, teacher.next, both)
    assert questions_left(tree, "sharer", both) < asked

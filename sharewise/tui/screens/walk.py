"""The walk: one question at a time, the path so far, help, and the law still in play.

The screen only asks the `Walk` (the domain) and shows what it answers: which question, which
choices, what is still possible, and finally the result. It decides nothing itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from sharewise.domain.emergency import FOR_THE_RECORD
from sharewise.domain.safe_text import safe_line
from sharewise.domain.walk import Walk
from sharewise.tui.breakpoints import preset_width_class
from sharewise.tui.screens.confirm import ConfirmScreen
from sharewise.tui.widgets.footer import KeysFooter
from sharewise.tui.widgets.law import citation_text
from sharewise.tui.widgets.path import JumpRequest, PathList
from sharewise.tui.words import SETTLED, decision_words, session_names

if TYPE_CHECKING:
    # Records and scenarios are pydantic models: a walk imports them only when it ends in
    # a result (the running UI's memory, issue 17).
    from sharewise.domain.record import Entry, RecordDetails
    from sharewise.domain.scenarios import Scenario
    from sharewise.tui.ledger import SavedRecord

#: The fewest rows the answers get, however little room the terminal leaves.
MIN_OPTIONS_HEIGHT = 6
#: Below this width the help column starts hidden (see app.tcss), so the question has room.
NARROW_BELOW = 100


class QuestionColumn(Vertical):
    """The question and its answers; a new size means the answers may have more room."""

    def on_resize(self) -> None:
        screen = self.screen
        if isinstance(screen, WalkScreen):
            screen.fit_options()


class WalkScreen(Screen[str | None]):
    """Answer with 1–9 (or arrows and Enter, or a click); b goes back; ? shows or hides help.

    An exercise dismisses with "done" when the trainee leaves its debrief for the other
    scenarios (the story screen under it closes too); otherwise with None.
    """

    # Not ClassVar-annotated: Textual declares it on Screen in a way mypy reads as per-instance.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_BELOW, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        # First, so the footer shows it first even at 80 columns (the app's F2 does the work).
        Binding("f2", "app.emergency", "Danger now"),
        *(Binding(str(n), f"pick({n})", f"Answer {n}", show=False) for n in range(1, 10)),
        Binding("b,backspace", "back", "Back"),
        Binding("p", "focus_path", "Answers"),
        Binding("question_mark", "toggle_help", "Explain"),
        Binding("e", "app.emergency", "Danger now", show=False),
        Binding("n", "story", "The story"),
        Binding("escape", "leave", "Leave"),
    ]

    def __init__(
        self,
        walk: Walk,
        *,
        training: Scenario | None = None,
        record_options: dict[str, Any] | None = None,
        earlier: Entry | None = None,
    ) -> None:
        super().__init__()
        preset_width_class(self)
        self.walk = walk
        #: A reassessment: the record whose answers each question offers (Enter keeps one).
        self.earlier = earlier
        self._earlier_answers: dict[str, str] = {}
        if earlier is not None and earlier.result is not None:
            from sharewise.domain.reassess import earlier_answers

            self._earlier_answers = earlier_answers(earlier.result)
        #: Passed to the record form at the end (e.g. completing an emergency record).
        self.record_options = record_options or {}
        #: The scenario of a training exercise: the end is a debrief, never a record.
        self.training = training
        #: The answers' height last fitted to the column (`fit_options`).
        self._options_height = 0
        #: The act-now screen came up for an answer that decided the walk: the outcome
        #: follows when the person comes back from it.
        self._outcome_due = False

    @property
    def completes(self) -> str | None:
        """The emergency record this walk completes, if any."""
        target = self.record_options.get("complete_target")
        return str(target) if target else None

    @property
    def in_training(self) -> bool:
        return self.training is not None

    def compose(self) -> ComposeResult:
        yield Header()
        if self.training is not None:
            session, trainee = session_names(self)
            kept = (
                f"kept for your trainer as {safe_line(trainee)}"
                if session and trainee
                else "practice only, nothing kept"
            )
            yield Static(
                Text(
                    f"TRAINING EXERCISE: {safe_line(self.training.title)} · {kept} · never a "
                    "real decision · n: the story"
                ),
                id="walk-training",
                classes="training-banner",
            )
        danger = Static("", id="walk-danger", classes="danger-banner")
        danger.display = False
        yield danger
        with Horizontal(id="walk-body"):
            with Vertical(id="walk-path-col"):
                yield Label("Your answers so far", classes="col-title")
                yield PathList(id="walk-path")
                yield Static("", id="walk-path-hint", classes="hint")
            with QuestionColumn(id="walk-question-col"):
                yield Static("", id="walk-progress")
                yield Static("", id="walk-question")
                yield OptionList(id="walk-options")
                more = Static("", id="walk-more")
                more.display = False
                yield more
                yield Static(
                    "Press the number of your answer, or use ↑ ↓ and Enter. "
                    "“Not sure” is a real answer: it leads to advice.",
                    id="walk-keys",
                    classes="hint",
                )
            with VerticalScroll(id="walk-help-col"):
                yield Label("What this means", classes="col-title")
                yield Static("", id="walk-what")
                yield Label("Why we ask", classes="col-title")
                yield Static("", id="walk-why")
                yield Label("Still possible", classes="col-title")
                yield Static("", id="walk-possible")
                yield Label("The law that may apply", classes="col-title")
                yield Static("", id="walk-law")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.show_question()

    def show_question(self) -> None:
        """Redraw everything from the walk; called after every change to it."""
        walk = self.walk
        q = walk.question
        if q is None:
            self._show_outcome()
            return
        # One entry per question answered, however many facts an answer settled.
        trail = walk.trail()
        left, number = walk.questions_left(), walk.question_number
        where = (
            f"Question {number} · at most {left - 1} more after this"
            if left > 1
            else f"Question {number} · the last one"
        )
        self.query_one("#walk-progress", Static).update(
            Text(f"For the record · {where}") if walk.in_danger else Text(where)
        )
        self._show_danger()
        self.query_one("#walk-question", Static).update(Text(q.text))
        options = self.query_one("#walk-options", OptionList)
        options.clear_options()
        for i, choice in enumerate(walk.choices(), start=1):
            key = f"{i}" if i <= 9 else " "
            # A grid keeps wrapped labels indented under their first line, not under the key.
            line = Table.grid(padding=(0, 1))
            line.add_column(width=3)
            line.add_column(ratio=1)
            line.add_row(Text(f" {key} ", style="bold reverse"), Text(choice.label))
            # By position: several answers may share a value (and differ in what else
            # they settle), so the value alone would not be a unique id.
            options.add_option(Option(line, id=f"choice-{i - 1}"))
        options.highlighted = 0
        if self.earlier is not None:
            self._offer_earlier(options)
        path = self.query_one("#walk-path", PathList)
        path.show(trail)
        hint = "Press p, then Enter on an answer, to change it." if trail else ""
        if any(s.preset for s in trail):
            hint += " A settled answer can be changed that way for this case."
        self.query_one("#walk-path-hint", Static).update(Text(hint))
        self.query_one("#walk-what", Static).update(Text(q.help))
        self.query_one("#walk-why", Static).update(Text(q.why))
        possible = sorted({decision_words(o.decision) for o in walk.reachable_outcomes()})
        self.query_one("#walk-possible", Static).update(Text("\n".join(f"• {p}" for p in possible)))
        self.query_one("#walk-law", Static).update(
            citation_text(walk.citations_in_play(), walk.tree.registry, gist=False)
        )
        options.focus()
        self.call_after_refresh(self.fit_options)  # the question's height may have changed

    def _offer_earlier(self, options: OptionList) -> None:
        """In a reassessment, highlight the answer given last time (Enter keeps it) and say
        so under the progress line; a question not asked then says that instead."""
        from sharewise.domain.reassess import earlier_choice

        choice = earlier_choice(self.walk, self._earlier_answers)
        progress = self.query_one("#walk-progress", Static)
        line = Text(str(progress.render()))
        if choice is None:
            line.append("\nNot asked last time: answer it now.", style="bold")
        else:
            options.highlighted = self.walk.choices().index(choice)
            line.append(f"\nLast time: {choice.label} (Enter keeps it)", style="bold")
        progress.update(line)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "story":
            return self.training is not None  # only an exercise has a story
        return True

    def action_story(self) -> None:
        """The scenario's story, one key away during an exercise (the brief is gone by now,
        and the questions are answered from it)."""
        if self.training is not None:
            self.notify(
                safe_line(self.training.narrative),
                title=safe_line(self.training.title),
                timeout=30,
            )

    def _show_danger(self) -> None:
        """Once someone is in danger, every question says it is for the record only."""
        banner = self.query_one("#walk-danger", Static)
        banner.display = self.walk.in_danger
        if not self.walk.in_danger:
            return
        if self.completes:
            words = (
                f"Someone is in danger: act first (999, the duty team). These questions "
                f"complete emergency record {self.completes}: answer them now, or leave (Esc) "
                "and complete it from Records later."
            )
        elif self.in_training:
            words = FOR_THE_RECORD + " (In a real case the act-now screen opens here: F2.)"
        else:
            words = (
                "Someone is in danger: act first (999, the duty team). These questions are "
                "for the record only. F2: what to tell 999, and save an emergency record now."
            )
        banner.update(Text(words))

    def fit_options(self) -> None:
        """Let the answers use the column's free height, the hint kept below them.

        A question with many long answers (who is sharing, and in what capacity: eight, each
        two or three lines) would otherwise hide its last answers below a scroll while the
        rest of the column stood empty.
        """
        column = self.query_one("#walk-question-col")
        options = self.query_one("#walk-options", OptionList)
        keys = self.query_one("#walk-keys")
        if not column.size.height:
            return
        room = (
            column.content_region.bottom
            - options.region.y
            - keys.outer_size.height
            - keys.styles.margin.top
        )
        more = self.query_one("#walk-more", Static)
        if more.display:
            room -= more.outer_size.height  # the line is only there while answers are hidden
        height = max(MIN_OPTIONS_HEIGHT, room)
        if height != self._options_height:
            self._options_height = height
            options.styles.max_height = height
        self.call_after_refresh(self._show_more)

    def _show_more(self) -> None:
        """Say when answers lie below the fold (eight long ones on an 80x24 terminal): a
        scrollbar alone is easy to miss, and a missed answer may be the right one."""
        options = self.query_one("#walk-options", OptionList)
        more = self.query_one("#walk-more", Static)
        hidden = options.max_scroll_y > 0 and options.scroll_y < options.max_scroll_y
        last = options.option_count
        if hidden:
            more.update(Text(f"▼ More answers below: ↓, or 1–{min(last, 9)}"))
        if more.display != hidden:
            more.display = hidden
            self.call_after_refresh(self.fit_options)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "walk-options":
            self.call_after_refresh(self._show_more)

    def _show_outcome(self) -> None:
        if self.training is not None:
            self._show_debrief(self.training)
            return
        from sharewise.tui.screens.outcome import OutcomeScreen

        def returned(change: bool | None) -> None:
            if change:
                self._back_one()
                self.show_question()

        self.app.push_screen(
            OutcomeScreen(
                self.walk.result(),
                self.walk.tree.registry,
                self.record_options,
                earlier=self.earlier,
            ),
            returned,
        )

    def _show_debrief(self, scenario: Scenario) -> None:
        from sharewise.domain.exercise import run_debrief
        from sharewise.tui.screens.debrief import DebriefScreen
        from sharewise.tui.screens.session import keep_attempt

        def returned(choice: str | None) -> None:
            if choice == "change":
                self.walk.back()
                self.show_question()
            elif choice == "again":
                self.walk.jump_back(0)
                self.show_question()
            else:
                self.dismiss("done")

        d = run_debrief(self.walk.tree, scenario, self.walk.result())
        keep_attempt(self.app, self.walk.tree, scenario, d)
        self.app.push_screen(DebriefScreen(scenario, d, self.walk.tree.registry), returned)

    def answer(self, index: int) -> None:
        choices = self.walk.choices()
        if 0 <= index < len(choices):
            was_in_danger = self.walk.in_danger
            self.walk.choose(choices[index])
            if self.walk.in_danger and not was_in_danger and self._acts_now():
                self.act_now()
            else:
                self.show_question()

    def _acts_now(self) -> bool:
        """Whether "someone is in danger" opens the act-now screen: not in an exercise (it
        would file a real record), nor when completing an emergency record (that was done)."""
        return not self.in_training and not self.completes and not self._earlier_answers

    def act_now(self) -> None:
        """Danger now: the act-now screen at once, as F2 gives it; the questions wait behind
        it, for the record, and its record becomes the one this walk completes."""
        from sharewise.tui.screens.emergency import EmergencyScreen

        if self.walk.finished:
            self._outcome_due = True  # the answer decided it: the outcome comes after
        else:
            self.show_question()
        self.app.push_screen(
            EmergencyScreen(from_walk=True, on_saved=self.emergency_saved),
            lambda _: self._back_from_act_now(),
        )

    def _back_from_act_now(self) -> None:
        if self._outcome_due:
            self._outcome_due = False
            self.show_question()

    def on_screen_resume(self) -> None:
        # Back from the saved emergency record (its screen replaced the act-now one).
        if self._outcome_due and self.app.screen is self:
            self._back_from_act_now()
        elif self.walk.question is not None:
            self._show_danger()

    def emergency_saved(self, saved: SavedRecord, details: RecordDetails) -> None:
        """An emergency record was filed from this walk: the rest of it completes that
        record, with its details to start from, instead of making a second one."""
        self.record_options = {
            **self.record_options,
            "complete_target": saved.id,
            "prefill": details,
        }

    def action_pick(self, number: int) -> None:
        self.answer(number - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "walk-options":
            event.stop()
            self.answer(event.option_index)

    def _back_one(self) -> None:
        """Undo the person's last answer; with only settled answers behind, answer the last
        of those yourself instead (otherwise "change an answer" would change nothing)."""
        if any(not a.preset for a in self.walk.answers):
            self.walk.back()
        elif self.walk.answers:
            self.walk.jump_back(len(self.walk.answers) - 1)

    def action_back(self) -> None:
        if not any(not a.preset for a in self.walk.answers):
            self.notify(
                "This is the first question you answer."
                + (" To change a settled answer, press p." if self.walk.answers else "")
            )
            return
        self.walk.back()
        self.show_question()

    def action_focus_path(self) -> None:
        if self.walk.answers:
            self.query_one("#walk-path", PathList).focus()
        else:
            self.notify("No answers yet: this is the first question.")

    def action_toggle_help(self) -> None:
        # Hides the help, or on a narrow terminal (where it starts hidden) shows it.
        self.query_one("#walk-help-col").toggle_class("-toggled")

    def on_jump_request(self, message: JumpRequest) -> None:
        """Going back to an earlier answer clears the ones after it: say which, then ask."""
        index = message.index
        steps = self.walk.trail()  # one per question: the positions jump_back takes
        cleared = steps[index:]
        lines = [f"Go back to question {index + 1}: {steps[index].question}", ""]
        if steps[index].preset:
            lines += [
                f"This answer is {SETTLED}: you will answer it yourself for this case. "
                "Your settings do not change.",
                "",
            ]
        lines.append("These answers will be cleared:")
        lines += [
            f"  {index + i}. {s.question} — {s.label}" + (f" ({SETTLED})" if s.preset else "")
            for i, s in enumerate(cleared, 1)
        ]

        def decided(ok: bool | None) -> None:
            if ok:
                self.walk.jump_back(index)
                self.show_question()

        self.app.push_screen(
            ConfirmScreen("\n".join(lines), yes="Go back", no="Keep my answers"), decided
        )

    def action_leave(self) -> None:
        if not self.walk.answers:
            self.dismiss()
            return

        def decided(ok: bool | None) -> None:
            if ok:
                self.dismiss()

        if self.training is not None:
            question = "Leave this exercise? Your answers will not be kept."
        elif self.completes:
            question = (
                f"Leave? Emergency record {self.completes} is saved: complete it from Records "
                "when you can. These answers will not be kept."
            )
        else:
            question = "Leave this decision? Your answers will not be kept."
        self.app.push_screen(
            ConfirmScreen(
                question,
                yes="Leave",
                no="Stay",
            ),
            decided,
        )

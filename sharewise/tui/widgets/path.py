"""The breadcrumb of answers so far: pick one to go back to that question.

An answer settled in the settings (not asked) is marked as such, so the person can see
what was answered for them and pick it to answer it themselves for this case.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from sharewise.domain.walk import TrailStep
from sharewise.tui.words import SETTLED_SHORT

#: How much of a question fits on one line of the breadcrumb column.
SHORT = 24


@dataclass
class JumpRequest(Message):
    """The person picked an earlier answer: go back to step `index` (0 = first question)."""

    index: int


class PathList(OptionList):
    """Each answered question with its answer; Enter (or a click) asks to go back to it."""

    def show(self, steps: list[TrailStep]) -> None:
        """Replace the breadcrumb with these steps, keeping focus where it is.

        One step per question (`Walk.trail()`), so that an entry's position is the one
        `Walk.jump_back` takes, even where one answer settled two facts.
        """
        self.clear_options()
        number_width = len(f"{len(steps)}.")
        for i, step in enumerate(steps, start=1):
            # The question shortened to one line; the answer in full, since that is what
            # the person is looking for when deciding where to go back to. A grid keeps a
            # long answer's wrapped lines under its first (a paired answer runs to six),
            # clear of the numbers.
            question = step.question
            room = SHORT - number_width - 1
            if len(question) > room:
                question = question[: room - 1].rstrip() + "…"
            line = Table.grid(padding=(0, 1))
            line.add_column(width=number_width, justify="right")
            line.add_column(ratio=1)
            line.add_row(Text(f"{i}.", style="dim"), Text(question, style="dim"))
            line.add_row("", Text(step.label, style="bold"))
            if step.preset:
                line.add_row("", Text(f"({SETTLED_SHORT})", style="italic"))
            self.add_option(Option(line, id=f"step-{i - 1}"))
        self.highlighted = len(steps) - 1 if steps else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(JumpRequest(event.option_index))

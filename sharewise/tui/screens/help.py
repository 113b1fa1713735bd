"""Help: the keys and screens as they are, and where to find the plain text mode."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown

from sharewise.tui.widgets.footer import KeysFooter

HELP = """\
# Help

**In an emergency** press **F2** on any screen (or **e** on the home, question and outcome
screens). Call 999 first; the form afterwards takes a minute.

## Keys
| where | key | what it does |
|---|---|---|
| anywhere | F2 | someone is in danger now |
| anywhere | F1 | this help |
| anywhere | ctrl+p | the command palette: every action, and the themes |
| anywhere | ctrl+q | quit |
| home | s, e, r, d, t, g, h | start, emergency, records, dashboard, training, settings, help |
| question | 1 to 9 | answer |
| question | ↑ ↓ Enter | choose an answer |
| question | b or Backspace | back one question |
| question | p | go to your earlier answers; Enter on one goes back to it |
| question | ? | show or hide the help panel (hidden to start under 100 columns) |
| outcome | r | record this decision |
| outcome | b or Escape | change an answer |
| record form | Tab, Enter | next field |
| record form | Space | switch yes / no |
| record form | ctrl+s | save |
| saved | c, x, d | copy as text, export, done (to Records, if you completed or amended there) |
| records | f, g, n | filter by date, decision or case; read again; decided otherwise since |
| a record | c, v, m, a, t | copy as text, review, amend, reassess, case timeline |
| a record | k, w | complete an emergency record; walk the questions first, then complete |
| other case reference | k, n, Esc | keep the emergency's; save with the new one; back to the form |
| decided otherwise | g | read the records again |
| dashboard | f, g | filter the period; read again |
| settings | ctrl+s, f | save; forget me |
| training list | n, s, c | join a session (or change name), its summary, new session |
| story (training) | s | start the exercise |
| question (training) | n | the story again |
| training debrief | x, a, b, Esc | export, try again, change the last answer, other scenarios |
| session summary | x, r | export the report (HTML); read again |
| any screen | Esc | back (the footer says where) |

## Suggestions and your details
Fields marked SUGGESTED come from your answers: check each one. Your name, role and
organisation are remembered on this computer for next time; "Forget me" (in Settings, or
in the command palette, ctrl+p) removes them.

## Settled answers
Who is sharing, whether your organisation has an appropriate policy document, and whether
you share as a care professional are the same in every case. Settle them in Settings (g on
the home screen): a decision then answers those questions without asking, and marks them
"settled in your settings" in your answers, on the outcome and in the record. To answer one
differently for one case, press p in the walk and Enter on it; your settings do not change.
Training always asks every question.

## Training
Press t on the home screen, or run `sharewise train`. Training never enters the record of
real decisions. On its own an exercise keeps nothing; in a training session (n on the list)
each debriefed attempt is kept under your name for your trainer's summary.

## Themes
Open the command palette (ctrl+p) and type "theme": default, light or high contrast. The
environment variable `NO_COLOR` turns colour off.

## Screen readers and scripts
This screen cannot be read by a screen reader. `sharewise walk --plain` asks the same
questions and records the same way as plain text, one line at a time; `sharewise train
--plain` runs a training exercise the same way.
"""


class HelpScreen(Screen[None]):
    """The help text; Escape closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "app.pop_screen", "Close")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help-body"):
            yield Markdown(HELP)
        yield KeysFooter()

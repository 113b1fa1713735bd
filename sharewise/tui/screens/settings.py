"""Settings: answers settled for every case (organisation and role facts), and "forget me".

Who is sharing, whether the organisation has an appropriate policy document and whether the
practitioner is a care professional do not change from case to case; settled here, a walk
answers them without asking (see `sharewise.domain.settings`). The screen only offers what
the vocabulary allows and saves through the domain, which checks again and words any refusal.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Button, Header, Label, RadioButton, RadioSet, Static

from sharewise.tui.context import sw_app
from sharewise.tui.screens.confirm import ConfirmScreen
from sharewise.tui.themes import THEME_LABELS, THEMES
from sharewise.tui.widgets.footer import KeysFooter

#: Textual's theme name -> ours.
THEME_NAMES = {textual: ours for ours, textual in THEMES.items()}

if TYPE_CHECKING:
    from sharewise.domain.facts import Vocabulary


def button_id(fact: str, value: str = "") -> str:
    """A radio button's id: the fact and the value (no value: "ask in every case")."""
    return f"{fact}--{value}"


def value_label(value: str, meaning: str) -> Text:
    """A value as a person reads it: "Yes: in place", or the meaning itself when it names
    the value ("a public authority acting…")."""
    if value in ("yes", "no"):
        return Text(f"{value.capitalize()}: {meaning}")
    return Text(meaning[:1].upper() + meaning[1:])


class Choice(RadioButton):
    """A radio button that says which answer is chosen in characters, not only in colour,
    and shows its whole label.

    Textual's radio button draws the same ● for on and off and tells them apart by colour
    alone, which `NO_COLOR` (and colour blindness) removes: here the chosen answer's mark is
    ● and the others' ○. Its label is also cut to one line with "…"; here it wraps, the
    continuation lines indented under the first.
    """

    ON = "●"
    OFF = "○"

    def _rows(self, width: int) -> list[Content]:
        """The label wrapped to `width` cells less the mark, a space and the right pad."""
        self.BUTTON_INNER = self.ON if self.value else self.OFF
        room = max(width - self._button.cell_length - 2, 1)
        return self._label.wrap(room) or [Content("")]

    def render(self) -> Content:
        rows = self._rows(self.content_size.width)  # sets the mark for the value, first
        button = self._button
        label_style = self.get_visual_style("toggle--label")
        blank = Content(" " * button.cell_length)
        return Content("\n").join(
            Content.assemble(
                button if index == 0 else blank, row.pad(1, 1).stylize_before(label_style)
            )
            for index, row in enumerate(rows)
        )

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._rows(width))


class SettingsScreen(Screen[None]):
    """Choose an answer (or "ask in every case") for each settable fact; ctrl+s saves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save the settings", priority=True),
        Binding("f", "forget_me", "Forget me"),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.vocabulary: Vocabulary | None = None
        #: The settled answers as saved (or as read); the radio sets may differ until saved.
        self.saved: dict[str, str] = {}
        self.path: Path | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="settings-body"):
            yield Static(Text("Settings"), id="settings-title")
            yield Static(
                Text(
                    "Answers settled here are given in every case without asking, marked "
                    "“settled in your settings”. To answer one differently for one case, go "
                    "back to it in the walk (p, then Enter on it)."
                ),
                id="settings-intro",
            )
            yield Static("", id="settings-error")
            yield Vertical(id="settings-facts")
            with Horizontal(id="settings-buttons"):
                yield Button("Save (ctrl+s)", id="settings-save", variant="primary")
                yield Button("Back (Esc)", id="settings-back")
            yield Static("", id="settings-status")
            yield Label("Your details", classes="section-title")
            yield Static(
                Text(
                    "Your name, role and organisation are remembered on this computer after "
                    "you save a record, so the next record needs only the case. Forget me "
                    "removes them."
                ),
                id="settings-profile",
            )
            yield Button("Forget me (f)", id="settings-forget")
            yield Label("How it looks", classes="section-title")
            current = THEME_NAMES.get(self.app.theme, "default")
            yield RadioSet(
                *(
                    RadioButton(label, value=name == current, id=f"theme-{name}")
                    for name, label in THEME_LABELS.items()
                ),
                id="settings-theme",
            )
            yield Static(
                Text("Used at once, and remembered on this computer for next time."),
                classes="hint",
            )
        yield KeysFooter()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set.id == "settings-theme" and event.pressed.id:
            event.stop()
            sw_app(self).action_use_theme(event.pressed.id.removeprefix("theme-"))

    def on_mount(self) -> None:
        self.query_one("#settings-status", Static).update(Text("Reading the settings…"))
        self._read()

    @work(thread=True, exclusive=True, group="settings")
    def _read(self) -> None:
        """The vocabulary and the settings file: disk, so off the UI thread."""
        from sharewise import paths
        from sharewise.domain.facts import load_vocabulary
        from sharewise.domain.settings import settings_path
        from sharewise.profile import data_folder
        from sharewise.tui.app import read_settings

        app = sw_app(self)
        vocabulary = load_vocabulary(paths.facts_path())
        settings, error = read_settings(app.data_dir)
        path = settings_path(data_folder(app.data_dir))
        self.app.call_from_thread(self._show, vocabulary, settings, error, path)

    def _show(
        self, vocabulary: Vocabulary, settings: dict[str, str], error: str | None, path: Path
    ) -> None:
        self.vocabulary, self.saved, self.path = vocabulary, dict(settings), path
        if error:
            shown = self.query_one("#settings-error", Static)
            shown.update(
                Text(
                    "The settings file could not be read, so every question is being asked:\n"
                    f"{error}\nSaving here replaces it with the answers chosen below."
                )
            )
            shown.add_class("-error")
        box = self.query_one("#settings-facts", Vertical)
        for name in vocabulary.names():
            fact = vocabulary[name]
            if fact.scope == "case":
                continue
            buttons = [
                Choice(Text("Ask in every case"), id=button_id(name), value=name not in settings)
            ]
            for value, meaning in fact.values.items():
                if value == "unsure":
                    continue  # "not sure" is never settled: it is asked, and leads to advice
                buttons.append(
                    Choice(
                        value_label(value, meaning),
                        id=button_id(name, value),
                        value=settings.get(name) == value,
                    )
                )
            box.mount(
                Label(Text(fact.ask), classes="settings-question"),
                RadioSet(*buttons, id=f"fact-{name}", classes="settings-choice"),
            )
        self._status(f"Kept in {path}. An IG lead can deploy this file to every computer.")
        # The sets mount on the next refresh: focus the first then.
        self.call_after_refresh(lambda: self.query(RadioSet).first().focus())

    def chosen(self) -> dict[str, str]:
        """The answers the radio sets show now ("ask in every case" leaves a fact out)."""
        out: dict[str, str] = {}
        for radio in self.query(RadioSet):
            pressed = radio.pressed_button
            if pressed is not None and pressed.id:
                name, _, value = pressed.id.partition("--")
                if value:
                    out[name] = value
        return out

    @property
    def changed(self) -> bool:
        return self.vocabulary is not None and self.chosen() != self.saved

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "settings-save": self.action_save,
            "settings-back": self.action_leave,
            "settings-forget": self.action_forget_me,
        }
        actions[event.button.id or "settings-back"]()

    def action_save(self) -> None:
        if self.vocabulary is None:
            return
        self._status("Saving…")
        self._save(self.chosen(), self.vocabulary)

    @work(thread=True, exclusive=True, group="settings")
    def _save(self, facts: dict[str, str], vocabulary: Vocabulary) -> None:
        from sharewise.domain.errors import SharewiseError
        from sharewise.domain.settings import save_settings
        from sharewise.profile import data_folder

        try:
            save_settings(data_folder(sw_app(self).data_dir), facts, vocabulary)
        except SharewiseError as exc:
            self.app.call_from_thread(self._status, "Nothing was saved.\n" + exc.render(), True)
            return
        except OSError as exc:
            self.app.call_from_thread(self._status, f"Nothing was saved: {exc}", True)
            return
        self.app.call_from_thread(self._saved, facts)

    def _saved(self, facts: dict[str, str]) -> None:
        from sharewise.tui.words import settled_names

        self.saved = dict(facts)
        sw_app(self).settings_saved(facts)
        self.query_one("#settings-error", Static).update("")
        if facts:
            words = f"Saved. Settled for every case: {settled_names(facts)}."
        else:
            words = "Saved. Every question will be asked in every case."
        self._status(words + " Decisions started from now on use these.")
        self.notify(words, title="Settings")

    def _status(self, message: str, error: bool = False) -> None:
        status = self.query_one("#settings-status", Static)
        status.update(Text(message))
        status.set_class(error, "-error")

    def action_forget_me(self) -> None:
        sw_app(self).action_forget_me()

    def action_leave(self) -> None:
        if not self.changed:
            self.dismiss()
            return

        def decided(leave: bool | None) -> None:
            if leave:
                self.dismiss()

        self.app.push_screen(
            ConfirmScreen(
                "Leave without saving? The changes to your settings will be lost.",
                yes="Leave",
                no="Stay",
            ),
            decided,
        )

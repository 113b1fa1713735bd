"""A labelled form field that explains itself: hint, error and a "names a person" warning."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static, TextArea

from sharewise.domain.person_names import name_warning


def enter_moves_on(screen: Screen[Any]) -> None:
    """Enter in a form: next field from an input or switch, press a focused button.

    Bound with priority on the form screens, so focus moves while the key is dispatched:
    handled later (Input.Submitted), the keys typed right after Enter would still land in the
    old field when someone types fast or a terminal sends a burst.
    """
    focused = screen.focused
    if isinstance(focused, Button):
        focused.press()
    else:
        screen.focus_next()


def suggestion_note(source: str, how: str = "type to change it") -> Text:
    """The mark on a value the form filled in from the walk: where from, and that it is theirs
    to check. Worded as a suggestion so nobody mistakes it for something already recorded."""
    return Text.assemble(("SUGGESTED", "bold reverse"), f" from {source}. Check it; {how}.")


class FieldArea(TextArea):
    """A multi-line field's area, which behaves on arrival as a one-line field does: its text
    selected, so typing replaces a suggestion and Enter keeps it; a sentence to finish (the
    reasons' skeleton) instead gets the cursor at its end.

    Done in the area's own focus handler, which runs before any key that follows the focus
    (they queue behind it): done by the field around it (a DescendantFocus, on another
    queue), keys typed right after Enter could arrive first, and the first of them be
    selected and typed over ("Disclosure" stored as "isclosure", seen in a browser).
    """

    select_on_focus = True

    def on_focus(self) -> None:
        if self.select_on_focus:
            self.select_all()
        else:
            self.move_cursor(self.document.end)


class TextField(Vertical):
    """Free text with its label, a hint, and room for an error and a warning.

    `multiline` fields (what was shared, the reasons) are areas that wrap, so a sentence
    stays in sight as it is typed; Enter still moves to the next field, as in every field
    of the form, and pasted text keeps its line breaks.
    """

    DEFAULT_CLASSES = "field"

    def __init__(
        self,
        key: str,
        label: str,
        hint: str = "",
        *,
        required: bool = False,
        value: str = "",
        placeholder: str = "",
        check_names: bool = True,
        suggested_from: str = "",
        select_on_focus: bool = True,
        multiline: bool = False,
    ) -> None:
        super().__init__(id=f"field-{key.replace('.', '-')}")
        self.key = key
        self.label = label
        self.hint = hint
        self.required = required
        self.initial = value
        self.placeholder = placeholder
        self.check_names = check_names
        #: Where a suggested value came from (the walk's answers); "" if the value is not one.
        self.suggested_from = suggested_from if value else ""
        self.select_on_focus = select_on_focus
        self.multiline = multiline

    def compose(self) -> ComposeResult:
        mark = " *" if self.required else ""
        with Horizontal(classes="field-row"):
            yield Label(Text(self.label + mark), classes="field-label")
            if self.multiline:
                area = FieldArea(
                    self.initial,
                    id=f"in-{self.id}",
                    soft_wrap=True,
                    tab_behavior="focus",
                    placeholder=self.placeholder,
                )
                area.select_on_focus = self.select_on_focus
                yield area
            else:
                yield Input(
                    value=self.initial,
                    placeholder=self.placeholder,
                    id=f"in-{self.id}",
                    select_on_focus=self.select_on_focus,
                )
        if self.suggested_from:
            how = "type to change it" if self.select_on_focus else "finish the sentence"
            yield Static(suggestion_note(self.suggested_from, how), classes="suggestion")
            self.add_class("-suggested")
        if self.hint:
            yield Static(Text(self.hint), classes="hint")
        # No error or warning line until one has something to say: two empty lines per field
        # were thirty of the record form's widgets, each styled and laid out on every opening.

    @property
    def input(self) -> Input | TextArea:
        """The widget typed into: an Input, or for a multi-line field a TextArea."""
        return self.query_one(TextArea) if self.multiline else self.query_one(Input)

    @property
    def text(self) -> str:
        """What is typed, as typed."""
        box = self.input
        return box.text if isinstance(box, TextArea) else box.value

    @text.setter
    def text(self, value: str) -> None:
        box = self.input
        if isinstance(box, TextArea):
            box.text = value
        else:
            box.value = value

    @property
    def value(self) -> str:
        return self.text.strip()

    def _note(self, kind: str, message: str) -> None:
        """Show (or with "" hide) the field's error or warning line, made when first needed.

        The error line goes above any warning line, as the two were laid out before.
        """
        found = self.query(f".{kind}").results(Static)
        note = next(found, None)
        if note is None:
            if not message:
                return
            note = Static(Text(message), classes=kind)
            warning = next(self.query(".warning").results(Static), None)
            if kind == "error" and warning is not None:
                self.mount(note, before=warning)
            else:
                self.mount(note)
        else:
            note.update(Text(message))
        note.display = bool(message)

    def _said(self, kind: str) -> str:
        note = next(self.query(f".{kind}").results(Static), None)
        return str(note.render()) if note is not None and note.display else ""

    def show_error(self, message: str) -> None:
        """Show (or with "" clear) what is wrong and how to fix it, right under the field."""
        self._note("error", message)
        self.set_class(bool(message), "-invalid")

    @property
    def error(self) -> str:
        return self._said("error")

    @property
    def is_suggestion(self) -> bool:
        """Still showing the suggested value, untouched."""
        return bool(self.suggested_from) and self.text == self.initial

    def on_input_changed(self, event: Input.Changed) -> None:
        self._changed(event.value)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._changed(event.text_area.text)

    def _changed(self, value: str) -> None:
        if self.suggested_from:
            # Typed over, the value is the person's own: the SUGGESTED label goes (and
            # comes back only if they put the suggestion back exactly).
            untouched = value == self.initial
            self.set_class(untouched, "-suggested")
            self.query_one(".suggestion", Static).display = untouched
        if self.check_names:
            warning = name_warning(value)
            if warning != self.warning:  # updating a Static lays the whole form out again
                self._note("warning", warning)
                self.set_class(bool(warning), "-warned")
        if self.has_class("-invalid") and value.strip():
            self.show_error("")

    @property
    def warning(self) -> str:
        return self._said("warning")

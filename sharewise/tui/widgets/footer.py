"""The footer every screen uses: the keys that matter most stay in sight at 80 columns.

Textual's footer lays the keys out in a row and cuts off whatever passes the right edge: at
80 columns the Records screen, the outcome and the record form lost "^q Quit" and "f1 Help".
This one keeps the order the screen gives, but when the row does not fit it leaves out, in
turn, the command palette's key (ctrl+p still works), then the screen's own least important
keys (its last), never the essential ones: F2 (danger now), Escape (back), F1 (help, which
lists every key) and ctrl+q (quit). At a width where everything fits it is Textual's footer.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Never left out, whatever the width (in the order they are given up if even they do
#: not fit: the last first).
ESSENTIAL = ("f2", "escape", "f1", "ctrl+q")


@dataclass(frozen=True, slots=True)
class Key:
    """One key as the footer shows it."""

    binding: Binding
    display: str
    enabled: bool
    tooltip: str

    @property
    def width(self) -> int:
        """Cells taken in the compact style (app.tcss): key, space, words, one space after."""
        return len(self.display) + 1 + len(self.binding.description) + 1


def fit(keys: list[Key], width: int) -> list[Key]:
    """The keys to show in `width` cells, in their order: the screen's own are dropped from
    the last; an essential one only if the essential ones alone do not fit."""
    shown = list(keys)
    while sum(k.width for k in shown) > width:
        optional = [k for k in shown if k.binding.key not in ESSENTIAL]
        if optional:
            shown.remove(optional[-1])
            continue
        rank = {key: i for i, key in enumerate(ESSENTIAL)}
        shown.remove(max(shown, key=lambda k: rank.get(k.binding.key, -1)))
    return shown


class KeysFooter(Footer):
    """`Footer`, fitted to the width so the essential keys are never cut off."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._fitted_width = 0
        #: What was last composed: a focus change that leaves it as it is (moving between
        #: a form's fields) does not compose the footer again. Textual's footer does, and
        #: on a form of a hundred widgets each move between fields paid for laying out the
        #: whole screen again.
        self._shown: tuple[object, ...] | None = None

    def _plan(self) -> tuple[list[Key], Key | None, int]:
        """The keys to show, the palette's key (None: left out) and the width fitted to."""
        active = self.screen.active_bindings
        first: dict[str, Key] = {}
        for _namespace, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in first:
                display = self.app.get_key_display(binding)
                first[binding.action] = Key(binding, display, enabled, tooltip)
        keys = list(first.values())
        width = self.size.width or self.app.size.width
        palette = self._palette(active)
        palette_width = palette.width + 1 if palette is not None else 0  # and its border
        if sum(k.width for k in keys) + palette_width <= width:
            return keys, palette, width
        return fit(keys, width), None, width

    @staticmethod
    def _signature(shown: list[Key], palette: Key | None, width: int) -> tuple[object, ...]:
        return (
            width,
            tuple(
                (k.binding.key, k.binding.action, k.display, k.binding.description, k.enabled,
                 k.tooltip)
                for k in [*shown, *([palette] if palette else [])]
            ),
        )  # fmt: skip

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        shown, palette, width = self._plan()
        self._fitted_width = width
        self._shown = self._signature(shown, palette, width)
        for k in shown:
            yield FooterKey(
                k.binding.key,
                k.display,
                k.binding.description,
                k.binding.action,
                disabled=not k.enabled,
                tooltip=k.tooltip,
            ).data_bind(compact=Footer.compact)
        if palette is not None:
            yield FooterKey(
                palette.binding.key,
                palette.display,
                palette.binding.description,
                palette.binding.action,
                classes="-command-palette",
                disabled=not palette.enabled,
                tooltip=palette.binding.tooltip or palette.binding.description,
            )

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Compose again only when what the footer would show has changed."""
        unchanged = self._bindings_ready and self.is_attached and screen is self.screen
        if unchanged and self._signature(*self._plan()) == self._shown:
            return
        super().bindings_changed(screen)

    def _palette(self, active: dict[str, ActiveBinding]) -> Key | None:
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return None
        found = active.get(self.app.COMMAND_PALETTE_BINDING)
        if found is None:
            return None
        _node, binding, enabled, _tooltip = found
        return Key(binding, self.app.get_key_display(binding), enabled, binding.tooltip)

    def on_resize(self, event: Resize) -> None:
        """Fit again when the terminal's width changes."""
        if event.size.width != self._fitted_width and self._bindings_ready:
            self.call_after_refresh(self.recompose)

"""A screen's width class (`-narrow`, `-wide`) set before its widgets are styled.

Textual sets a screen's breakpoint class when the screen first gets its size, after its
widgets have been mounted and styled: the class change then styles every widget again. On
the record form (about 120 widgets) that second pass was most of a second on a loaded
machine, and the walk and emergency screens paid it on every push. Set here, from the
app's size, the class is already right when the first resize comes, so nothing changes.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def preset_width_class(screen: Screen[Any]) -> None:
    """Add the horizontal breakpoint class the screen will have at the app's current width."""
    breakpoints = screen.HORIZONTAL_BREAKPOINTS
    if not breakpoints:
        return
    try:
        width = screen.app.size.width
    except RuntimeError:  # Textual's NoActiveAppError: no app running (built in a unit test)
        return
    for edge, name in sorted(breakpoints, reverse=True):
        if width >= edge:
            screen.add_class(name, update=False)
            return

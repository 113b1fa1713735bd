"""Starting a walk and raising an emergency: the two journeys that begin from anywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sharewise.tui.app import SharewiseApp


def tree_or_say(app: SharewiseApp, *, pending: bool = True) -> bool:
    """Whether the tree is ready; if not, tell the person why instead of doing nothing.

    With `pending`, the walk opens by itself once the tree is ready; without, they are told
    to press again (an exercise should not start behind their back).
    """
    if app.decision_tree is not None:
        return True
    if app.tree_error:
        app.notify(app.tree_error, title="The decision tree could not be loaded", severity="error")
    elif pending:
        # Don't make them press again: the walk opens as soon as the tree is ready.
        app.walk_pending = True
        app.notify("Loading the decision tree: the first question opens in a moment.")
    else:
        app.notify("Loading the decision tree: press again in a moment.")
    return False


def start_walk(app: SharewiseApp) -> None:
    from sharewise.domain.walk import Walk
    from sharewise.tui.screens.walk import WalkScreen

    if tree_or_say(app):
        assert app.decision_tree is not None
        # A real case: the settled answers apply (training never uses them).
        app.push_screen(WalkScreen(Walk(app.decision_tree, preset=app.settings)))


def in_training(app: SharewiseApp) -> bool:
    """Whether the person is in a training exercise (any training screen is open)."""
    return any(getattr(s, "in_training", False) for s in app.screen_stack)


def emergency(app: SharewiseApp) -> None:
    """Act-now advice and a short record form, from any screen (the F2 key).

    In training it still opens (a real emergency can happen during a class), and says that
    the person was in an exercise, so a practice press is not mistaken for a real record.
    """
    from sharewise.tui.screens.emergency import EmergencyScreen

    if isinstance(app.screen, EmergencyScreen):
        return
    app.push_screen(EmergencyScreen(from_training=in_training(app)))

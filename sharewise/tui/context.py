"""Typed access from a widget to what the app holds (tree, store, session details)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from sharewise.tui.app import SharewiseApp


def sw_app(node: DOMNode) -> SharewiseApp:
    """The running app as a `SharewiseApp`; screens are always mounted in one (or a test host
    that provides the same attributes)."""
    return cast("SharewiseApp", node.app)

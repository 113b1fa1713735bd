"""The law behind an outcome or still in play: each citation's title, plain gist and link."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from sharewise.domain.nodes import Citations


def citation_text(cids: Iterable[str], registry: Citations, *, gist: bool = True) -> Text:
    """Citations as rich text: the link is a terminal hyperlink where the terminal allows."""
    out = Text()
    for cid in cids:
        c = registry.get(cid)
        if c is None:
            out.append(f"• {cid}\n")
            continue
        out.append("• ")
        out.append(c.title, style="bold")
        out.append(f"  [{cid}]\n", style="dim")
        if gist:
            out.append(f"  {c.gist}\n")
            out.append(f"  {c.url}\n", style=Style(link=c.url, underline=True))
    return out


class LawPanel(Static):
    """A block of citations; registry text is ours, but still rendered as text, not markup."""

    def show(self, cids: Iterable[str], registry: Citations, *, gist: bool = True) -> None:
        self.update(citation_text(cids, registry, gist=gist))

"""Charts of counts, drawn the same way for a report (SVG) and for the terminal (plotext).

Both kinds are bar charts of `(label, count)` pairs, with every bar's count written beside
it and its label in words, so a chart reads the same in print, in the high-contrast theme
and without colour: the colour only repeats what the words say. The trainer's report uses
these too, so nothing here knows about the ledger.

SVG comes from pygal, cleaned for a self-contained page under a strict Content Security
Policy: pygal's configuration script, its comments (which date the file) and its random
element ids are removed or replaced, so the same figures give the same bytes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, Protocol

#: One bar: what it counts (in words) and how many.
Bar = tuple[str, int]

#: The longest bar label an SVG chart shows, in characters (then "…").
LABEL_ROOM = 38

#: Dark bars on white, one hue: legible printed in black and white.
INK = "#1d3557"

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _ticks(top: int) -> list[int]:
    """Whole-number axis marks from 0 to at least `top` (counts have no fractions)."""
    if top <= 0:
        return [0, 1]
    step = max(1, 10 ** int(math.log10(top)) if top >= 10 else 1)
    while top / step > 8:
        step *= 2
    return list(range(0, top + step, step))


def svg_bars(title: str, bars: Sequence[Bar], *, chart_id: str, width: int = 720) -> str:
    """A horizontal bar chart as an inline `<svg>` element (no XML declaration, no script,
    no external reference), with `chart_id` as its element id.

    `title` is also the chart's accessible name. Labels are shown as given (pygal escapes
    them), so pass words, not ids. An empty `bars` gives a chart that says "no records".
    """
    import pygal  # imported here: a report pays for it, the rest of the program does not
    from pygal.style import Style

    style = Style(
        background="white",
        plot_background="white",
        foreground="#111111",
        foreground_strong="#111111",
        foreground_subtle="#555555",
        colors=(INK,),
        font_family="system-ui, sans-serif",
        value_font_size=13,
        label_font_size=13,
        major_label_font_size=13,
        title_font_size=16,
        no_data_font_size=16,
    )
    rows = list(reversed(bars))  # pygal draws the first bar at the bottom
    top = max((n for _, n in rows), default=0)
    chart = pygal.HorizontalBar(
        style=style,
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        print_values=True,
        print_values_position="top",
        width=width,
        height=90 + 30 * max(len(rows), 1),
        # pygal leaves room for the labels itself; long ones are cut (the table beside the
        # chart has them in full).
        truncate_label=LABEL_ROOM,
        no_data_text="No records",
        show_y_guides=True,
        show_x_guides=False,
        title=title,
    )
    chart.x_labels = [label for label, _ in rows]
    if rows:
        chart.config.y_labels = _ticks(top)
        chart.add("records", [n for _, n in rows])
    svg = str(chart.render(is_unicode=True))
    svg = _SCRIPT.sub("", _COMMENT.sub("", svg))
    ident = re.search(r'id="(chart-[0-9a-f-]+)"', svg)
    if ident is not None:
        svg = svg.replace(ident.group(1), chart_id)
    # Readers are told what the chart shows, in words (the counts are in the table too).
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(title)}" ', 1)


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


class Plot(Protocol):
    """The part of plotext's module-like API a terminal chart uses (`PlotextPlot.plt`)."""

    def clear_figure(self) -> None: ...
    def bar(self, *args: Any, **kwargs: Any) -> None: ...
    def title(self, label: str) -> None: ...
    def xticks(self, ticks: Any = ..., labels: Any = ...) -> None: ...
    def yticks(self, ticks: Any = ..., labels: Any = ...) -> None: ...
    def text(self, label: str, x: float, y: float, /) -> None: ...


def short(label: str, room: int = 28) -> str:
    """A label cut to `room` cells with an ellipsis: a terminal chart's axis is narrow."""
    return label if len(label) <= room else label[: room - 1] + "…"


def terminal_bars(plt: Plot, title: str, bars: Sequence[Bar], *, room: int = 28) -> None:
    """Draw a horizontal bar chart on a plotext figure (a `PlotextPlot`'s `plt`).

    Bars are solid blocks and each is labelled with its words on the axis and its count at
    its end, so the chart needs no colour to be read; the caller's theme colours it.
    """
    plt.clear_figure()
    plt.title(title)
    if not bars:
        plt.text("No records", 0, 0)
        return
    labels = [f"{short(label, room)} ({n:,})" for label, n in bars]
    positions = list(range(len(bars), 0, -1))  # the first bar at the top
    plt.bar(positions, [n for _, n in bars], orientation="horizontal", marker="sd", width=0.6)
    plt.yticks(positions, labels)
    top = max(n for _, n in bars)
    marks = _ticks(top)
    plt.xticks(marks, [f"{m:,}" for m in marks])

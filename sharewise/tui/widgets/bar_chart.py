"""Bar charts of counts for the IG lead's dashboard: textual-plotext's widget, put on
screen after the figures, drawn only when in view, and once per picture.

Three costs kept off the dashboard's first paint (its goal: figures shown within 0.5 s):

- importing plotext and textual-plotext (0.05 to 0.3 s, paid by the first chart of a
  session): each chart's place is kept by a `ChartSlot`, its height reserved so nothing
  moves, and the chart is put in it once the screen calls `draw`, which the dashboard does
  just after the frame that shows its tables;
- building a picture (20 to 30 ms a chart, more on a busy machine): `PlotextPlot` asks
  plotext to build the chart again every time Textual renders it (each layout change, focus
  move or refresh); `BarChart` keeps the picture it built for its bars, size and theme, so
  a chart is built when it comes into view (off screen, never) and again only when one of
  those changes: a filter that leaves its bars as they were builds nothing;
- new bars after a filter are drawn at the next `draw` too: until then the chart says it
  is being drawn, rather than show bars that no longer match the table above it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import RenderResult
from textual.widget import Widget

from sharewise.reports.charts import Bar

if TYPE_CHECKING:
    from textual_plotext import PlotextPlot

#: What a chart's place shows between new bars and their drawing (a moment).
DRAWING = "Drawing the chart…"


class ChartSlot(Widget):
    """The place of one chart: its height kept from the first paint, the chart (a
    `BarChart`) mounted in it by the first `draw`."""

    DEFAULT_CSS = """
    ChartSlot { height: 4; }
    ChartSlot > BarChart { width: 1fr; height: 1fr; }
    """

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.title = ""
        self.bars: tuple[Bar, ...] = ()
        self.chart: Any = None  # a BarChart once drawn

    def show(self, title: str, bars: Sequence[Bar]) -> None:
        """Chart these bars, once `draw` is called (nothing to do if they are the same)."""
        bars = tuple(bars)
        if (title, bars) == (self.title, self.bars) and self.chart is not None:
            return
        self.title, self.bars = title, bars
        self.styles.height = 4 + 2 * len(bars)
        if self.chart is not None:
            self.chart.show(title, bars)

    async def draw(self) -> None:
        """Draw the bars last shown (when in view); the first time, put the chart here."""
        if self.chart is None:
            self.chart = _new_chart()
            self.chart.show(self.title, self.bars)
            self.chart.draw()
            await self.mount(self.chart)
        else:
            self.chart.draw()

    def render(self) -> RenderResult:
        return Text(DRAWING, style="dim")


def _new_chart() -> PlotextPlot:
    return _chart_class()()


@cache
def _chart_class() -> type[PlotextPlot]:
    """`BarChart`, made on first use: defining it imports textual-plotext."""
    from textual_plotext import PlotextPlot

    from sharewise.reports.charts import terminal_bars

    class BarChart(PlotextPlot):
        """Horizontal bars with their words and counts (`charts.terminal_bars`), built
        once per bars, size and theme."""

        def __init__(self) -> None:
            super().__init__()
            self._bars: tuple[str, tuple[Bar, ...]] = ("", ())
            #: New bars not yet to be drawn (see `draw`).
            self.waiting = False
            self._drawn: tuple[object, ...] | None = None
            self._picture = Text()

        def show(self, title: str, bars: tuple[Bar, ...]) -> None:
            if (title, bars) != self._bars:
                self._bars = (title, bars)
                self.waiting = True
                self.refresh()

        def draw(self) -> None:
            if self.waiting:
                self.waiting = False
                self.refresh()

        def render(self) -> RenderResult:
            if self.waiting:
                return Text(DRAWING, style="dim")
            key = (self._bars, self.size, self.app.theme, self.theme)
            if key != self._drawn:
                terminal_bars(self.plt, *self._bars)
                self._picture = super().render()  # type: ignore[assignment]
                self._drawn = key
            return self._picture

    return BarChart

"""The dashboard's own widgets: `FigureTable` (a table drawn line by line, text never read
as markup, a cursor that reads without colour) and `ChartSlot` (a chart's place kept until
it is drawn, after the figures)."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult

from sharewise.tui.widgets.bar_chart import DRAWING, ChartSlot
from sharewise.tui.widgets.figure_table import MARK, FigureTable


class TableApp(App[None]):
    AUTO_FOCUS = None
    CSS = "FigureTable { max-width: 30; }"  # as the dashboard's (110) on a narrow screen

    def __init__(self, cells: bool = False) -> None:
        super().__init__()
        self.cells = cells
        self.chosen: list[tuple[int, int]] = []

    def compose(self) -> ComposeResult:
        yield FigureTable("Where practitioners struggle", cells=self.cells, id="t")

    def on_figure_table_selected(self, event: FigureTable.Selected) -> None:
        self.chosen.append((event.row, event.column))


def lines(table: FigureTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


async def test_cells_are_text_never_markup_nor_control_characters() -> None:
    app = TableApp()
    async with app.run_test(size=(30, 10)) as pilot:
        table = app.query_one(FigureTable)
        table.set_rows(("Team", "Records"), [("[b]North[/b] [red]", "12"), ("Esc\x1b[31mape", "3")])
        await pilot.pause()
        shown = lines(table)
        assert shown[0].startswith("Where practitioners struggle")
        assert "[b]North[/b] [red]" in shown[2] and shown[2].rstrip().endswith("12")
        assert "\x1b" not in shown[3] and "Esc" in shown[3]
        assert table.size.height == 4  # title, headings, two rows


async def test_rows_are_chosen_by_keys_and_by_a_click() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(FigureTable)
        table.set_rows(("Decision", "Records"), [("Share", "5"), ("Do not share", "2")])
        await pilot.pause()
        assert MARK not in "".join(lines(table))  # no cursor until the table has the focus
        table.focus()
        await pilot.press("down", "enter")
        assert app.chosen == [(1, 0)]
        assert lines(table)[3].startswith(MARK)  # the cursor reads without colour
        await pilot.press("up", "up", "enter")
        assert app.chosen[-1] == (0, 0)
        await pilot.click(FigureTable, offset=(3, 3))  # the second row
        assert app.chosen[-1] == (1, 0)


async def test_a_table_of_cells_moves_over_cells() -> None:
    app = TableApp(cells=True)
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(FigureTable)
        table.set_rows(
            ("Question", "Not sure", "Revisited", "Changed"),
            [("q1", "1", "2", "3"), ("q2", "4", "5", "6")],
        )
        table.focus()
        await pilot.press("right", "right", "down", "enter")
        assert app.chosen == [(1, 2)]
        await pilot.press("right", "right", "right", "enter")  # stops at the last column
        assert app.chosen[-1] == (1, 3)
        table.move_cursor(row=0, column=1)
        await pilot.press("enter")
        assert app.chosen[-1] == (0, 1)


async def test_a_long_label_is_cut_to_the_width_not_the_counts() -> None:
    app = TableApp()
    async with app.run_test(size=(30, 6)) as pilot:
        table = app.query_one(FigureTable)
        table.set_rows(("Citation", "Records"), [("x" * 80, "1,234")])
        await pilot.pause()
        row = lines(table)[2]
        assert len(row) == 30 and "…" in row and row.rstrip().endswith("1,234")


class ChartApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ChartSlot()


async def test_a_chart_is_drawn_only_when_asked_and_keeps_its_picture() -> None:
    app = ChartApp()
    async with app.run_test(size=(80, 20)) as pilot:
        slot = app.query_one(ChartSlot)
        slot.show("By decision", [("Share", 5), ("Do not share", 2)])
        await pilot.pause()
        assert slot.chart is None and slot.size.height == 8  # its place kept
        assert DRAWING in str(slot.render())
        await slot.draw()
        await pilot.pause()
        chart: Any = slot.chart
        assert chart is not None and not chart.waiting
        picture = chart.render()
        assert "Share (5)" in picture.plain and "Do not share (2)" in picture.plain
        assert chart.render() is picture  # not built again for the same bars and size
        slot.show("By decision", [("Share", 5), ("Do not share", 2)])
        assert not chart.waiting  # the same bars: nothing to draw again
        slot.show("By decision", [("Share", 6)])
        assert chart.waiting and DRAWING in str(chart.render())  # never the old bars
        await slot.draw()
        await pilot.pause()
        assert "Share (6)" in chart.render().plain

"""A small table of figures for the IG lead's dashboard, drawn line by line.

Why not Textual's `DataTable`: the dashboard shows a dozen tables of a few rows each, and a
`DataTable` renders every cell through Rich (padding, wrapping, markup) and carries a
scrolling view's machinery; at first paint the dashboard's tables alone took longer than
its whole goal (0.5 s). Here each line is one `Strip` built from the cells' text, the
columns measured once when the rows are set.

Cells are plain text, never markup: a team's name as recorded is shown as typed, and any
control character is neutralised (`safe_line`). The cursor is a row (or a cell, for tables
whose cells open different records); Enter or a click on a row or cell posts `Selected`.
The cursor is marked by a `▶` as well as by colour, so it reads without colour (NO_COLOR)
and in the high-contrast theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color, ColorParseError
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from sharewise.domain.safe_text import safe_line

#: Cells between columns, and the mark of the cursor (in the space before its cell).
GAP = 2
MARK = "▶"


#: (theme, the widget's own style) -> its styles (see `FigureTable._styles`).
_STYLES: dict[tuple[str, Style], tuple[Style, Style, Style, Style]] = {}


def _colour(spec: str | None, under: Color) -> Color | None:
    """A theme variable's colour ("#rrggbb", or "auto 87%": text that reads on `under`)."""
    if not spec:
        return None
    try:
        if spec.startswith("auto"):
            alpha = spec.removeprefix("auto").strip().rstrip("%")
            return under.get_contrast_text(float(alpha) / 100 if alpha else 1.0)
        return Color.parse(spec)
    except (ValueError, ColorParseError):
        return None


def _theme_styles(theme: dict[str, str], base: Style) -> tuple[Style, Style, Style, Style]:
    """The title in the theme's secondary colour and bold (as the screens' section titles),
    column headings bold, the cursor in the theme's block cursor (bold, and reversed if the
    theme does not say)."""
    back = Color.from_rich_color(base.bgcolor) if base.bgcolor else Color(0, 0, 0)
    secondary = _colour(theme.get("secondary"), back)
    title = base + Style(bold=True, color=secondary.rich_color if secondary else None)
    heading = base + Style(bold=True)
    cursor_back = _colour(theme.get("block-cursor-background"), back)
    if cursor_back is None:
        return base, title, heading, base + Style(bold=True, reverse=True)
    cursor_fore = _colour(theme.get("block-cursor-foreground") or "auto 87%", cursor_back)
    look = theme.get("block-cursor-text-style", "bold")
    cursor = base + Style(
        color=cursor_fore.rich_color if cursor_fore else None,
        bgcolor=cursor_back.rich_color,
        bold="bold" in look,
        italic="italic" in look,
        underline="underline" in look,
        reverse="reverse" in look,
    )
    return base, title, heading, cursor


class FigureTable(Widget, can_focus=True):
    """Columns of text with a header line; the first column left-aligned, the others (the
    counts) right-aligned."""

    DEFAULT_CSS = """
    FigureTable { width: auto; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open records", show=False),
        Binding("up", "move(-1, 0)", show=False),
        Binding("down", "move(1, 0)", show=False),
        Binding("left", "move(0, -1)", show=False),
        Binding("right", "move(0, 1)", show=False),
        Binding("home", "move(-1000000, 0)", show=False),
        Binding("end", "move(1000000, 0)", show=False),
    ]

    class Selected(Message):
        """A row (or, for a table of cells, a cell) was chosen: Enter or a click."""

        def __init__(self, table: FigureTable, row: int, column: int) -> None:
            super().__init__()
            self.table = table
            self.row = row
            self.column = column

        @property
        def control(self) -> FigureTable:
            return self.table

    def __init__(
        self,
        title: str = "",
        *,
        cells: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        #: The heading above the table (its own line; none if empty).
        self.title = safe_line(title)
        #: True: the cursor moves over cells (each opens its own records); else over rows.
        self.cells = cells
        self.columns: list[str] = []
        self.rows: list[list[str]] = []
        self.cursor_row = 0
        self.cursor_column = 0
        self._widths: list[int] = []

    # -- contents ----------------------------------------------------------------------

    def set_rows(
        self, columns: Sequence[str], rows: Sequence[Sequence[str]], *, title: str | None = None
    ) -> None:
        """Show these rows under these column headings (the cursor kept where it can be),
        and this title if one is given."""
        if title is not None:
            self.title = safe_line(title)
        self.columns = [safe_line(c) for c in columns]
        self.rows = [[safe_line(str(c)) for c in row] for row in rows]
        widths = [cell_len(c) for c in self.columns]
        for row in self.rows:
            for i, cell in enumerate(row):
                widths[i] = max(widths[i], cell_len(cell))
        resized = widths != self._widths or self.size.width < cell_len(self.title)
        self._widths = widths
        self.cursor_row = max(0, min(self.cursor_row, len(self.rows) - 1))
        self.cursor_column = self._column(self.cursor_column)
        self.refresh(layout=resized or self.size.height != self._height())

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def get_row_at(self, index: int) -> list[str]:
        return list(self.rows[index])

    def move_cursor(self, *, row: int | None = None, column: int | None = None) -> None:
        if row is not None:
            self.cursor_row = max(0, min(row, len(self.rows) - 1))
        if column is not None:
            self.cursor_column = self._column(column)
        self.refresh()

    def _column(self, column: int) -> int:
        if not self.cells:
            return 0
        return max(0, min(column, len(self.columns) - 1))

    # -- size --------------------------------------------------------------------------

    @property
    def _top(self) -> int:
        """Lines above the first row: the title (if any) and the column headings."""
        return 2 if self.title else 1

    def _height(self) -> int:
        return self._top + len(self.rows)

    def _natural_width(self) -> int:
        # each cell has a cell's room before it for the cursor's mark, and a gap after
        return sum(w + GAP for w in self._widths)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max(self._natural_width(), cell_len(self.title))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._height()

    def _fitted(self, width: int) -> list[int]:
        """Column widths for `width` cells: the first (the words) gives up room first."""
        widths = list(self._widths)
        over = self._natural_width() - width
        if over > 0 and widths:
            widths[0] = max(1, widths[0] - over)
        return widths

    # -- drawing -----------------------------------------------------------------------

    def _styles(self) -> tuple[Style, Style, Style, Style]:
        """The plain, title, heading and cursor styles, from the theme. Worked out here,
        not as component classes: Textual styles each component class of each widget when
        it is mounted, and the dashboard mounts a dozen tables at once."""
        base = self.rich_style
        key = (self.app.theme, base)
        found = _STYLES.get(key)
        if found is None:
            found = _STYLES[key] = _theme_styles(self.app.theme_variables, base)
        return found

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base, title, heading, cursor = self._styles()
        if self.title and y == 0:
            line = self.title
            if cell_len(line) > width:
                line = set_cell_size(line, max(0, width - 1)) + "…"
            return Strip([Segment(line, title)]).adjust_cell_length(width, base)
        y -= self._top - 1
        if not 0 <= y <= len(self.rows) or not self._widths:
            return Strip.blank(width, base)
        widths = self._fitted(width)
        if y == 0:
            return self._strip(self.columns, widths, heading, heading, None, width)
        row = y - 1
        cells = self.rows[row]
        # the cursor is shown while the table has the focus (Tab or a click gives it)
        at = self.cursor_column if row == self.cursor_row and self.has_focus else None
        return self._strip(cells, widths, base, cursor, at, width)

    def _strip(
        self,
        cells: Sequence[str],
        widths: Sequence[int],
        style: Style,
        cursor_style: Style,
        cursor: int | None,
        width: int,
    ) -> Strip:
        segments: list[Segment] = []
        for i, (cell, room) in enumerate(zip(cells, widths, strict=False)):
            if cell_len(cell) > room:
                cell = set_cell_size(cell, max(0, room - 1)) + "…"
            text = set_cell_size(cell, room) if i == 0 else cell.rjust(room)
            here = cursor is not None and (i == cursor or not self.cells)
            lead = MARK if cursor is not None and i == cursor else " "
            if here:
                segments.append(Segment(lead + text + " ", cursor_style))
                segments.append(Segment(" " * (GAP - 2), style))
            else:
                segments.append(Segment(" " + text + " " * (GAP - 1), style))
        return Strip(segments).adjust_cell_length(width, style)

    # -- keys and the mouse ------------------------------------------------------------

    def action_move(self, rows: int, columns: int) -> None:
        self.move_cursor(row=self.cursor_row + rows, column=self.cursor_column + columns)
        # the cursor's line kept in view in the scrolling body (the table does not scroll)
        parent = self.parent
        if isinstance(parent, Widget) and parent.is_scrollable:
            line = self.virtual_region.y + self._top + self.cursor_row
            parent.scroll_to_region(Region(0, line, 1, 1), animate=False, immediate=True)

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self, self.cursor_row, self.cursor_column))

    def on_click(self, event: events.Click) -> None:
        row = event.y - self._top
        if not 0 <= row < len(self.rows):
            return
        column, left = 0, 0
        for i, room in enumerate(self._fitted(self.size.width)):
            if event.x >= left:
                column = i
            left += room + GAP
        self.move_cursor(row=row, column=column)
        event.stop()
        self.action_select()

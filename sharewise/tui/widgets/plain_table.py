"""A `DataTable` whose text cells are shown exactly as written.

Textual's `DataTable` reads a `str` cell as Rich markup: a case reference typed as
"CS-[2026]-7" lost its brackets, "[b]" turned the row bold, and one ending "[/]" raised a
markup error that closed the Records screen. People type the references, names and reasons
these tables show, so every text cell here becomes a `Text` (shown literally) on the way in.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class PlainTable(DataTable[Text]):
    """A table of plain text: no cell is ever read as markup."""

    def add_row(
        self,
        *cells: Any,
        height: int | None = 1,
        key: str | None = None,
        label: Any = None,
    ) -> RowKey:
        plain = [Text(c) if isinstance(c, str) else c for c in cells]
        return super().add_row(*plain, height=height, key=key, label=label)

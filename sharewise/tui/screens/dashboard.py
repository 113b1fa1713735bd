"""The IG lead's dashboard: the figures of a period, as charts and tables, each row opening
the records behind it; and, loudly, whether the ledger's hash chain is intact.

The figures are read in a worker: from the cache kept beside a SQLite ledger
(`figures_cache`), brought up to date from the entries filed since, or else into memory
(`figures.Held`); every filter then counts again from what was read, and fills the tables
and charts already on screen. The chain is verified in another worker after the figures
are shown, since it reads every entry in full: a broken chain turns the banner at the top
into a warning naming the entries affected, and the figures stay on screen beneath it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label, Select, Static

from sharewise.domain.errors import SharewiseError
from sharewise.domain.tree import Decision
from sharewise.reports import figures as F
from sharewise.reports.audit import Section, decision_label, filters_text, period_text, sections
from sharewise.tui.context import sw_app
from sharewise.tui.screens.records import parse_period
from sharewise.tui.widgets.footer import KeysFooter
from sharewise.tui.words import decision_words

if TYPE_CHECKING:
    from sharewise.domain.citations import Registry


def _nothing(_widget: object) -> None:
    """A part that never changes once mounted (a heading)."""


def _text(text: str) -> Callable[[Any], None]:
    def fill(widget: Any) -> None:
        widget.update(Text(text))

    return fill


#: Sections drawn as charts as well as tables (the others are tables only).
CHARTED = ("decision", "basis", "special", "criminal", "sharer", "review", "month")


def parse_scope(
    date_from: str,
    date_to: str,
    team: str,
    decision: str | None,
    emergency: str | None,
    reviewed: str | None,
) -> tuple[F.Scope | None, str]:
    """The filter bar as a scope, or None and what to fix, in plain words."""
    span, problem = parse_period(date_from, date_to)
    if span is None:
        return None, problem
    try:
        scope = F.Scope(
            span[0],
            span[1],
            team=team.strip() or None,
            decision=decision or None,
            emergency=None if emergency is None else emergency == "yes",
            reviewed=None if reviewed is None else reviewed == "yes",
        )
    except F.BadScope:
        return None, "From is after To: swap the two dates."
    return scope, ""


class DashboardScreen(Screen[None]):
    """Figures for a period and filters; Enter on a row opens the records it counts."""

    #: The figures first (f goes to the filters): focus in a filter box would take the
    #: first key pressed as text.
    AUTO_FOCUS = "#dashboard-body"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Home"),
        Binding("f", "focus_filters", "Filter"),
        Binding("g", "reload", "Read again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.held: F.Counted | None = None
        self.figures: F.Figures | None = None
        self.scope = F.Scope()
        #: The figure key of each table row, by table id and row key.
        self.keys: dict[str, dict[str, F.Key]] = {}
        self.registry: Registry | None = None
        #: The body's parts as mounted (their shapes, and the widgets), for a filter that
        #: only changes their contents.
        self._shapes: list[tuple[str, str]] = []
        self._mounted: list[Any] = []
        #: The chain's check has been started for what is shown (it runs after the first
        #: figures, so that reading every entry in full never delays them).
        self._verified = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="dashboard-filters"):
            yield Label("From", classes="filter-label")
            yield Input(placeholder="YYYY-MM-DD", id="dash-from")
            yield Label("To", classes="filter-label")
            yield Input(placeholder="YYYY-MM-DD", id="dash-to")
            yield Input(placeholder="team (organisation)", id="dash-team")
            yield Select(
                [*((decision_words(d), d.value) for d in Decision), ("No decision yet", "none")],
                prompt="Any decision",
                id="dash-decision",
            )
            yield Select(
                [("Emergency records only", "yes"), ("No emergency records", "no")],
                prompt="Emergency or not",
                id="dash-emergency",
            )
            yield Select(
                [("Reviewed", "yes"), ("Not reviewed", "no")],
                prompt="Reviewed or not",
                id="dash-reviewed",
            )
        yield Static("Checking the ledger's hash chain…", id="dashboard-chain")
        yield Static("Reading the records…", id="dashboard-status")
        yield VerticalScroll(id="dashboard-body")
        yield KeysFooter()

    def on_mount(self) -> None:
        tree = sw_app(self).decision_tree
        self.registry = tree.registry if tree is not None else None
        self._read()  # the chain is verified once the figures are shown (see `_show`)

    # -- reading -----------------------------------------------------------------------

    def action_reload(self) -> None:
        self._status("Reading the records…")
        self._verified = False
        self._read(fresh=True)

    @work(thread=True, exclusive=True, group="dashboard-read")
    def _read(self, fresh: bool = False) -> None:
        try:
            held = sw_app(self).store.held(fresh)
        except SharewiseError as exc:
            self.app.call_from_thread(self._status, "Could not read the records: " + exc.render())
            return
        self.app.call_from_thread(self._held, held)

    def _held(self, held: F.Counted) -> None:
        self.held = held
        self.call_later(self.apply_filters)

    @work(thread=True, exclusive=True, group="dashboard-verify")
    def _verify(self) -> None:
        try:
            breaks = sw_app(self).store.chain_breaks()
        except SharewiseError as exc:
            breaks = [(0, "the ledger could not be verified: " + exc.render())]
        self.app.call_from_thread(self._chain, breaks)

    def _chain(self, breaks: list[tuple[int, str]]) -> None:
        banner = self.query_one("#dashboard-chain", Static)
        banner.set_class(bool(breaks), "-error")
        if not breaks:
            banner.update("The ledger's hash chain is intact: no record has been changed.")
            return
        seqs = sorted({seq for seq, _ in breaks if seq})
        # The entries first: what was changed matters more than the guards removed to do it.
        breaks = sorted(breaks, key=lambda b: b[0] == 0)
        lines = [
            "!! WARNING: THE LEDGER'S HASH CHAIN IS BROKEN: records may have been changed or "
            "removed, and the figures below may not be true.",
            f"Entries affected: {', '.join(str(s) for s in seqs) or 'the ledger as a whole'}.",
            *(f"  {message}" for _, message in breaks[:5]),
        ]
        if len(breaks) > 5:
            lines.append(f"  … and {len(breaks) - 5} more (`sharewise records verify`).")
        lines.append("Restore the ledger from a backup, and tell your data protection officer.")
        banner.update(Text("\n".join(lines)))

    # -- filters -----------------------------------------------------------------------

    def action_focus_filters(self) -> None:
        self.query_one("#dash-from", Input).focus()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self.apply_filters()

    async def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        await self.apply_filters()

    def _choice(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else None

    async def apply_filters(self) -> None:
        scope, problem = parse_scope(
            self.query_one("#dash-from", Input).value,
            self.query_one("#dash-to", Input).value,
            self.query_one("#dash-team", Input).value,
            self._choice("#dash-decision"),
            self._choice("#dash-emergency"),
            self._choice("#dash-reviewed"),
        )
        status = self.query_one("#dashboard-status", Static)
        if scope is None:
            status.add_class("-error")
            self._status(problem)
            return
        status.remove_class("-error")
        if self.held is None:
            return  # the first read is on its way and applies the filters when it lands
        self.scope = scope
        self.figures = self.held.figures(scope)
        await self._show(self.figures)

    def _status(self, message: str) -> None:
        self.query_one("#dashboard-status", Static).update(Text(message))

    # -- showing -----------------------------------------------------------------------

    async def _show(self, figures: F.Figures) -> None:
        self._status(self._summary(figures))
        parts = self._parts(figures)
        shapes = [shape for shape, _ in parts]
        body = self.query_one("#dashboard-body", VerticalScroll)
        if not self._mounted:
            widgets = [self._new(shape, fill) for shape, fill in parts]
            await body.mount_all(widgets)
        else:
            widgets = await self._update(body, parts)
        self._shapes, self._mounted = shapes, widgets
        if not self._verified:
            self._verified = True
            self._verify()

    async def _update(
        self, body: VerticalScroll, parts: list[tuple[tuple[str, str], Callable[[Any], None]]]
    ) -> list[Any]:
        """The body brought to `parts`: a part of the same shape as one shown is filled
        again where it is; only parts that differ are removed or mounted. A filter mostly
        changes numbers, and mounting a few hundred widgets afresh (their styles worked out
        again) is what it used to wait for."""
        from difflib import SequenceMatcher

        shapes = [shape for shape, _ in parts]
        old = self._mounted
        widgets: list[Any] = []
        gone: list[Any] = []
        plan: list[tuple[list[Any], int]] = []  # (new widgets, where they went among `old`)
        matcher = SequenceMatcher(a=self._shapes, b=shapes, autojunk=False)
        for op, a0, a1, b0, b1 in matcher.get_opcodes():
            if op == "equal":
                for widget, (_shape, fill) in zip(old[a0:a1], parts[b0:b1], strict=True):
                    fill(widget)
                    widgets.append(widget)
                continue
            gone += old[a0:a1]
            made = [self._new(shape, fill) for shape, fill in parts[b0:b1]]
            widgets += made
            if made:
                plan.append((made, a1))
        if gone:
            await body.remove_children(gone)
        kept = {id(w) for w in widgets}
        for made, at in plan:
            # before the first widget after them that stays (at the end if none does)
            before = next((w for w in old[at:] if id(w) in kept), None)
            if before is None:
                await body.mount_all(made)
            else:
                await body.mount_all(made, before=before)
        return widgets

    @staticmethod
    def _summary(figures: F.Figures) -> str:
        filtered = filters_text(figures.scope)
        summary = f"{figures.total:,} record(s), {period_text(figures.scope)}"
        summary += f" ({filtered})." if filtered else "."
        summary += " Enter on a row opens the records behind it; f filters."
        if not figures.total:
            summary = (
                f"No records {period_text(figures.scope)}"
                + (f" ({filtered})" if filtered else "")
                + ". Change the period or the filters (f)."
            )
        return summary

    def _new(self, shape: tuple[str, str], update: Callable[[Any], None]) -> Any:
        """A widget of this shape (kind, id), filled by `update`."""
        kind, ident = shape
        widget: Any
        if kind == "table":
            widget = DataTable(id=ident, cursor_type="row", classes="dash-table")
        elif kind == "cells":
            widget = DataTable(id=ident, cursor_type="cell", classes="dash-table")
        elif kind == "chart":
            from textual_plotext import PlotextPlot

            widget = PlotextPlot(classes="dash-chart")
        elif kind == "label":
            widget = Label(ident, classes="section-title")
        else:
            widget = Static("", classes=kind, id=ident or None)
        update(widget)
        return widget

    def _parts(self, figures: F.Figures) -> list[tuple[tuple[str, str], Callable[[Any], None]]]:
        """What the body shows, in order: each part's shape, and how to fill it."""
        parts: list[tuple[tuple[str, str], Callable[[Any], None]]] = []
        if figures.unreadable:
            n = len(figures.unreadable)
            alarm = (
                f"!! {n} entr{'y' if n == 1 else 'ies'} could not be read and "
                f"{'is' if n == 1 else 'are'} not counted: "
                + ", ".join(str(s) for s in figures.unreadable)
            )
            parts.append((("dash-alarm", ""), _text(alarm)))
        for section in sections(figures, self.registry):
            parts.append((("label", section.title), _nothing))
            if not section.rows:
                parts.append((("dash-none", ""), _text("No records.")))
                continue
            if section.slug.split("-")[0] in CHARTED:
                parts.append((("chart", section.slug), partial(self._chart, section)))
            table = f"dash-table-{section.slug}"
            parts.append((("table", table), partial(self._table, section)))
        parts += self._trend(figures)
        parts += self._filing(figures)
        parts += self._questions(figures)
        return parts

    def _chart(self, section: Section, plot: Any) -> None:
        from sharewise.reports.charts import terminal_bars

        plot.styles.height = 4 + 2 * len(section.rows)
        terminal_bars(plot.plt, section.title, section.bars())
        plot.refresh()

    def _table(self, section: Section, table: DataTable[str]) -> None:
        ident = f"dash-table-{section.slug}"
        if not table.columns:
            table.add_columns(section.column, "Records")
        table.clear()
        keys: dict[str, F.Key] = {}
        for i, row in enumerate(section.rows):
            label = (
                f"{row.label} [{row.ident}]" if row.ident and row.ident != row.label else row.label
            )
            table.add_row(label, f"{row.count:,}", key=str(i))
            if row.key is not None:
                keys[str(i)] = row.key
        table.styles.height = len(section.rows) + 1
        self.keys[ident] = keys

    def _trend(self, figures: F.Figures) -> list[tuple[tuple[str, str], Callable[[Any], None]]]:
        trend = figures.trend()
        if not trend:
            return []
        columns = [v for v, _ in figures.by(F.DECISION)]

        def fill(table: DataTable[str]) -> None:
            table.clear(columns=True)
            table.add_columns("Month", *(decision_label(v) for v in columns))
            keys: dict[str, F.Key] = {}
            for month, row in trend.items():
                table.add_row(month, *(f"{row.get(v, 0):,}" for v in columns), key=month)
                for i, v in enumerate(columns, start=1):
                    keys[f"{month}|{i}"] = (F.TREND, f"{month} {v}")
            table.styles.height = len(trend) + 1
            self.keys["dash-table-trend"] = keys

        return [
            (("label", "Trend by month and decision"), _nothing),
            (("cells", "dash-table-trend"), fill),
        ]

    def _filing(self, figures: F.Figures) -> list[tuple[tuple[str, str], Callable[[Any], None]]]:
        filing = figures.filing_minutes()
        if not filing["records_timed"]:
            text = "No record in view carries the time its walk started."
        else:
            text = (
                f"Median {filing['median']} min; 90th percentile {filing['p90']} min "
                f"(over {filing['records_timed']:,} timed record(s))."
            )
        return [
            (("label", "Time from starting the questions to filing"), _nothing),
            (("static", "dash-filing"), _text(text)),
        ]

    def _questions(self, figures: F.Figures) -> list[tuple[tuple[str, str], Callable[[Any], None]]]:
        rows = figures.questions()
        head: tuple[tuple[str, str], Callable[[Any], None]] = (
            ("label", "Where practitioners struggle"),
            _nothing,
        )
        if not rows:
            none = "No question was answered “not sure”, revisited or changed."
            return [head, (("static", ""), _text(none))]

        def fill(table: DataTable[str]) -> None:
            if not table.columns:
                table.add_columns("Question", "Not sure", "Revisited", "Changed")
            table.clear()
            keys: dict[str, F.Key] = {}
            for i, q in enumerate(rows):
                table.add_row(
                    q["question"], f"{q['not_sure']:,}", f"{q['revisited']:,}",
                    f"{q['changed']:,}", key=str(i),
                )  # fmt: skip
                for col, figure in ((1, F.NOT_SURE), (2, F.REVISITED), (3, F.CHANGED)):
                    keys[f"{i}|{col}"] = (figure, q["question"])
            table.styles.height = len(rows) + 1
            self.keys["dash-table-questions"] = keys

        return [head, (("cells", "dash-table-questions"), fill)]

    # -- opening the records behind a figure --------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        table_id = event.data_table.id or ""
        key = self.keys.get(table_id, {}).get(str(event.row_key.value))
        if key is not None:
            self.open_behind(key, str(event.data_table.get_row(event.row_key)[0]))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        table_id = event.data_table.id or ""
        column = event.coordinate.column
        key = self.keys.get(table_id, {}).get(f"{event.cell_key.row_key.value}|{column}")
        if key is not None:
            row = event.data_table.get_row(event.cell_key.row_key)
            heading = event.data_table.ordered_columns[column].label.plain
            self.open_behind(key, f"{row[0]}: {heading}")

    def open_behind(self, key: F.Key, title: str) -> None:
        """The Records screen, showing only the records this figure counts."""
        from sharewise.tui.screens.records import Behind, RecordsScreen

        if self.held is None:
            return
        seqs = self.held.behind(self.scope, key)
        self.app.push_screen(RecordsScreen(behind=Behind(title, tuple(seqs))))

"""The IG lead's dashboard: the figures of a period, as charts and tables, each row opening
the records behind it; and, loudly, whether the ledger's hash chain is intact.

The figures are read and counted in a worker: from the cache kept beside a SQLite ledger
(`figures_cache`), brought up to date from the entries filed since, or else into memory
(`figures.Held`). Every filter counts again in a worker too, and fills the tables and
charts already on screen.

What the first paint holds, and what comes just after it (the IG dashboard's goal is its
figures on screen within 0.5 s at 100,000 records): the tables are `FigureTable`s, drawn
line by line, and a chart is drawn only once it is in view (`BarChart`). The filter bar's
three drop-down lists, which cost as much to make as every figure together, are added
just after the figures are shown, in the room kept for them; and the chain is verified,
in its own process, after that, since it reads every entry in full: a broken chain turns
the banner at the top into a warning naming the entries affected, and the figures beneath
it are counted again from the ledger itself (the cache vouches only for the last entry it
read: a body edited in place before it would leave the cache's figures, not the ledger's).
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Select, Static

from sharewise.domain.errors import SharewiseError
from sharewise.domain.tree import Decision
from sharewise.reports import figures as F
from sharewise.reports.audit import Section, decision_label, filters_text, period_text, sections
from sharewise.tui.context import sw_app
from sharewise.tui.widgets.bar_chart import ChartSlot
from sharewise.tui.widgets.figure_table import FigureTable
from sharewise.tui.widgets.footer import KeysFooter
from sharewise.tui.words import decision_words

if TYPE_CHECKING:
    from sharewise.domain.nodes import Citations

#: One part of the body: its shape (kind, id), and how to fill a widget of that shape.
Part = tuple[tuple[str, str], Callable[[Any], None]]


def _nothing(_widget: object) -> None:
    """A part that never changes once mounted (a heading)."""


def _text(text: str) -> Callable[[Any], None]:
    def fill(widget: Any) -> None:
        widget.update(Text(text))

    return fill


#: Seconds the cyclic garbage collector is held off at most (see `_hold_collector`).
HOLD_LIMIT = 2.0
#: Seconds the first paint waits for the figures at most (then "Reading the records…").
HOLD_PAINT = 0.3

#: Sections drawn as charts as well as tables (the others are tables only).
CHARTED = ("decision", "basis", "special", "criminal", "sharer", "review", "month")

#: The filter bar's drop-down lists: (id, prompt, choices). Added after the first figures.
CHOICES: tuple[tuple[str, str, list[tuple[str, str]]], ...] = (
    (
        "dash-decision",
        "Any decision",
        [*((decision_words(d), d.value) for d in Decision), ("No decision yet", "none")],
    ),
    (
        "dash-emergency",
        "Emergency or not",
        [("Emergency records only", "yes"), ("No emergency records", "no")],
    ),
    ("dash-reviewed", "Reviewed or not", [("Reviewed", "yes"), ("Not reviewed", "no")]),
)


def _cannot_count(exc: Exception) -> str:
    """The figures' cache could not be read (removed or damaged while open): what to do."""
    return f"Could not count the records ({type(exc).__name__}): press g to read them again."


def parse_scope(
    date_from: str,
    date_to: str,
    team: str,
    decision: str | None,
    emergency: str | None,
    reviewed: str | None,
) -> tuple[F.Scope | None, str]:
    """The filter bar as a scope, or None and what to fix, in plain words."""
    # the Records screen (and its DataTable) is imported when a filter is first applied or
    # a figure opened, not with the dashboard's first paint
    from sharewise.tui.screens.records import parse_period

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
        #: The figures on screen (set once they are in the tables and charts).
        self.figures: F.Figures | None = None
        #: The filters the figures on screen (or on their way) were counted under.
        self.scope = F.Scope()
        #: The figure key of each table row (or "row|column" for a table of cells), by
        #: table id.
        self.keys: dict[str, dict[str, F.Key]] = {}
        self.registry: Citations | None = None
        #: The body's parts as mounted (their shapes, and the widgets), for a filter that
        #: only changes their contents.
        self._shapes: list[tuple[str, str]] = []
        self._mounted: list[Any] = []
        #: The filter bar's drop-down lists and the chain's check are added once the first
        #: figures are shown (see the module's docstring).
        self.settled = False
        #: The chain's check found it broken: the figures are counted from the ledger.
        self.broken = False
        self._collector_held = False
        self._hold_collector()  # from the key that opened the screen to its figures
        self._painting: Any = None  # the app's batch while the first paint waits

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="dashboard-filters"):
            yield Label("From", classes="filter-label")
            yield Input(placeholder="YYYY-MM-DD", id="dash-from")
            yield Label("To", classes="filter-label")
            yield Input(placeholder="YYYY-MM-DD", id="dash-to")
            yield Input(placeholder="team (organisation)", id="dash-team")
        yield Static("Checking the ledger's hash chain…", id="dashboard-chain")
        yield Static("Reading the records…", id="dashboard-status")
        yield VerticalScroll(id="dashboard-body")
        yield KeysFooter()

    def on_mount(self) -> None:
        tree = sw_app(self).decision_tree
        self.registry = tree.registry if tree is not None else None
        # The first paint waits for the figures, HOLD_PAINT at most: painting the screen
        # without them (and laying it out again as its header and footer settle) took as
        # long as counting them, and only to show "Reading the records…" for a moment.
        self._painting = self.app.batch_update()
        self._painting.__enter__()
        self.set_timer(HOLD_PAINT, self._paint)
        self._read(self.scope)
        self.set_timer(HOLD_LIMIT, self._release_collector)

    def on_unmount(self) -> None:
        self._paint()
        self._release_collector()

    def _paint(self) -> None:
        """Let the screen be painted (once the figures are in it, or HOLD_PAINT passed)."""
        if self._painting is not None:
            painting, self._painting = self._painting, None
            painting.__exit__(None, None, None)

    # -- the cyclic garbage collector, held off while the figures are on their way ------

    def _hold_collector(self) -> None:
        """No cyclic garbage collection until the figures are on screen (`_after_paint`
        lets it run again; `HOLD_LIMIT` at most). Building the screen makes enough objects
        to start a full collection of the whole program's, which took 0.1 to 0.2 s and
        landed in the middle of the opening or a filter; it now runs just after."""
        if not self._collector_held and gc.isenabled():
            gc.disable()
            self._collector_held = True

    def _release_collector(self) -> None:
        if self._collector_held:
            self._collector_held = False
            gc.enable()

    # -- reading and counting (in workers) ----------------------------------------------

    def action_reload(self) -> None:
        self._status("Reading the records…")
        self._read(self.scope, fresh=True)

    @work(thread=True, exclusive=True, group="dashboard-read")
    def _read(self, scope: F.Scope, fresh: bool = False) -> None:
        store = sw_app(self).store
        # a broken chain: from the ledger itself, never a cache built from it
        self._read_and_count(lambda: store.held(fresh, from_ledger=self.broken), scope)

    def _read_and_count(self, read: Callable[[], F.Counted | None], scope: F.Scope) -> None:
        """In a worker: the records `read` gives, counted for `scope` and shown; a failure
        to read or count said instead. `read` giving None: the figures shown stand."""
        try:
            held = read()
            if held is None:
                self.app.call_from_thread(self._settle_status)
                return
            figures, parts = self._count(held, scope)
        except SharewiseError as exc:
            self.app.call_from_thread(self._failed, "Could not read the records: " + exc.render())
            return
        except (sqlite3.Error, OSError) as exc:
            self.app.call_from_thread(self._failed, _cannot_count(exc))
            return
        self.app.call_from_thread(self._counted, figures, parts, held)

    @work(thread=True, exclusive=True, group="dashboard-count")
    def _recount(self, held: F.Counted, scope: F.Scope) -> None:
        try:
            figures, parts = self._count(held, scope)
        except (sqlite3.Error, OSError) as exc:
            self.app.call_from_thread(self._failed, _cannot_count(exc))
            return
        self.app.call_from_thread(self._counted, figures, parts)

    def _failed(self, message: str) -> None:
        """Nothing to show: say why (the figures shown, if any, stay)."""
        self._release_collector()
        self._status(message)
        self._paint()

    def _count(self, held: F.Counted, scope: F.Scope) -> tuple[F.Figures, list[Part]]:
        """The figures of `scope`, and the parts that show them (off the screen's thread:
        counting and laying out the sections never hold up a paint)."""
        figures = held.figures(scope)
        return figures, self._parts(figures)

    def _counted(
        self, figures: F.Figures, parts: list[Part], held: F.Counted | None = None
    ) -> None:
        if held is not None:
            self.held = held
        if figures.scope != self.scope:
            # counted for filters changed since: count again for the ones now chosen
            if self.held is not None:
                self._recount(self.held, self.scope)
            return
        self.call_later(self._show, figures, parts)

    @work(thread=True, exclusive=True, group="dashboard-verify")
    def _verify(self) -> None:
        """The chain's check; then, if the figures shown cannot be vouched for by it (the
        chain is broken, or the cache held entries no check had vouched for), the records
        read again from the ledger and the figures counted again from them: the cache
        checks only the last entry it read, so a body edited in place before it would
        otherwise leave the cache's figures on screen, not the ledger's."""
        store = sw_app(self).store
        try:
            breaks = store.chain_breaks()
        except SharewiseError as exc:
            breaks = [(0, "the ledger could not be verified: " + exc.render())]
        self.app.call_from_thread(self._chain, breaks)
        held = self.held
        if held is None:
            return
        # None: the figures shown stand (read from the ledger, or vouched for by the check)
        self._read_and_count(lambda: store.chain_checked(held, intact=not breaks), self.scope)

    def _settle_status(self) -> None:
        """The status line says what is shown again (not that a count is on its way)."""
        if self.figures is not None and self.figures.scope == self.scope:
            self._status(self._summary(self.figures))

    def _chain(self, breaks: list[tuple[int, str]]) -> None:
        banner = self.query_one("#dashboard-chain", Static)
        banner.set_class(bool(breaks), "-error")
        if not breaks:
            banner.update("The ledger's hash chain is intact: no record has been changed.")
            return
        self.broken = True
        self._status("Counting the records again from the ledger itself…")
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

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.apply_filters()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.apply_filters()

    def _choice(self, ident: str) -> str | None:
        found = self.query(f"#{ident}")
        value = found.first(Select).value if found else None
        return value if isinstance(value, str) else None

    def apply_filters(self) -> None:
        """Count again under the filter bar's filters (or say what to fix in them)."""
        scope, problem = parse_scope(
            self.query_one("#dash-from", Input).value,
            self.query_one("#dash-to", Input).value,
            self.query_one("#dash-team", Input).value,
            self._choice("dash-decision"),
            self._choice("dash-emergency"),
            self._choice("dash-reviewed"),
        )
        status = self.query_one("#dashboard-status", Static)
        if scope is None:
            status.add_class("-error")
            self._status(problem)
            return
        status.remove_class("-error")
        if self.figures is not None and self.figures.scope == scope == self.scope:
            self._status(self._summary(self.figures))  # nothing changed (a date put back)
            return
        self.scope = scope
        if self.held is not None:  # else the first read is on its way, and counts again
            self._hold_collector()
            self._recount(self.held, scope)

    def _status(self, message: str) -> None:
        self.query_one("#dashboard-status", Static).update(Text(message))

    # -- showing -----------------------------------------------------------------------

    async def _show(self, figures: F.Figures, parts: list[Part]) -> None:
        shapes = [shape for shape, _ in parts]
        body = self.query_one("#dashboard-body", VerticalScroll)
        with self.app.batch_update():
            self._status(self._summary(figures))
            if not self._mounted:
                widgets = [self._new(shape, fill) for shape, fill in parts]
                await body.mount_all(widgets)
            else:
                widgets = await self._update(body, parts)
            self._shapes, self._mounted = shapes, widgets
            self.figures = figures
        self._paint()
        self.call_after_refresh(self._after_paint)

    async def _after_paint(self) -> None:
        """Once the figures are on screen: their charts drawn (those in view), and, the
        first time, what the first paint left out: the drop-down lists, then the chain's
        check."""
        self._release_collector()
        with self.app.batch_update():
            for widget in self._mounted:
                if isinstance(widget, ChartSlot):
                    await widget.draw()
        if self.settled:
            return
        self.settled = True
        bar = self.query_one("#dashboard-filters", Horizontal)
        await bar.mount_all([Select(c, prompt=p, id=i) for i, p, c in CHOICES])
        self._verify()

    async def _update(self, body: VerticalScroll, parts: list[Part]) -> list[Any]:
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

    def _new(self, shape: tuple[str, str], fill: Callable[[Any], None]) -> Any:
        """A widget of this shape (kind, id), filled by `fill`."""
        kind, ident = shape
        widget: Any
        if kind in ("table", "cells"):
            widget = FigureTable(id=ident, cells=kind == "cells", classes="dash-table")
        elif kind == "chart":
            widget = ChartSlot(classes="dash-chart")
        elif kind == "label":
            widget = Label(ident, classes="section-title")
        else:
            widget = Static("", classes=kind, id=ident or None)
        fill(widget)
        return widget

    def _parts(self, figures: F.Figures) -> list[Part]:
        """What the body shows, in order: each part's shape, and how to fill it. A section
        is its table (headed by its title), then its chart; one with no rows, its title
        and a line saying so."""
        parts: list[Part] = []
        if figures.unreadable:
            n = len(figures.unreadable)
            alarm = (
                f"!! {n} entr{'y' if n == 1 else 'ies'} could not be read and "
                f"{'is' if n == 1 else 'are'} not counted: "
                + ", ".join(str(s) for s in figures.unreadable)
            )
            parts.append((("dash-alarm", ""), _text(alarm)))
        for section in sections(figures, self.registry):
            if not section.rows:
                parts.append((("label", section.title), _nothing))
                parts.append((("dash-none", ""), _text("No records.")))
                continue
            table = f"dash-table-{section.slug}"
            parts.append((("table", table), partial(self._table, section)))
            if section.slug.split("-")[0] in CHARTED:
                parts.append((("chart", section.slug), partial(self._chart, section)))
        parts += self._trend(figures)
        parts += self._filing(figures)
        parts += self._questions(figures)
        return parts

    @staticmethod
    def _chart(section: Section, chart: Any) -> None:
        chart.show(section.title, section.bars())

    def _table(self, section: Section, table: FigureTable) -> None:
        keys: dict[str, F.Key] = {}
        rows = []
        for i, row in enumerate(section.rows):
            label = (
                f"{row.label} [{row.ident}]" if row.ident and row.ident != row.label else row.label
            )
            rows.append((label, f"{row.count:,}"))
            if row.key is not None:
                keys[str(i)] = row.key
        table.set_rows((section.column, "Records"), rows, title=section.title)
        self.keys[table.id or ""] = keys

    def _trend(self, figures: F.Figures) -> list[Part]:
        trend = figures.trend()
        if not trend:
            return []
        columns = [v for v, _ in figures.by(F.DECISION)]

        def fill(table: FigureTable) -> None:
            keys: dict[str, F.Key] = {}
            rows = []
            for r, (month, row) in enumerate(trend.items()):
                rows.append((month, *(f"{row.get(v, 0):,}" for v in columns)))
                for i, v in enumerate(columns, start=1):
                    keys[f"{r}|{i}"] = (F.TREND, f"{month} {v}")
            heads = ("Month", *(decision_label(v) for v in columns))
            table.set_rows(heads, rows, title="Trend by month and decision")
            self.keys["dash-table-trend"] = keys

        return [(("cells", "dash-table-trend"), fill)]

    def _filing(self, figures: F.Figures) -> list[Part]:
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

    def _questions(self, figures: F.Figures) -> list[Part]:
        rows = figures.questions()
        title = "Where practitioners struggle"
        if not rows:
            none = "No question was answered “not sure”, revisited or changed."
            return [(("label", title), _nothing), (("static", ""), _text(none))]

        def fill(table: FigureTable) -> None:
            keys: dict[str, F.Key] = {}
            cells = []
            for i, q in enumerate(rows):
                cells.append(
                    (q["question"], f"{q['not_sure']:,}", f"{q['revisited']:,}",
                     f"{q['changed']:,}")
                )  # fmt: skip
                for col, figure in ((1, F.NOT_SURE), (2, F.REVISITED), (3, F.CHANGED)):
                    keys[f"{i}|{col}"] = (figure, q["question"])
            heads = ("Question", "Not sure", "Revisited", "Changed")
            table.set_rows(heads, cells, title=title)
            self.keys["dash-table-questions"] = keys

        return [(("cells", "dash-table-questions"), fill)]

    # -- opening the records behind a figure --------------------------------------------

    def on_figure_table_selected(self, event: FigureTable.Selected) -> None:
        table = event.table
        at = f"{event.row}|{event.column}" if table.cells else str(event.row)
        key = self.keys.get(table.id or "", {}).get(at)
        if key is None:
            return
        row = table.get_row_at(event.row)
        title = f"{row[0]}: {table.columns[event.column]}" if table.cells else row[0]
        self.open_behind(key, title)

    def open_behind(self, key: F.Key, title: str) -> None:
        """The Records screen, showing only the records this figure counts."""
        from sharewise.tui.screens.records import Behind, RecordsScreen

        if self.held is None or self.figures is None:
            return
        seqs = self.held.behind(self.figures.scope, key)  # the scope of the figures shown
        self.app.push_screen(RecordsScreen(behind=Behind(title, tuple(seqs))))

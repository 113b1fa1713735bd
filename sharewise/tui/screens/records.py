"""The records kept on this computer: a filtered list, one record in full, and what an IG
lead does with it (review, amend) or a practitioner does (complete an emergency record)."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label, Select, Static
from textual.widgets.data_table import CellDoesNotExist

from sharewise.domain.errors import SharewiseError
from sharewise.domain.record import Entry, EntryKind
from sharewise.domain.safe_text import safe_line, safe_text
from sharewise.domain.tree import Decision
from sharewise.domain.words import outcome_heading
from sharewise.store.base import Filters
from sharewise.tui.breakpoints import preset_width_class
from sharewise.tui.context import sw_app
from sharewise.tui.record_text import record_text
from sharewise.tui.widgets.footer import KeysFooter
from sharewise.tui.widgets.plain_table import PlainTable
from sharewise.tui.words import decision_words

if TYPE_CHECKING:
    from sharewise.store.ledger import Listed
    from sharewise.tui.ledger import Listing

_SHOWN = (EntryKind.DECISION, EntryKind.EMERGENCY)


@dataclass(frozen=True, slots=True)
class Behind:
    """The records behind a figure on the dashboard: what it counts, and their numbers."""

    title: str
    seqs: tuple[int, ...]


#: The table's columns (also their keys).
COLUMNS = ("Entry", "Date (UTC)", "Case", "Decision", "Status")


def parse_period(
    date_from: str, date_to: str
) -> tuple[tuple[dt.date | None, dt.date | None] | None, str]:
    """A filter bar's From and To (either may be empty), or None and what to fix.

    The Records screen and the Dashboard read their periods the same way, with one message.
    """
    dates: list[dt.date | None] = []
    for label, text in (("From", date_from), ("To", date_to)):
        if not text.strip():
            dates.append(None)
            continue
        try:
            dates.append(dt.date.fromisoformat(text.strip()))
        except ValueError:
            return None, f"{label}: write a real date as YYYY-MM-DD, for example 2026-11-01."
    start, end = dates
    if start and end and start > end:
        return None, "From is after To: swap the two dates."
    return (start, end), ""


def parse_filters(
    date_from: str, date_to: str, decision: str | None, case: str
) -> tuple[Filters | None, str]:
    """The filter bar's text as store filters, or None and what to fix (in plain words)."""
    span, problem = parse_period(date_from, date_to)
    if span is None:
        return None, problem
    start, end = span
    return Filters(
        date_from=start,
        date_to=end,
        decision=decision or None,
        case=case.strip() or None,
        kinds=tuple(k.value for k in _SHOWN),
    ), ""


#: The most rows the table holds: the newest that match; the filters find older ones. At
#: 20,000 records the whole ledger took 15 s to appear and held the screen still for 3 s.
SHOWN_AT_MOST = 1000

#: What the Status column says an entry of these kinds did to a record.
_DONE_TO = {EntryKind.REVIEW: "reviewed", EntryKind.AMENDMENT: "amended"}


def decision_shown(value: str | None) -> str:
    """A decision as the table shows it: its words up to the colon ("Share now", "Not
    personal data"), so the Status column fits beside it; "—" for none."""
    if value is None:
        return "—"
    try:
        return decision_words(Decision(value)).split(":")[0]
    except ValueError:  # not one this version knows: shown as stored
        return safe_line(value)


def latest_details(entry: Entry, linked: list[Entry]) -> Entry:
    """The entry whose details are current: the last completion or amendment of `entry` (in
    `linked`, oldest first) that holds details, else the entry itself."""
    for e in reversed(linked):
        if e.kind in (EntryKind.COMPLETION, EntryKind.AMENDMENT) and e.details is not None:
            return e
    return entry


class RecordsScreen(Screen[None]):
    """Decision and emergency records, newest first; Enter opens one; f goes to the filters.

    An emergency record is read through its completion, as `records list` reads it: it shows
    the decision its completion brought and which entry completed it, and the decision and
    case filters find it by them.
    """

    # Below 100 columns the filters take two rows (app.tcss): in one, the case box was cut.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        # First, so the footer keeps it in sight at 80 columns (the app's F2 does the work).
        Binding("f2", "app.emergency", "Danger now"),
        Binding("escape", "app.pop_screen", "Home"),
        Binding("f", "focus_filters", "Filter"),
        Binding("g", "reload", "Refresh"),
        Binding("n", "revisit", "Decided otherwise"),
    ]

    def __init__(self, behind: Behind | None = None) -> None:
        super().__init__()
        preset_width_class(self)
        #: Opened from a figure on the dashboard: only the records that figure counts.
        self.behind = behind
        self.entries: dict[str, Entry] = {}
        self.listed: dict[str, Listed] = {}
        self.linked: dict[str, list[Entry]] = {}
        self.completed: set[str] = set()
        #: Counts the reads asked for: a read's rows are shown only if no later one was
        #: asked for meanwhile (a thread cannot be stopped, and an older, slower read for
        #: other filters must not replace the newer one's rows).
        self._reads = 0

    def compose(self) -> ComposeResult:
        yield Header()
        if self.behind is not None:
            yield Static(
                Text(
                    f"The {len(self.behind.seqs):,} record(s) behind “{self.behind.title}” "
                    "on the dashboard. Escape goes back to it."
                ),
                id="records-behind",
            )
        with Horizontal(id="records-filters"):
            yield Label("From", classes="filter-label")
            yield Input(placeholder="YYYY-MM-DD", id="filter-from")
            yield Label("To", classes="filter-label")
            yield Input(placeholder="YYYY-MM-DD", id="filter-to")
            yield Select(
                [(decision_words(d), d.value) for d in Decision],
                prompt="Any decision",
                id="filter-decision",
            )
            yield Label("Case", classes="filter-label")
            yield Input(placeholder="case reference", id="filter-case")
        yield Static("Loading records…", id="records-status")
        table = PlainTable(id="records-table", cursor_type="row")
        table.add_columns(*COLUMNS)
        yield table
        yield KeysFooter()

    def on_mount(self) -> None:
        # The list first: filtering is one key away (f), and Enter should open a record.
        # No read here: the screen is resumed as it opens, and that reads the records.
        self.query_one("#records-table", DataTable).focus()

    def on_screen_resume(self) -> None:
        # On opening, and on coming back (from a record, a review, a completion): refreshed.
        self.action_reload()

    def action_focus_filters(self) -> None:
        self.query_one("#filter-from", Input).focus()

    def action_revisit(self) -> None:
        """The records the current tree would decide differently (for the IG lead)."""
        from sharewise.tui.screens.revisit import RevisitScreen

        self.app.push_screen(RevisitScreen())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_reload()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.action_reload()

    def filters(self) -> tuple[Filters | None, str]:
        decision = self.query_one("#filter-decision", Select).value
        return parse_filters(
            self.query_one("#filter-from", Input).value,
            self.query_one("#filter-to", Input).value,
            decision if isinstance(decision, str) else None,
            self.query_one("#filter-case", Input).value,
        )

    def action_reload(self) -> None:
        filters, problem = self.filters()
        if filters is None:
            self._status(problem)
            self.query_one("#records-status").add_class("-error")
            return
        self.query_one("#records-status").remove_class("-error")
        if self.behind is not None:
            filters = dataclasses.replace(filters, seqs=self.behind.seqs)
        self._reads += 1
        self._load(filters, self._reads)

    @work(thread=True, exclusive=True, group="records")
    def _load(self, filters: Filters, read: int) -> None:
        store = sw_app(self).store
        try:
            listing = store.listing(filters, SHOWN_AT_MOST)
        except SharewiseError as exc:
            message = "Could not read the records: " + exc.render()
            self.app.call_from_thread(self._unread, message, read)
            return
        self.app.call_from_thread(self._show, listing, filters, read)

    def _unread(self, message: str, read: int) -> None:
        if read == self._reads:
            self._status(message)

    def _status(self, message: str) -> None:
        self.query_one("#records-status", Static).update(Text(message))

    def _show(self, listing: Listing, filters: Filters, read: int) -> None:
        if read != self._reads:
            return  # a newer read is on its way
        shown = [item for item in listing.listed if item.entry.kind in _SHOWN]
        self.listed = {item.entry.id: item for item in shown}
        self.entries = {item.entry.id: item.entry for item in shown}
        self.linked = listing.linked
        self.completed = {i for i, item in self.listed.items() if item.completed_by is not None}
        table = self.query_one("#records-table", DataTable)
        # Keep the cursor on the same record (coming back from it, say), if it is still shown.
        at = None
        if table.row_count:
            with contextlib.suppress(CellDoesNotExist):
                at = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        rows = [self._row(item) for item in shown]  # newest first
        # Each column as wide as its widest cell, given before the rows are added: left to
        # measure itself (it does so when idle), the table could paint rows once at the
        # headings' widths and keep them so ("Case" four letters wide) until a key was pressed.
        table.clear(columns=True)
        for i, label in enumerate(COLUMNS):
            width = max([cell_len(label), *(cell_len(row[i]) for row in rows)])
            table.add_column(label, width=width, key=label)
        for item, row in zip(shown, rows, strict=True):
            table.add_row(*row, key=item.entry.id)
        if at in self.listed:
            table.move_cursor(row=table.get_row_index(str(at)), animate=False)
        filtered = dataclasses.replace(filters, seqs=None) != parse_filters("", "", None, "")[0]
        count = f"{listing.total:,} record(s){' match the filters' if filtered else ''}."
        if listing.total > len(shown):
            count = (
                f"Showing the newest {len(shown):,} of {listing.total:,} records"
                f"{' that match the filters' if filtered else ''}: use the filters (f) to find "
                "older ones."
            )
        message = f"{count} Enter opens one; f filters."
        if listing.waiting:
            message += f" {listing.waiting:,} emergency record(s) to be completed."
        if not listing.total:
            message = (
                "No records match these filters."
                if filtered
                else "No records yet. Start a decision from the home screen."
            )
        self._status(message)

    def _row(self, item: Listed) -> tuple[str, ...]:
        e = item.entry
        case = safe_line(e.details.case_ref) if e.details and e.details.case_ref else "—"
        # Completed or corrected under a new case reference: both, so that a search by the
        # new one does not seem to have found another case.
        now = latest_details(e, self.linked.get(e.id, [])).details
        if now is not None and now.case_ref and e.details and now.case_ref != e.details.case_ref:
            case += f" → {safe_line(now.case_ref)}"
        # An emergency record filed without a decision shows the one its completion brought.
        decision = decision_shown(item.decision)
        if e.kind is EntryKind.EMERGENCY:
            done = item.completed_by
            status = "TO BE COMPLETED" if done is None else f"completed by entry {done.seq}"
        else:
            status = "recorded"
        kinds = {x.kind for x in self.linked.get(e.id, [])}
        notes = [words for kind, words in _DONE_TO.items() if kind in kinds]
        if notes:
            status += " · " + ", ".join(notes)
        return (str(e.seq), f"{e.created:%Y-%m-%d %H:%M}", case, decision, status)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        entry = self.entries.get(str(event.row_key.value))
        if entry is not None:
            self.app.push_screen(
                RecordViewScreen(entry, entry.id in self.completed, self.linked.get(entry.id, []))
            )


class RecordViewScreen(Screen[None]):
    """One record in full, with its reviews and corrections. v reviews it, m amends it, k
    completes an emergency record, w walks the questions first to complete it with a decision.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("v", "review", "Review"),
        Binding("m", "amend", "Amend"),
        Binding("k", "complete", "Complete this record"),
        Binding("w", "walk_then_complete", "Walk, then complete"),
        Binding("a", "reassess", "Reassess"),
        Binding("t", "timeline", "Case timeline"),
        Binding("c", "copy", "Copy as text"),
    ]

    def __init__(self, entry: Entry, completed: bool, linked: list[Entry] | None = None) -> None:
        super().__init__()
        self.entry = entry
        self.completed = completed
        self.linked = linked or []
        #: For an emergency record: the entry that completed it (the store allows one).
        self.completion = next(
            (e for e in self.linked if e.kind is EntryKind.COMPLETION),
            None,
        )

    def latest_details(self) -> Entry:
        """The entry whose details are current: the last completion or amendment, else it."""
        return latest_details(self.entry, self.linked)

    def text(self) -> str:
        e = self.entry
        if e.details is None:
            return f"Entry {e.seq} ({e.kind.value}): its personal details were erased."
        tree = sw_app(self).decision_tree
        registry = tree.registry if tree is not None else None
        return record_text(
            e.details,
            e.result,
            registry,
            record_id=e.id,
            seq=e.seq,
            emergency=e.kind is EntryKind.EMERGENCY,
            completed_by=self.completion,
            recorded_by=e.recorded_by,
        )

    def completed_text(self) -> str | None:
        """A completed emergency record: by which entry, when, and the decision it brought
        (with what to do), shown above the record filed in the emergency."""
        done = self.completion
        if self.entry.kind is not EntryKind.EMERGENCY or done is None:
            return None
        lines = [f"Completed by entry {done.seq} on {done.created:%Y-%m-%d %H:%M} UTC."]
        result = done.result or self.entry.result
        if result is not None:
            o = result.outcome
            lines.append(f"Decision: {outcome_heading(o.decision, safe_line(o.title), ' - ')}")
            lines.append(safe_text(o.summary))
        else:
            lines.append("No decision was recorded with it.")
        if done.details is not None and done.details.rationale:
            lines.append(f"Rationale: {safe_text(done.details.rationale)}")
        lines.append("Below: the record as it was filed in the emergency.")
        return "\n".join(lines)

    def history(self) -> str:
        """Reviews, completions and amendments of this record, oldest first."""
        lines = []
        for e in self.linked:
            when = f"{e.created:%Y-%m-%d %H:%M} UTC, entry {e.seq}"
            if e.kind is EntryKind.REVIEW and e.review is not None:
                r = e.review
                who = safe_line(r.reviewer or "[erased]")
                lines.append(f"Review ({when}): {r.verdict.value.replace('_', ' ')} by {who}")
                if r.comment:
                    lines.append(f"  {safe_line(r.comment)}")
            elif e.kind is EntryKind.AMENDMENT:
                lines.append(f"Amended ({when}): the details below the line are superseded")
            elif e.kind is EntryKind.COMPLETION:
                decided = f", decision: {decision_words(e.decision)}" if e.decision else ""
                lines.append(f"Completed ({when}){decided}")
        return "\n".join(lines)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="record-view-body"):
            if self.entry.kind is EntryKind.EMERGENCY and not self.completed:
                how = "press k" + (
                    ", or w to walk the questions first" if not self.entry.result else ""
                )
                yield Static(
                    f"This emergency record is waiting to be completed: {how}.",
                    classes="warning-banner",
                )
            completed = self.completed_text()
            if completed is not None:
                yield Static(Text(completed), id="record-view-completed")
            history = self.history()
            if history:
                yield Label("Reviews and corrections", classes="section-title")
                yield Static(Text(history), id="record-view-history")
            yield Static(Text(self.text()), id="record-view-text")
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        waiting = self.entry.kind is EntryKind.EMERGENCY and not self.completed
        if action == "complete":
            return waiting
        if action == "walk_then_complete":
            return waiting and self.entry.result is None
        if action == "amend":
            return not waiting and self.entry.details is not None
        if action == "reassess":
            return self.reassessable() is not None
        if action == "timeline":
            return self.case_ref() is not None
        return True

    def reassessable(self) -> Entry | None:
        """The record as a reassessment starts from it: with the answers it was decided on
        (an emergency record's from its completion), and its current details; None when it
        holds no answers (a review, a purge, an emergency not yet decided)."""
        if self.entry.kind not in (EntryKind.DECISION, EntryKind.EMERGENCY, EntryKind.COMPLETION):
            return None
        result = self.entry.result or (self.completion.result if self.completion else None)
        if result is None:
            return None
        current = self.latest_details()
        return self.entry.model_copy(update={"result": result, "details": current.details})

    def case_ref(self) -> str | None:
        details = self.latest_details().details
        return details.case_ref if details is not None and details.case_ref else None

    def action_timeline(self) -> None:
        """Every entry about this record's case, in order."""
        from sharewise.tui.screens.timeline import TimelineScreen

        case = self.case_ref()
        if case is not None:
            self.app.push_screen(TimelineScreen(case))

    def action_reassess(self) -> None:
        """New information about the case: walk again from this record's answers."""
        from sharewise.domain.walk import Walk
        from sharewise.tui.screens.navigate import tree_or_say
        from sharewise.tui.screens.walk import WalkScreen

        earlier = self.reassessable()
        app = sw_app(self)
        if earlier is None or not tree_or_say(app, pending=False):
            return
        assert app.decision_tree is not None
        prefill = None
        if earlier.details is not None:
            # The case and whom it concerns carry over; what is shared now, and why, is new.
            prefill = earlier.details.model_copy(
                update={"information": "", "rationale": "", "review_by": None, "method": None}
            )
        app.push_screen(
            WalkScreen(
                Walk(app.decision_tree),
                earlier=earlier,
                record_options={"reassesses": earlier.id, "prefill": prefill},
            )
        )

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text())
        self.notify("Copied to the clipboard.")

    def action_review(self) -> None:
        from sharewise.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.entry))

    def action_amend(self) -> None:
        from sharewise.tui.screens.record_form import RecordFormScreen

        tree = sw_app(self).decision_tree
        current = self.latest_details()
        self.app.push_screen(
            RecordFormScreen(
                self.entry.result or current.result,
                tree.registry if tree is not None else None,
                amend_target=self.entry.id,
                prefill=current.details,
            )
        )

    def action_complete(self) -> None:
        from sharewise.tui.screens.record_form import RecordFormScreen

        tree = sw_app(self).decision_tree
        registry = tree.registry if tree is not None else None
        self.app.push_screen(
            RecordFormScreen(
                None, registry, complete_target=self.entry.id, prefill=self.entry.details
            )
        )

    def action_walk_then_complete(self) -> None:
        """An emergency filed without a decision: walk the questions now, and the completion
        carries the decision reached."""
        from sharewise.domain.walk import Walk
        from sharewise.tui.screens.navigate import tree_or_say
        from sharewise.tui.screens.walk import WalkScreen

        app = sw_app(self)
        if tree_or_say(app, pending=False):
            assert app.decision_tree is not None
            app.push_screen(
                WalkScreen(
                    Walk(app.decision_tree, preset=app.settings),
                    record_options={
                        "complete_target": self.entry.id,
                        "prefill": self.entry.details,
                    },
                )
            )

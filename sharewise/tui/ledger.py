"""The UI's door to the ledger: save a decision, an emergency record or its completion; read.

Each call opens the ledger, does one thing and closes it, because the UI calls these from
worker threads and an SQLite connection belongs to the thread that opened it. Record ids and
chain positions always come from the store; the UI never invents them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    # Only for types: importing the graph pulls in networkx (a third of a second), and the
    # app imports this module before its first screen is painted.
    from sharewise.domain.graph import CompiledTree
    from sharewise.domain.record import Entry, RecordDetails, Verdict
    from sharewise.domain.result import DecisionResult
    from sharewise.reports.figures import Counted
    from sharewise.store.base import Filters
    from sharewise.store.ledger import Listed
    from sharewise.store.revisit import RevisitList
    from sharewise.store.timeline import Moment


@dataclass(frozen=True, slots=True)
class SavedRecord:
    """Where a new entry sits: what the confirmation screen shows."""

    id: str
    seq: int
    hash: str


@dataclass(frozen=True, slots=True)
class Listing:
    """What the Records screen shows: the newest records that match, each read through its
    completion (`Listed`), and what it says about the rest."""

    #: Newest first, at most the number asked for.
    listed: list[Listed] = field(default_factory=list)
    #: How many entries matched in all (more than `listed` holds when the list was cut).
    total: int = 0
    #: How many of the matching emergency records are still to be completed.
    waiting: int = 0
    #: The reviews, completions and amendments of the records in `listed`, by the id they
    #: refer to, oldest first.
    linked: dict[str, list[Entry]] = field(default_factory=dict)


class RecordStore(Protocol):
    """What the screens need from a ledger (a fake one stands in for snapshot tests)."""

    def save_decision(
        self, result: DecisionResult, details: RecordDetails, reassesses: str | None = None
    ) -> SavedRecord: ...

    def save_emergency(self, details: RecordDetails) -> SavedRecord: ...

    def complete(
        self,
        target_id: str,
        details: RecordDetails,
        result: DecisionResult | None = None,
        *,
        new_case_ref: bool = False,
    ) -> SavedRecord: ...

    def review(
        self, target_id: str, verdict: Verdict, reviewer: str, comment: str | None
    ) -> SavedRecord: ...

    def amend(self, target_id: str, details: RecordDetails) -> SavedRecord: ...

    def listing(self, filters: Filters, newest: int) -> Listing: ...

    def get(self, entry_id: str) -> Entry: ...

    def export(self, entry_id: str) -> list[Path]: ...

    def due(self, today: dt.date) -> list[tuple[Entry, str]]: ...

    def held(self, fresh: bool = False, *, from_ledger: bool = False) -> Counted: ...

    def chain_breaks(self) -> list[tuple[int, str]]: ...

    def chain_checked(self, held: Counted, intact: bool) -> Counted | None: ...

    def would_change(self, tree: CompiledTree) -> RevisitList: ...

    def timeline(self, case_ref: str, today: dt.date) -> list[Moment]: ...


#: `sharewise.store.DATABASE_URL_ENV`, not imported from there: importing the store is what
#: `LedgerStore._surely_missing` saves (a test keeps the two the same).
DATABASE_URL_ENV = "SHAREWISE_DATABASE_URL"

#: `python -m sharewise` under a niceness of 10 where the system has one.
_NICE_SHAREWISE = (
    "import os, runpy\n"
    "if hasattr(os, 'nice'):\n    os.nice(10)\n"
    "runpy.run_module('sharewise', run_name='__main__', alter_sys=True)"
)


def _quiet() -> None:
    """The wait message when nobody is listening (never the store's stderr print)."""


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("sharewise", appauthor=False))


def exports_dir(data_dir: Path | None) -> Path:
    """`exports/` in the data folder: where the UI writes records and debriefs."""
    return (data_dir or default_data_dir()) / "exports"


class LedgerStore:
    """The real ledger (SQLite in the data folder, or SHAREWISE_DATABASE_URL), opened per call."""

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None,
        on_wait: Callable[[], None] | None = None,
    ) -> None:
        self.data_dir = Path(data_dir) if data_dir else None
        #: Called (on the saving thread) while another program holds the write lock. The app
        #: sets a notification; never the store's default, which prints over the screen.
        self.on_wait = on_wait
        #: The organisation whose register this session reads, chosen in the UI (a
        #: partnership IG lead reads several); None: SHAREWISE_ORG, or the login's own.
        #: New records always go to the login's own organisation (`_open_own`).
        self.org: str | None = None
        #: The login's own organisation, once `organisations` has asked the database.
        self.home: str | None = None

    def _surely_missing(self) -> bool:
        """No database named and no SQLite ledger folder: nothing to read, so the home
        screen's look at what is due need not import the store (and with it pydantic and
        the record models, a third of the running UI's memory) to be told so."""
        if os.environ.get(DATABASE_URL_ENV):
            return False
        return not ((self.data_dir or default_data_dir()) / "ledger").exists()

    def _open(self, *, create: bool = True, org: str | None = None) -> Any:
        from sharewise.store import open_ledger

        return open_ledger(
            self.data_dir,
            create=create,
            on_wait=self.on_wait or _quiet,
            org=self.org if org is None else org,
        )

    def _open_own(self) -> Any:
        """For a new record: the login's own organisation's register, whichever this
        session reads (chosen here or by SHAREWISE_ORG). A record linked to an entry of
        the register read goes to that one, and the database refuses to write in another
        organisation's, saying so."""
        return self._open(org="")

    def organisations(self) -> tuple[list[str], str | None, str | None]:
        """(the organisations this login may read, the one this session reads, its own),
        as the database says; ([], None, None) for a ledger of one person (SQLite)."""
        if not os.environ.get(DATABASE_URL_ENV):
            return [], None, None
        from sharewise.store import LedgerMissing
        from sharewise.store.postgres import PostgresBackend

        try:
            ledger = self._open(create=False)
        except LedgerMissing:
            return [], None, None
        with ledger:
            backend = ledger.backend
            if not isinstance(backend, PostgresBackend) or backend.version < 4:
                return [], None, None
            self.home = backend.home
            return backend.readable_orgs(), backend.org, backend.home

    def _open_target(self, doing: str) -> Any:
        """For an entry about a record of the register read (a review, an amendment, a
        completion, a reassessment): refused, in words for the screen, when that register
        is another organisation's, which this login may read but never write to."""
        if self.org is not None and self.home is not None and self.org != self.home:
            from sharewise.domain.errors import StoreError

            raise StoreError(
                f"this record is in {self.org}'s register, which you may read but not write "
                f"to: {doing} are written only in your own organisation's ({self.home})"
            )
        return self._open()

    def save_decision(
        self, result: DecisionResult, details: RecordDetails, reassesses: str | None = None
    ) -> SavedRecord:
        """A decision; with `reassesses`, a reassessment linked to that earlier record."""
        opened = self._open_target("reassessments") if reassesses else self._open_own()
        with opened as ledger:
            ref = ledger.record_decision(result, details, reassesses=reassesses)
        return SavedRecord(ref.id, ref.seq, ref.hash)

    def save_emergency(self, details: RecordDetails) -> SavedRecord:
        """Filed without a decided result, so it works even when no tree could be loaded."""
        with self._open_own() as ledger:
            ref = ledger.record_emergency(details)
        return SavedRecord(ref.id, ref.seq, ref.hash)

    def complete(
        self,
        target_id: str,
        details: RecordDetails,
        result: DecisionResult | None = None,
        *,
        new_case_ref: bool = False,
    ) -> SavedRecord:
        """Refused (`CaseRefDiffers`) for another case reference than the emergency record's,
        unless `new_case_ref`: the person said the case has been given a new one."""
        with self._open_target("completions") as ledger:
            ref = ledger.complete(target_id, details, result, new_case_ref=new_case_ref)
        return SavedRecord(ref.id, ref.seq, ref.hash)

    def review(
        self, target_id: str, verdict: Verdict, reviewer: str, comment: str | None
    ) -> SavedRecord:
        with self._open_target("reviews") as ledger:
            ref = ledger.review(target_id, verdict, reviewer, comment)
        return SavedRecord(ref.id, ref.seq, ref.hash)

    def amend(self, target_id: str, details: RecordDetails) -> SavedRecord:
        with self._open_target("amendments") as ledger:
            ref = ledger.amend(target_id, details)
        return SavedRecord(ref.id, ref.seq, ref.hash)

    def listing(self, filters: Filters, newest: int) -> Listing:
        """The newest `newest` entries matching `filters`, each with its completion, and the
        counts of all that match (`Ledger.listing(newest=)` and `Ledger.tally`: the store
        filters, and an emergency record is found by the decision and case its completion
        brought). Only the entries shown are rebuilt, so this stays quick at 100,000."""
        from sharewise.store import LedgerMissing

        try:
            ledger = self._open(create=False)  # don't create a ledger just to read it
        except LedgerMissing:
            return Listing()
        with ledger:
            listed = list(ledger.listing(filters, newest=max(newest, 0)))
            listed.reverse()  # newest first
            tally = ledger.tally(filters)
            linked = ledger.links(among={item.entry.id for item in listed})
        return Listing(listed, tally.total, tally.waiting, linked)

    def held(self, fresh: bool = False, *, from_ledger: bool = False) -> Counted:
        """Every record, compactly, for the dashboard to count under its filters: from the
        figures' cache beside a SQLite ledger, brought up to date (rebuilt when `fresh`),
        else read into memory (PostgreSQL, a cache that cannot be written, one marked
        because the chain was found broken, or `from_ledger`: the cache is then replaced by
        that mark, as when the chain is broken)."""
        import sqlite3

        from sharewise.reports.figures import Held
        from sharewise.reports.figures_cache import Distrusted, cached, distrust
        from sharewise.store import LedgerMissing
        from sharewise.store.sqlite import SQLiteBackend

        try:
            ledger = self._open(create=False)
        except LedgerMissing:
            return Held(None)
        with ledger:
            backend = ledger.backend
            if isinstance(backend, SQLiteBackend) and not backend.readonly:
                try:
                    if from_ledger:
                        distrust(backend.path.parent)
                    else:
                        return cached(backend, backend.path.parent, fresh=fresh)
                except (sqlite3.Error, OSError, Distrusted):
                    pass  # a copy that cannot be kept or trusted: count from the ledger
            return Held(backend)

    def chain_checked(self, held: Counted, intact: bool) -> Counted | None:
        """What the dashboard counts with once the chain's check has ended, begun after
        `held` was read: None to keep `held`, else the records read again.

        Broken: read from the ledger itself (never from the cache, which is replaced by a
        mark: see `figures_cache`), unless `held` was already read from it, just before the
        check (PostgreSQL, or a cache marked before). Intact: a cache it read is vouched
        for, but one that held entries no check had vouched for (`Cached.proven`) is built
        again from the ledger, since an entry's body edited in place and later put back
        would leave it counting what the ledger no longer says."""
        import sqlite3

        from sharewise.reports.figures_cache import Cached, confirm

        if not isinstance(held, Cached):
            self._mark(broken=not intact)
            return None
        if not intact:
            return self.held(from_ledger=True)
        folder = held.path.parent
        try:
            if held.proven:
                confirm(folder, held.seq)
                return None
            again = self.held(fresh=True)
            if isinstance(again, Cached):
                confirm(folder, again.seq)
            return again
        except (sqlite3.Error, OSError):
            return None  # the cache could not be written: the figures shown stand

    def _mark(self, *, broken: bool) -> None:
        """With the figures read from the ledger itself, the chain's check ended: the
        SQLite ledger's cache is replaced by a mark when `broken`; else a mark left where
        it was (the chain was broken before) is removed, so the next opening builds the
        cache again."""
        import sqlite3

        from sharewise.reports.figures_cache import confirm, distrust
        from sharewise.store import LedgerMissing
        from sharewise.store.sqlite import SQLiteBackend

        try:
            ledger = self._open(create=False)
        except LedgerMissing:
            return
        with ledger:
            backend = ledger.backend
            if isinstance(backend, SQLiteBackend) and not backend.readonly:
                with contextlib.suppress(sqlite3.Error, OSError):
                    if broken:
                        distrust(backend.path.parent)
                    else:
                        confirm(backend.path.parent, -1)  # never a cache's seq: only unmarks

    def chain_breaks(self) -> list[tuple[int, str]]:
        """(entry number, what is wrong) for every break `records verify` finds; empty if
        intact. Run as its own process: verifying reads every entry in full, and in a thread
        it would hold the interpreter while the dashboard is counting and drawing."""
        import json
        import subprocess
        import sys

        from sharewise.domain.errors import StoreError

        # `python -m sharewise`, at a lower priority: the check shares the cores with the
        # screen, and the figures and filters the IG lead is waiting for come first.
        argv = [sys.executable, "-c", _NICE_SHAREWISE]
        if self.data_dir is not None:
            argv += ["--data-dir", str(self.data_dir)]
        from sharewise.store import ORG_ENV

        env = dict(os.environ)
        if self.org is not None:
            env[ORG_ENV] = self.org  # the register this session reads, as chosen
        done = subprocess.run(
            [*argv, "records", "verify", "--json"],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        if done.returncode not in (0, 1):  # 2, 3: it could not read the ledger at all
            last = done.stderr.strip().splitlines()[-1:] or ["records verify failed"]
            raise StoreError(last[0])
        report = json.loads(done.stdout)
        found = []
        for b in report.get("breaks", []):
            where = f"entry {b['seq']}" if b["seq"] else "ledger"
            if b.get("id"):
                where += f" ({b['id']})"
            found.append((int(b["seq"]), f"{where}: {b['message']}"))
        return found

    def get(self, entry_id: str) -> Entry:
        with self._open(create=False) as ledger:
            entry: Entry = ledger.get(entry_id)
            return entry

    def timeline(self, case_ref: str, today: dt.date) -> list[Moment]:
        """A case's entries in order (`store.timeline.timeline`)."""
        from sharewise.store import LedgerMissing
        from sharewise.store.timeline import timeline

        try:
            ledger = self._open(create=False)
        except LedgerMissing:
            return []
        with ledger:
            return timeline(ledger, case_ref, today)

    def would_change(self, tree: CompiledTree) -> RevisitList:
        """The records `tree` would decide differently (`store.revisit.would_change`)."""
        from sharewise.store import LedgerMissing
        from sharewise.store.revisit import RevisitList, would_change

        try:
            ledger = self._open(create=False)
        except LedgerMissing:
            return RevisitList([], 0)
        with ledger:
            return would_change(ledger, tree)

    def due(self, today: dt.date) -> list[tuple[Entry, str]]:
        """What `records due` lists: records past their review date (not superseded or
        reassessed since) and emergency records still to be completed, with why."""
        if self._surely_missing():
            return []
        from sharewise.store import LedgerMissing

        try:
            ledger = self._open(create=False)
        except LedgerMissing:
            return []
        with ledger:
            return list(ledger.due(today))

    def export(self, entry_id: str) -> list[Path]:
        """This one record as Markdown and JSON (the store's formats), private to this user."""
        from sharewise.private_files import write_private
        from sharewise.store.export import export_to_string

        entry = self.get(entry_id)
        folder = exports_dir(self.data_dir)
        return [
            write_private(folder / f"record-{entry.id}.{fmt}", export_to_string([entry], fmt))
            for fmt in ("md", "json")
        ]

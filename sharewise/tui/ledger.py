"""The UI's door to the ledger: save a decision, an emergency record or its completion; read.

Each call opens the ledger, does one thing and closes it, because the UI calls these from
worker threads and an SQLite connection belongs to the thread that opened it. Record ids and
chain positions always come from the store; the UI never invents them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    # Only for types: importing the graph pulls in networkx (a third of a second), and the
    # app imports this module before its first screen is painted.
    from sharewise.domain.record import Entry, RecordDetails, Verdict
    from sharewise.domain.result import DecisionResult
    from sharewise.store.base import Filters


@dataclass(frozen=True, slots=True)
class SavedRecord:
    """Where a new entry sits: what the confirmation screen shows."""

    id: str
    seq: int
    hash: str


class RecordStore(Protocol):
    """What the screens need from a ledger (a fake one stands in for snapshot tests)."""

    def save_decision(self, result: DecisionResult, details: RecordDetails) -> SavedRecord: ...

    def save_emergency(self, details: RecordDetails) -> SavedRecord: ...

    def complete(
        self, target_id: str, details: RecordDetails, result: DecisionResult | None = None
    ) -> SavedRecord: ...

    def review(
        self, target_id: str, verdict: Verdict, reviewer: str, comment: str | None
    ) -> SavedRecord: ...

    def amend(self, target_id: str, details: RecordDetails) -> SavedRecord: ...

    def entries(self, filters: Filters | None = None) -> list[Entry]: ...

    def get(self, entry_id: str) -> Entry: ...

    def completed_ids(self) -> set[str]: ...

    def export(self, entry_id: str) -> list[Path]: ...


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

    def _open(self, *, create: bool = True) -> Any:
        from sharewise.store import open_ledger

        return open_ledger(self.data_dir, create=create, on_wait=self.on_wait or _quiet)

    def save_decision(self, result: DecisionResult, details: RecordDetails) -> SavedRecord:
        with self._open() as ledger:
            ref = ledger.record_decision(result, details)
        return SavedRecord(ref.id, ref.seq, ref.hash)

    def save_emergency(self, details: RecordDetails) -> SavedRecord:
        """Filed without a decided result, so it works even when no tree could be loaded."""
        with self._open() as ledger:
            ref = ledger.record_emergency(details)
        return SavedRecord(ref.id, ref.seq, ref.hash)

    def complete(
        self, target_id: str, details: RecordDetails, result: DecisionResult | None = None
    ) -> SavedRecord:
        with self._open() as ledger:
            ref = ledger.complete(target_id, details, result)
        return SavedRecord(ref.id, ref.seq, ref.hash)

    def review(
        self, target_id: str, verdict: Verdict, reviewer: str, comment: str | None
    ) -> SavedRecord:
        with self._open() as ledger:
            ref = ledger.review(target_id, verdict, reviewer, comment)
        return SavedRecord(ref.id, ref.seq, ref.hash)

    def amend(self, target_id: str, details: RecordDetails) -> SavedRecord:
        with self._open() as ledger:
            ref = ledger.amend(target_id, details)
        return SavedRecord(ref.id, ref.seq, ref.hash)

    def entries(self, filters: Filters | None = None) -> list[Entry]:
        from sharewise.store import LedgerMissing

        try:
            ledger = self._open(create=False)  # don't create a ledger just to read it
        except LedgerMissing:
            return []
        with ledger:
            return list(ledger.entries(filters))

    def get(self, entry_id: str) -> Entry:
        with self._open(create=False) as ledger:
            entry: Entry = ledger.get(entry_id)
            return entry

    def completed_ids(self) -> set[str]:
        return {e.target for e in self.entries() if e.kind.value == "completion" and e.target}

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

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
    from sharewise.domain.graph import CompiledTree
    from sharewise.domain.record import Entry, RecordDetails
    from sharewise.domain.result import DecisionResult


@dataclass(frozen=True, slots=True)
class SavedRecord:
    """Where a new entry sits: what the confirmation screen shows."""

    id: str
    seq: int
    hash: str


class RecordStore(Protocol):
    """What the screens need from a ledger (a fake one stands in for snapshot tests)."""

    def save_decision(self, result: DecisionResult, details: RecordDetails) -> SavedRecord: ...

    def save_emergency(self, result: DecisionResult, details: RecordDetails) -> SavedRecord: ...

    def complete(self, target_id: str, details: RecordDetails) -> SavedRecord: ...

    def entries(self) -> list[Entry]: ...

    def get(self, entry_id: str) -> Entry: ...

    def completed_ids(self) -> set[str]: ...

    def export(self, entry_id: str) -> list[Path]: ...


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("sharewise", appauthor=False))


class LedgerStore:
    """The real ledger (SQLite in the data folder, or SHAREWISE_DATABASE_URL), opened per call."""

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None,
        on_wait: Callable[[], None] | None = None,
    ) -> None:
        self.data_dir = Path(data_dir) if data_dir else None
        # The store's default prints to stderr, which would scribble over the screen.
        self.on_wait = on_wait or (lambda: None)

    def _open(self, *, create: bool = True) -> Any:
        from sharewise.store import open_ledger

        return open_ledger(self.data_dir, create=create, on_wait=self.on_wait)

    def save_decision(self, result: DecisionResult, details: RecordDetails) -> SavedRecord:
        with self._open() as ledger:
            ref = ledger.record_decision(result, details)
        return SavedRecord(ref.id, ref.seq, ref.hash)

    def save_emergency(self, result: DecisionResult, details: RecordDetails) -> SavedRecord:
        with self._open() as ledger:
            ref = ledger.record_decision(result, details, emergency=True)
        return SavedRecord(ref.id, ref.seq, ref.hash)

    def complete(self, target_id: str, details: RecordDetails) -> SavedRecord:
        with self._open() as ledger:
            ref = ledger.complete(target_id, details)
        return SavedRecord(ref.id, ref.seq, ref.hash)

    def entries(self) -> list[Entry]:
        from sharewise.store import LedgerMissing

        try:
            ledger = self._open(create=False)  # don't create a ledger just to read it
        except LedgerMissing:
            return []
        with ledger:
            return list(ledger.entries())

    def get(self, entry_id: str) -> Entry:
        with self._open(create=False) as ledger:
            entry: Entry = ledger.get(entry_id)
            return entry

    def completed_ids(self) -> set[str]:
        return {e.target for e in self.entries() if e.kind.value == "completion" and e.target}

    def export(self, entry_id: str) -> list[Path]:
        """This one record as Markdown and JSON (the store's formats), private to this user."""
        from sharewise.store.export import export_to_string

        entry = self.get(entry_id)
        folder = (self.data_dir or default_data_dir()) / "exports"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        written = []
        for fmt in ("md", "json"):
            path = folder / f"record-{entry.id}.{fmt}"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(export_to_string([entry], fmt))
            written.append(path)
        return written


def emergency_result(tree: CompiledTree) -> DecisionResult:
    """The tree's own answer to "someone is in immediate danger", for an emergency record.

    The ledger stores a decided result with every decision entry; an emergency recorded
    mid-walk has none yet, so we ask the tree (not the UI) what "in danger: yes" decides.
    """
    from sharewise.domain.errors import InputError, Location, Problem
    from sharewise.domain.walk import Walk

    walk = Walk(tree)
    question = walk.question
    if question is not None and question.fact == "immediate_danger":
        walk.answer("yes")
    if not walk.finished:
        raise InputError(
            Problem(
                Location(tree.source),
                "this tree does not open with the immediate-danger question",
                "record the emergency with `sharewise decide --record` instead",
            )
        )
    return walk.result()

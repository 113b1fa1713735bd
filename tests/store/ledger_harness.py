"""Test harness: one interface over each backend, so the storage suite runs unchanged.

A harness opens ledgers, names them for other processes, and plays the attacker: it gets a
raw connection, drops the guards (triggers, foreign keys) as someone with the file or a
superuser would, and edits rows directly. SQL is written with `?` placeholders; the
PostgreSQL harness translates them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from sharewise.domain.record import RecordDetails
from sharewise.domain.result import DecisionResult, OutcomeView, Step, TreeRef
from sharewise.domain.tree import Decision, Law
from sharewise.store.ledger import Ledger

ROOT = Path(__file__).resolve().parents[2]
DETAILS_FILE = ROOT / "tests" / "fixtures" / "record-details.yaml"


def make_result(decision: Decision = Decision.SHARE, n: int = 0) -> DecisionResult:
    """A decided case, built directly so that store tests do not depend on any tree."""
    law = (
        Law(
            basis=["ukgdpr.art6.1e"],
            special_category=["ukgdpr.art9.2g"],
            supporting=["guidance.hmg2024"],
        )
        if decision.shares
        else Law(confidentiality=["common_law.confidence"])
    )
    return DecisionResult(
        decision=decision,
        outcome=OutcomeView(
            id=f"outcome_{decision.value}",
            decision=decision,
            title=f"Outcome {n}",
            summary="Summary of the outcome.",
            actions=["Do the first thing.", "Then this."],
            law=law,
        ),
        citations=law.all_ids(),
        path=[
            Step(
                node="danger",
                fact="immediate_danger",
                answer="no",
                question="Is anyone in immediate danger?",
                label="No",
            ),
            Step(
                node="identifiable",
                fact="identifiable",
                answer="yes",
                question="Does the information identify a living person?",
                label="Yes",
            ),
        ],
        tree=TreeRef(
            id="example",
            title="Example",
            version="1.0",
            law_as_at=dt.date(2026, 11, 1),
            sha256="ab" * 32,
        ),
    )


def make_details(case_ref: str = "CS-2026-00417", **changes: Any) -> RecordDetails:
    from sharewise.store.details import load_details

    details, _ = load_details(DETAILS_FILE)
    return details.model_copy(update={"case_ref": case_ref, **changes})


def fill(ledger: Ledger, n: int) -> list[str]:
    """Append `n` varied decision records; returns their ids."""
    decisions = list(Decision)
    ids = []
    for i in range(n):
        ref = ledger.record_decision(
            make_result(decisions[i % len(decisions)], i), make_details(f"CS-{i % 3}")
        )
        ids.append(ref.id)
    return ids


class Harness(Protocol):
    """What a backend must offer the suite."""

    name: str

    def open(self, **options: Any) -> Ledger: ...

    def spec(self) -> tuple[str, str]: ...

    def drop_guards(self) -> None: ...

    def cover_tracks(self) -> None:
        """After tampering, put back what a careful attacker would: the guards dropped, and
        (PostgreSQL) the head row at the last entry, so only the chain can tell."""

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]: ...

    def hold_write_lock(self) -> contextlib.AbstractContextManager[None]: ...

    def close(self) -> None: ...


def open_spec(spec: tuple[str, str], **options: Any) -> Ledger:
    """Open the ledger a harness named, from another process."""
    kind, where = spec
    if kind == "sqlite":
        from sharewise.store.sqlite import SQLiteBackend

        return Ledger(SQLiteBackend(where, **options))
    from sharewise.store.postgres import PostgresBackend

    return Ledger(PostgresBackend(where, **options))


class SQLiteHarness:
    name = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.path = folder / "ledger" / "ledger.sqlite3"
        self._raw: sqlite3.Connection | None = None

    def open(self, **options: Any) -> Ledger:
        from sharewise.store.sqlite import SQLiteBackend

        return Ledger(SQLiteBackend(self.path, **options))

    def spec(self) -> tuple[str, str]:
        return ("sqlite", str(self.path))

    @property
    def raw(self) -> sqlite3.Connection:
        if self._raw is None:
            self._raw = sqlite3.connect(self.path, isolation_level=None)
        return self._raw

    def drop_guards(self) -> None:
        self.raw.execute("PRAGMA foreign_keys=OFF")
        found = self.raw.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger'")
        self._dropped = found.fetchall()
        for name, _sql in self._dropped:
            self.raw.execute(f"DROP TRIGGER {name}")

    def cover_tracks(self) -> None:
        for _name, sql in getattr(self, "_dropped", []):
            self.raw.execute(sql)
        self._dropped = []

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.raw.execute(statement, params).fetchall()]

    @contextlib.contextmanager
    def hold_write_lock(self) -> Iterator[None]:
        other = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            other.execute("BEGIN IMMEDIATE")
            yield
            other.execute("ROLLBACK")
        finally:
            other.close()

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()


def append_many(spec: tuple[str, str], n: int, barrier: Any, worker: int) -> None:
    """A writer process: wait for the others, then append `n` records as fast as it can."""
    with open_spec(spec, lock_timeout=60) as ledger:
        barrier.wait()
        for i in range(n):
            ledger.record_decision(make_result(n=i), make_details(f"W{worker}-{i}"))


def append_forever(spec: tuple[str, str]) -> None:
    """A writer that is killed from outside at a random moment.

    It prints a line once its first entry is in, so that the test kills it while it is
    writing rather than while Python is still starting up (on a loaded machine that can take
    longer than the test's random delay).
    """
    with open_spec(spec, lock_timeout=60) as ledger:
        i = 0
        while True:
            ledger.record_decision(make_result(n=i), make_details(f"K-{i}"))
            if i == 0:
                print("appending", flush=True)
            i += 1

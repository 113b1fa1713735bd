"""A throwaway PostgreSQL cluster for the storage suite, and its harness.

The cluster is made with `initdb` in a temporary folder and listens only on a unix socket
there. PostgreSQL refuses to run as root, so under root (as in CI containers) the server
runs as the `postgres` system user. Without server binaries the PostgreSQL half of the
suite is skipped, saying why.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sharewise.store.ledger import Ledger


def _bin_dir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
    for folder in reversed(candidates):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class Cluster:
    """One server for the whole session; each test gets a database of its own."""

    def __init__(self, folder: Path, bin_dir: Path, run_as: list[str]) -> None:
        self.folder = folder
        self.bin = bin_dir
        self.run_as = run_as
        self.admin = f"host={folder} port=5432 user=sw_admin dbname=postgres"

    @classmethod
    def start(cls, _unused: Path) -> Cluster:
        bin_dir = _bin_dir()
        if bin_dir is None:
            pytest.skip(
                "no PostgreSQL server binaries (initdb, pg_ctl) found: install the "
                "`postgresql` package to run the storage suite against PostgreSQL"
            )
        folder = Path(tempfile.mkdtemp(prefix="sharewise-pg-"))
        run_as: list[str] = []
        if os.geteuid() == 0:
            import pwd

            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no `postgres` user to run the server")
            os.chown(folder, user.pw_uid, user.pw_gid)
            run_as = ["runuser", "-u", "postgres", "--"]
        cluster = cls(folder, bin_dir, run_as)
        data = folder / "data"
        cluster._run(
            "initdb",
            "-D",
            str(data),
            "-U",
            "sw_admin",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        cluster._run(
            "pg_ctl",
            "-D",
            str(data),
            "-l",
            str(folder / "log"),
            "-w",
            "start",
            "-o",
            f"-k {folder} -c listen_addresses='' -c fsync=off -c max_connections=60",
        )
        return cluster

    def _run(self, tool: str, *args: str) -> None:
        result = subprocess.run(
            [*self.run_as, str(self.bin / tool), *args],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed: {result.stderr.strip()[-500:]}")

    def new_database(self) -> str:
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
        return f"host={self.folder} port=5432 user=sw_admin dbname={name}"

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def write_as_schema_2_did(patch: pytest.MonkeyPatch) -> None:
    """Append as sharewise did before schema 3 (head locked with SELECT ... FOR UPDATE and
    moved by the client), to make a ledger of an older schema with this code."""
    from sharewise.store.base import Head
    from sharewise.store.postgres import PostgresBackend

    original = PostgresBackend._insert

    def locked_head(self: PostgresBackend) -> Head:
        found = self.connection.execute("SELECT seq, hash FROM head FOR UPDATE").fetchone()
        return Head(int(found[0]), str(found[1]))

    def insert(self: PostgresBackend, entry: Any) -> None:
        original(self, entry)
        self.connection.execute(
            "UPDATE head SET seq = %s, hash = %s", (entry.row.seq, entry.row.hash)
        )

    patch.setattr(PostgresBackend, "_locked_head", locked_head)
    patch.setattr(PostgresBackend, "_insert", insert)


class PostgresHarness:
    name = "postgres"

    def __init__(self, cluster: Cluster) -> None:
        self.url = cluster.new_database()
        self._raw: Any = None

    def open(self, **options: Any) -> Ledger:
        from sharewise.store.postgres import PostgresBackend

        return Ledger(PostgresBackend(self.url, **options))

    def spec(self) -> tuple[str, str]:
        return ("postgres", self.url)

    @property
    def raw(self) -> Any:
        if self._raw is None:
            import psycopg

            self._raw = psycopg.connect(self.url, autocommit=True)
        return self._raw

    def drop_guards(self) -> None:
        self._dropped: list[str] = []
        for table in ("entries", "personal", "meta", "trees", "head"):
            found = self.raw.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger"
                " WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                (table,),
            ).fetchall()
            for name, definition in found:
                self.raw.execute(f"DROP TRIGGER {name} ON {table}")
                self._dropped.append(definition)
        for name in ("personal_seq_fkey", "personal_erased_shape"):
            found = self.raw.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s", (name,)
            ).fetchone()
            if found is not None:
                self.raw.execute(f"ALTER TABLE personal DROP CONSTRAINT {name}")
                self._dropped.append(
                    f"ALTER TABLE personal ADD CONSTRAINT {name} {found[0]} NOT VALID"
                )

    def cover_tracks(self) -> None:
        self.raw.execute(
            "UPDATE head SET seq = COALESCE((SELECT MAX(seq) FROM entries), 0), hash ="
            " COALESCE((SELECT hash FROM entries ORDER BY seq DESC LIMIT 1), repeat('0', 64))"
        )
        for definition in getattr(self, "_dropped", []):
            self.raw.execute(definition)
        self._dropped = []

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        cursor = self.raw.execute(statement.replace("?", "%s"), params or None)
        if cursor.description is None:
            return []
        return [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in r)
            for r in cursor.fetchall()
        ]

    @contextlib.contextmanager
    def hold_write_lock(self) -> Iterator[None]:
        import psycopg

        other = psycopg.connect(self.url)
        try:
            other.execute("SELECT seq FROM head FOR UPDATE")
            yield
            other.rollback()
        finally:
            other.close()

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()

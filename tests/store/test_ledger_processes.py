"""Several processes at once, and a writer killed mid-write: no loss, no gaps, no damage."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from ledger_harness import Harness, append_many

from sharewise.store.verify import verify

HERE = Path(__file__).parent


def test_three_processes_append_at_once(harness: Harness) -> None:
    with harness.open() as ledger:  # created before the race, as on any real machine
        assert ledger.count() == 0
    ctx = multiprocessing.get_context("spawn")  # never fork: a forked connection is shared
    barrier = ctx.Barrier(3)
    per_worker = 25
    workers = [
        ctx.Process(target=append_many, args=(harness.spec(), per_worker, barrier, w))
        for w in range(3)
    ]
    for p in workers:
        p.start()
    for p in workers:
        p.join(timeout=120)
    assert [p.exitcode for p in workers] == [0, 0, 0]
    with harness.open() as ledger:
        entries = list(ledger.entries())
        report = verify(ledger.backend)
    assert report.intact, report.breaks
    assert [e.seq for e in entries] == list(range(1, 3 * per_worker + 1))
    cases = {e.details.case_ref for e in entries if e.details}
    assert cases == {f"W{w}-{i}" for w in range(3) for i in range(per_worker)}


def test_writer_killed_at_random_moments(harness: Harness) -> None:
    rng = random.Random(20261129)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from ledger_harness import append_forever; append_forever((sys.argv[2], sys.argv[3]))"
    )
    with harness.open() as ledger:
        assert ledger.count() == 0
    previous = 0
    deadline = time.monotonic() + 20
    rounds = 0
    while rounds < 6 or (rounds < 12 and time.monotonic() < deadline):
        child = subprocess.Popen(
            [sys.executable, "-c", code, str(HERE), *harness.spec()],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        # Wait for its first entry (a slow start is not what this test is about), then
        # kill it at a random moment of its writing.
        assert child.stdout is not None
        started = child.stdout.readline()
        assert started == b"appending\n", child.stderr.read() if child.stderr else ""
        child.stdout.close()
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
        if child.stderr:
            child.stderr.close()
        with harness.open() as ledger:
            count = ledger.count()
            report = verify(ledger.backend)
        assert report.intact, report.breaks
        assert count >= previous
        previous = count
        rounds += 1
    assert rounds >= 6 and previous >= rounds

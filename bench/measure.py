"""Measuring child processes: wall time and peak RSS per run, interleaved with a baseline.

These machines are noisy, so no figure stands alone: each target is run alternately with its
baseline (A B A B ...), after warm-up runs, and the median of each is compared. Peak memory
comes from `wait4`, which reports the resource usage of exactly the child that ended.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"


class NotAvailable(Exception):
    """A figure cannot be measured yet (a file or feature it needs has not landed)."""


@dataclass(frozen=True, slots=True)
class Run:
    """One finished child: wall seconds, peak resident memory (KiB) and exit status."""

    seconds: float
    max_rss_kib: int
    returncode: int
    #: CPU time (user + system): what a figure in absolute units is judged by on a shared
    #: machine, where wall time depends on everyone else's load.
    cpu_seconds: float = 0.0


@dataclass
class Series:
    """Repeated runs of one command."""

    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def spread(self) -> float:
        """Interquartile range over the median: how noisy this series was."""
        times = sorted(r.seconds for r in self.runs)
        if len(times) < 4:
            return 0.0
        q = statistics.quantiles(times, n=4)
        return (q[2] - q[0]) / self.median if self.median else 0.0

    @property
    def peak_rss_kib(self) -> int:
        return max(r.max_rss_kib for r in self.runs)


def sharewise_command() -> list[str]:
    """The installed console script beside this interpreter, as a practitioner runs it."""
    script = Path(sys.executable).with_name("sharewise")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "sharewise"]


def child_env(
    data_dir: Path | None = None, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment for a measured child: a private data folder, no database URL."""
    env = dict(os.environ)
    env.pop("SHAREWISE_DATABASE_URL", None)
    env["SHAREWISE_DATA_DIR"] = str(data_dir or (WORK / "empty-data"))
    # The tree cache in a folder of the benchmark's own, emptied at the start of each run and
    # filled by the warm-up runs, so the user's cache (or its absence) changes nothing.
    env["SHAREWISE_CACHE_DIR"] = str(WORK / "cache")
    env.setdefault("TERM", "xterm-256color")
    if extra:
        env.update(extra)
    return env


# Runs in a small interpreter of its own (no site, a few MiB): starts the command, reaps it
# and prints its wall time, peak RSS and exit status. The peak must be read this way: a child
# forked from the runner itself would report the runner's own (large) high-water mark, which
# Linux carries across exec.
_LAUNCHER = """
import os, signal, sys, time
out, limit, given, argv = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4:]
fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
actions = [(os.POSIX_SPAWN_DUP2, fd, 1), (os.POSIX_SPAWN_CLOSE, fd)]
if given:
    actions.append((os.POSIX_SPAWN_OPEN, 0, given, os.O_RDONLY, 0))
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
if limit > 0:
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.perf_counter() - start > limit:
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.02)
else:
    _, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
print(seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status),
      usage.ru_utime + usage.ru_stime)
"""


def run_once(
    argv: Sequence[str],
    env: Mapping[str, str] | None = None,
    *,
    stdout: Path | None = None,
    stdin: Path | None = None,
    check: bool = True,
    limit: float = 0.0,
) -> Run:
    """Run `argv` to completion: its wall time from spawn to reaping, and its peak RSS.

    With `limit` (seconds), a child still running then is killed (exit status -9): a
    regression that makes a command ten times slower must not hold the whole run hostage.
    `stdin` is a file the child reads as its standard input (the keys a person would type).
    """
    given = str(stdin) if stdin is not None else ""
    launcher = [
        sys.executable, "-S", "-c", _LAUNCHER, str(stdout or os.devnull), str(limit), given, *argv
    ]  # fmt: skip
    done = subprocess.run(
        launcher, stdin=subprocess.DEVNULL, capture_output=True, env=env, check=False
    )
    try:
        seconds, rss, code, cpu = done.stdout.decode().split()
    except ValueError:
        raise RuntimeError(f"the launcher failed: {done.stderr.decode(errors='replace')}") from None
    if check and int(code) != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise RuntimeError(f"`{' '.join(argv[-4:])}` exited {code}: " + " / ".join(tail))
    # Linux reports ru_maxrss in KiB.
    return Run(float(seconds), int(rss), int(code), float(cpu))


def compare(
    target: Sequence[str],
    baseline: Sequence[str],
    *,
    repeats: int,
    warmup: int = 2,
    env: Mapping[str, str] | None = None,
    baseline_env: Mapping[str, str] | None = None,
    stdin: Path | None = None,
) -> tuple[Series, Series]:
    """Run target and baseline alternately `repeats` times each (after warm-up runs); the
    target reads `stdin` if given."""
    tgt, base = Series(), Series()
    benv = baseline_env if baseline_env is not None else env
    for _ in range(warmup):
        run_once(target, env, stdin=stdin)
        run_once(baseline, benv)
    for i in range(repeats):
        # Alternate which goes first, so neither always follows the other.
        if i % 2:
            base.runs.append(run_once(baseline, benv))
            tgt.runs.append(run_once(target, env, stdin=stdin))
        else:
            tgt.runs.append(run_once(target, env, stdin=stdin))
            base.runs.append(run_once(baseline, benv))
    return tgt, base


def paired_ratio(target: Series, baseline: Series) -> float:
    """The median of target/baseline over runs made side by side.

    Each target run is divided by the baseline run made next to it, so a burst of load that
    slows both cancels out; on a quiet machine this equals the ratio of the medians.
    """
    pairs = [t.seconds / b.seconds for t, b in zip(target.runs, baseline.runs, strict=True)]
    return statistics.median(pairs)


def repeat(argv: Sequence[str], *, repeats: int, warmup: int = 1, **kw: object) -> Series:
    """Run one command `repeats` times after warm-up."""
    series = Series()
    for _ in range(warmup):
        run_once(argv, **kw)  # type: ignore[arg-type]
    for _ in range(repeats):
        series.runs.append(run_once(argv, **kw))  # type: ignore[arg-type]
    return series


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sqlite3

    return {
        "cores": str(os.cpu_count() or "?"),
        "cpu": model,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "os": f"{platform.system()} {platform.release()}",
    }


def compile_package() -> None:
    """Write the package's bytecode, as installing it does (pip compiles every module).

    Without it, a machine that sets PYTHONDONTWRITEBYTECODE (these do) would compile every
    sharewise module from source on every run while the libraries it is compared with load
    their installed bytecode: start-up figures would measure the compiler, not sharewise.
    """
    import compileall

    compileall.compile_dir(str(ROOT / "sharewise"), quiet=1)


def fresh_dir(name: str) -> Path:
    """An empty folder under bench/.work (removed first if it exists)."""
    path = WORK / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def together(target: Callable[..., None], args: Sequence[tuple[object, ...]]) -> float:
    """Seconds from the moment every process started with `target(*one, barrier)` (one per
    tuple in `args`, spawned, each waiting at the barrier once ready) has been let go, to
    the last one's end: what concurrent writers cost, without their start-up."""
    import multiprocessing
    import time

    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(args) + 1)
    procs = [ctx.Process(target=target, args=(*one, barrier)) for one in args]
    for p in procs:
        p.start()
    barrier.wait()
    started = time.perf_counter()
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started
    if any(p.exitcode for p in procs):
        raise SystemExit("a writer failed")
    return elapsed

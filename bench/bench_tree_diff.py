"""`tree diff OLD NEW --ledger` over the England tree and a ledger of 100,000 records.

OLD is the shipped England tree; NEW is the same tree with one piece of guidance cited in
place of another throughout (as a guidance update would), so that many paths and records
change and the grouping and reporting are exercised, not only the replay. The ledger is the
one `bench_records` builds (the store's own API, results of real walks of the tree), shared
through bench/.work.

The baseline, in the same run, reads every stored result with sqlite3 alone, parses it and
collects its answers: the least any replay of a ledger must do, before deciding anything.
It prints a count, not the report, so the ratio is the price of deciding every path,
scenario and record on two trees and grouping the changes.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from bench.figures import Figure, attempt, mib, ms
from bench.measure import ROOT, WORK, Run, child_env, run_once, sharewise_command

SIZE = 100_000
_FROM, _TO = "guidance.hmg2024", "guidance.wt2023"

_RAW = """
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
seen = {}
for (body,) in c.execute("SELECT body FROM entries WHERE kind IN"
                         " ('decision', 'emergency', 'completion') ORDER BY seq"):
    result = json.loads(body)["data"].get("result")
    if result:
        key = frozenset((s["fact"], s["answer"]) for s in result["path"])
        seen[key] = seen.get(key, 0) + 1
print(len(seen), sum(seen.values()))
"""


def _trees() -> tuple[Path, Path]:
    old = ROOT / "decision_trees" / "england.yaml"
    new = WORK / "england-changed.yaml"
    text = old.read_text(encoding="utf-8")
    if _FROM not in text:
        from bench.measure import NotAvailable

        raise NotAvailable(f"the England tree no longer cites {_FROM}")
    new.write_text(text.replace(_FROM, _TO), encoding="utf-8")
    return old, new


def _alternate(target: list[str], baseline: list[str], env: dict[str, str], repeats: int) -> tuple[
    list[Run], list[Run]
]:  # fmt: skip
    """As `measure.compare`, but `tree diff` exits 1 when something changed, as it will here."""
    tgt: list[Run] = []
    base: list[Run] = []
    if repeats > 1:  # warm-up: the tree cache, the page cache (a smoke run skips it)
        run_once(target, env, check=False)
        run_once(baseline, env)
    for i in range(repeats):
        pair = [(tgt, target, False), (base, baseline, True)]
        for into, argv, check in reversed(pair) if i % 2 else pair:
            into.append(run_once(argv, env, check=check))
    codes = {r.returncode for r in tgt}
    if codes != {1}:
        raise RuntimeError(f"tree diff exited {codes}, expected 1 (changes found)")
    return tgt, base


def measure(repeats: int, size: int) -> list[Figure]:
    from bench.bench_records import ledger_dir
    from sharewise.store import ledger_path

    old, new = _trees()
    data = ledger_dir(size)
    env = child_env(data)
    target = [*sharewise_command(), "tree", "diff", str(old), str(new), "--ledger", "--json"]
    baseline = [sys.executable, "-c", _RAW, str(ledger_path(data))]
    tgt, base = _alternate(target, baseline, env, repeats)
    median = statistics.median(r.seconds for r in tgt)
    ratio = statistics.median(t.seconds / b.seconds for t, b in zip(tgt, base, strict=True))
    peak = max(r.max_rss_kib for r in tgt)
    return [
        Figure(
            f"`tree diff --ledger`: England tree, {size:,} records",
            ms(median),
            f"reading and parsing every stored result with sqlite3 alone "
            f"{ms(statistics.median(r.seconds for r in base))}",
            ratio,
            "< 3x the read alone",
            ratio < 3,
        ),
        Figure(
            f"peak memory of `tree diff --ledger` at {size:,} records",
            mib(peak),
            note="unchanged records are not kept; distinct answers are decided once",
        ),
    ]


def main(repeats: int = 3, size: int = SIZE) -> list[Figure]:
    WORK.mkdir(parents=True, exist_ok=True)
    return attempt("`tree diff --ledger`", "< 3x the read alone", lambda: measure(repeats, size))

"""`make bench`: run every benchmark and write the table in docs/performance.md.

It exits 1, naming each one, when any goal is missed or any figure could not be measured, so
that a regression fails loudly instead of only changing a cell in the table.

Each section runs on its own: one that cannot run yet (a file not landed) or fails reports
that in its row instead of stopping the others. The table goes between the two markers in
docs/performance.md; everything outside them is written by hand and kept as it is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import inspect
import os
import shutil
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench.figures import Figure, ratio_text
from bench.measure import ROOT, WORK, NotAvailable, compile_package, machine

DOC = ROOT / "docs" / "performance.md"
BEGIN = "<!-- bench:begin (written by `make bench`; edit outside these markers) -->"
END = "<!-- bench:end -->"

#: (section, module, its `main` keyword arguments for a full run and for a smoke run)
SECTIONS: tuple[tuple[str, str, dict[str, object], dict[str, object]], ...] = (
    ("cli", "bench.bench_cli", {"repeats": 7}, {"repeats": 1}),
    ("tui", "bench.bench_tui", {"repeats": 7}, {"repeats": 1}),
    ("ledger", "bench.ledger_figures", {}, {"quick": True}),
    ("records", "bench.bench_records", {"repeats": 2}, {"repeats": 1, "sizes": (20, 60)}),
    ("tree diff", "bench.bench_tree_diff", {"repeats": 3}, {"repeats": 1, "size": 60}),
    ("dashboard", "bench.bench_dashboard", {"repeats": 3}, {"repeats": 1, "size": 60}),
    (
        "changing",
        "bench.bench_changing",
        {"repeats": 3},
        {"repeats": 1, "size": 60, "attempts": 60},
    ),
)


def _section(name: str, module: str, kwargs: dict[str, object]) -> list[Figure]:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return [Figure.unavailable(f"{name} benchmarks", "", f"{module} has not landed")]
    main: Callable[..., list[Figure] | list[dict[str, object]]] = mod.main
    # Pass only the settings this module's `main` takes; it runs the rest at its own sizes.
    accepted = inspect.signature(main).parameters
    found = main(**{k: v for k, v in kwargs.items() if k in accepted})
    return [f if isinstance(f, Figure) else Figure(**f) for f in found]  # type: ignore[arg-type]


def collect(sections: list[str], quick: bool) -> list[Figure]:
    figures: list[Figure] = []
    for name, module, full, smoke in SECTIONS:
        if sections and name not in sections:
            continue
        # What the previous section wrote (ledgers, exports, half a gigabyte of batch
        # output) goes to disk now, not during this section's timings.
        if hasattr(os, "sync"):
            os.sync()
        start = time.perf_counter()
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        try:
            got = _section(name, module, smoke if quick else full)
        except NotAvailable as exc:
            got = [Figure.unavailable(f"{name} benchmarks", "", str(exc))]
        except Exception as exc:
            traceback.print_exc()
            got = [Figure(f"{name} benchmarks", "-", note=f"failed: {exc}")]
        for figure in got:
            print(
                f"  {figure.name}: {figure.value} {ratio_text(figure.ratio)} {figure.verdict}",
                file=sys.stderr,
            )
        print(f"bench: {name} took {time.perf_counter() - start:.0f} s", file=sys.stderr)
        figures.append(Figure(f"__section__{name}", ""))
        figures.extend(got)
    return figures


def table(figures: list[Figure], seconds: float, load: tuple[float, float] | None = None) -> str:
    m = machine()
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    busy = (
        f" Load average (1 min) {load[0]:.1f} at the start and {load[1]:.1f} at the end: "
        "figures in seconds grow with it, ratios much less."
        if load
        else ""
    )
    lines = [
        BEGIN,
        "",
        f"Measured {now} on {m['cores']} cores ({m['cpu']}), Python {m['python']}, "
        f"SQLite {m['sqlite']}, {m['os']}; the run took {seconds:.0f} s.{busy}",
        "",
        "| Figure | Value | Baseline (same run) | Ratio | Goal | Verdict | Notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        if f.name.startswith("__section__"):
            continue
        cells = [f.name, f.value, f.baseline, ratio_text(f.ratio), f.goal, f.verdict, f.note]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += ["", END]
    return "\n".join(lines)


def write_doc(block: str, path: Path = DOC) -> None:
    """Replace the marked block in the document, or start the document if there is none."""
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            tail = rest.split(END, 1)[1]
            path.write_text(head + block + tail, encoding="utf-8")
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Performance\n\nHow fast sharewise is, measured by `make bench` (see `bench/`).\n\n"
        + block
        + "\n",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("sections", nargs="*", help="only these (cli, tui, ledger, records)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one repeat: a smoke run")
    parser.add_argument("--no-write", action="store_true", help="print the table, do not write")
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(WORK / "cache", ignore_errors=True)  # the run fills its own tree cache
    compile_package()
    start, load_before = time.perf_counter(), os.getloadavg()[0]
    figures = collect(args.sections, args.quick)
    block = table(figures, time.perf_counter() - start, (load_before, os.getloadavg()[0]))
    if args.no_write or args.quick or args.sections:
        print(block)
    else:
        write_doc(block)
        print(f"bench: wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    missed = [f for f in figures if f.met is False]
    failed = [f for f in figures if f.note.startswith("failed")]
    for f in missed:
        print(f"bench: GOAL MISSED: {f.name}: {f.value} ({ratio_text(f.ratio)}; goal {f.goal})",
              file=sys.stderr)  # fmt: skip
    for f in failed:
        print(f"bench: FAILED: {f.name}: {f.note}", file=sys.stderr)
    if missed or failed:
        print(f"bench: {len(missed)} goal(s) missed, {len(failed)} figure(s) failed",
              file=sys.stderr)  # fmt: skip
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

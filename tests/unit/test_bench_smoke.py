"""The benchmark runner's pieces import and run at tiny sizes (no timing is asserted here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench import bench_records, ledger_figures, run
from bench.figures import Figure
from bench.measure import child_env, compare, run_once, sharewise_command


def test_a_child_is_timed_and_its_own_peak_memory_read() -> None:
    ballast = bytearray(64 * 2**20)  # the runner's memory must not show up as the child's
    done = run_once([sys.executable, "-c", "pass"])
    assert done.returncode == 0 and done.seconds > 0
    assert 0 < done.max_rss_kib < 48 * 1024
    del ballast


def test_target_and_baseline_alternate(tmp_path: Path) -> None:
    env = child_env(tmp_path)
    tgt, base = compare(
        [*sharewise_command(), "--version"], [sys.executable, "-c", "pass"], repeats=2, warmup=0,
        env=env,
    )  # fmt: skip
    assert len(tgt.runs) == len(base.runs) == 2 and tgt.median > 0


def test_a_tiny_ledger_is_built_through_the_store(tmp_path: Path) -> None:
    assert bench_records.build(tmp_path, 5) > 0
    rss, seconds = bench_records.peak(["records", "verify"], tmp_path, 1)
    assert rss > 0 and seconds > 0


def test_the_ledger_helpers_numbers_become_rows() -> None:
    raw = {"append_per_s_1_writer": 900.0, "append_per_s_4_writers": 1900.0, "writers": 4}
    rows = ledger_figures.figures(raw, floor=1000.0)
    assert [r.met for r in rows] == [None, None, True]
    assert rows[2].ratio is not None and round(rows[2].ratio, 2) == 2.11
    slow = ledger_figures.figures({**raw, "append_per_s_4_writers": 1000.0}, floor=1000.0)
    assert slow[2].met is False


def test_the_plain_writers_ratios_are_reported_beside_ours() -> None:
    raw = {
        "append_per_s_1_writer": 900.0, "append_per_s_4_writers": 1900.0, "writers": 4,
        "plain_group_ratio": 3.5, "plain_group_ratios": [3.5], "plain_full_ratio": 0.9,
    }  # fmt: skip
    rows = ledger_figures.figures(raw, floor=1000.0)
    assert [r.met for r in rows] == [None, None, True, None, None]
    assert [r.value for r in rows[3:]] == ["3.50x", "0.90x"]
    assert "with a group sync 3.50x" in rows[2].note


def test_a_missed_goal_fails_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    missed = [Figure("x", "9 ms", "y 1 ms", 9.0, "≤ 2x", False)]
    monkeypatch.setattr(run, "collect", lambda sections, quick: missed)
    assert run.main(["cli", "--no-write"]) == 1
    monkeypatch.setattr(run, "collect", lambda sections, quick: [Figure("x", "1 ms", met=True)])
    assert run.main(["cli", "--no-write"]) == 0


def test_every_ledger_floor_gives_the_commands_output() -> None:
    """At a tiny size the floors run and agree with the commands byte for byte (or, for the
    audit report, in the counts)."""
    figures = bench_records.main(repeats=1, sizes=(40, 80))
    problems = [f.note for f in figures if "differ" in f.note or f.note.startswith("failed")]
    assert problems == []
    assert sum("same output" in f.note for f in figures) >= 6


def test_the_table_replaces_only_the_marked_block(tmp_path: Path) -> None:
    doc = tmp_path / "performance.md"
    block = run.table([Figure("x", "1 ms", "y 1 ms", 1.0, "≤ 3x", True)], 1.0)
    run.write_doc(block, doc)
    doc.write_text(doc.read_text() + "\n## Method\n\nhand-written\n")
    run.write_doc(run.table([Figure.unavailable("z", "≤ 1.5x", "later")], 2.0), doc)
    text = doc.read_text()
    assert "hand-written" in text and "not available yet: later" in text
    assert "| x |" not in text and text.count(run.BEGIN) == 1


def test_the_tree_diff_benchmark_runs_at_a_tiny_size() -> None:
    from bench import bench_tree_diff

    figures = bench_tree_diff.main(repeats=1, size=20)
    assert [f.note for f in figures if f.note.startswith("not available")] == []
    assert figures[0].ratio is not None and figures[0].ratio > 0


def test_a_child_reads_the_keys_given_as_its_standard_input(tmp_path: Path) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text("first\nsecond\n")
    out = tmp_path / "out.txt"
    script = "import sys; print(sys.stdin.read().upper(), end='')"
    done = run_once([sys.executable, "-c", script], stdout=out, stdin=keys)
    assert done.returncode == 0 and out.read_text() == "FIRST\nSECOND\n"


def test_the_training_floor_counts_what_the_trainers_summary_counts(tmp_path: Path) -> None:
    """The floor of `train report` must do the same counting, or its ratio means nothing."""
    import json
    import subprocess

    from bench import bench_changing
    from sharewise.domain.session import summarise
    from sharewise.store.training import read_attempts

    path = bench_changing.build_session(tmp_path, 40)
    attempts = read_attempts(path).attempts
    assert len(attempts) == 40
    assert any(not a.same_decision for a in attempts)  # some trainees went wrong
    floor = subprocess.run(
        [sys.executable, "-c", bench_changing.FLOOR_TRAINING, str(path), bench_changing.SESSION],
        capture_output=True, check=True, text=True,
    )  # fmt: skip
    got = json.loads(floor.stdout)
    summary = summarise(bench_changing.SESSION, attempts)
    assert got["decisions"] == {s.scenario: s.same_decision for s in summary.scenarios}
    assert got["law"] == {s.scenario: s.same_law for s in summary.scenarios}
    differed = sum(1 for s in summary.scenarios for q in s.questions if q.differed)
    assert got["differed"] == differed

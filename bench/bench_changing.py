"""What later features cost (issue 17: they join the page with floors of their own).

- **Reassessment** (`walk --plain --from ID`) on a ledger of 100,000 records: the earlier
  record is found by its id, its answers are offered one by one (Enter keeps each), the
  outcome says what changed; the practitioner declines to file. The floor reads the same
  record by id with sqlite3 and orjson and writes the same output bytes: everything else
  (loading the tree, deciding, comparing) is the feature's price.
- **A case's timeline** (`records list --case REF --timeline`) at 100,000 records, against
  the same query with sqlite3 alone, as `records list --case` is measured.
- **The trainer's summary** (`train report SESSION --format json`) of a session of 2,000
  attempts made by the real training code on the shipped scenarios (each trainee answers as
  the scenario does, but for one answer in three attempts). The floor reads the session file
  with orjson and makes the same counts (per scenario, first attempts reaching the model
  decision and the model law; per question, answers that differ), counters only.

None has a goal in the issues yet; each ratio is reported so a regression shows.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

from bench.figures import Figure, attempt, mib, ms
from bench.measure import (
    WORK,
    child_env,
    compare,
    fresh_dir,
    paired_ratio,
    run_once,
    sharewise_command,
)

LEDGER = 100_000
ATTEMPTS = 2_000
SESSION = "Bench session"

FLOOR_BY_ID = """
import sqlite3, sys, orjson
c = sqlite3.connect(sys.argv[1])
row = c.execute("SELECT e.body, p.data FROM entries e LEFT JOIN personal p ON p.seq = e.seq"
                " WHERE e.id = ?", (sys.argv[2],)).fetchone()
answers = orjson.loads(row[0])["data"]["result"]["path"]
sys.stdout.buffer.write(open(sys.argv[3], "rb").read())
"""

FLOOR_TIMELINE = """
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for r in c.execute("SELECT e.seq, e.id, e.kind, e.created, e.decision, e.target, p.data"
                   " FROM entries e LEFT JOIN personal p ON p.seq = e.seq"
                   " WHERE p.case_ref = ? ORDER BY e.seq", (sys.argv[2],)):
    print(*r)
"""

FLOOR_TRAINING = """
import sys, orjson
from collections import Counter
firsts = {}
for line in open(sys.argv[1], "rb"):
    a = orjson.loads(line)
    if a.get("session") != sys.argv[2]:
        continue
    key = (a["trainee"].casefold(), a["scenario"])
    if key not in firsts or a["at"] < firsts[key]["at"]:
        firsts[key] = a
same_decision, same_law, differed, answered = Counter(), Counter(), Counter(), Counter()
wrong = Counter()
for (who, sid), a in firsts.items():
    t, m = a["trainee_ending"], a["model_ending"]
    same_decision[sid] += t["decision"] == m["decision"]
    same_law[sid] += set(t["citations"]) == set(m["citations"])
    for ans in a["answers"]:
        if ans["given"] is None:
            continue
        answered[sid, ans["fact"]] += 1
        if ans["model"] is not None and ans["given"] != ans["model"]:
            differed[sid, ans["fact"]] += 1
            wrong[sid, ans["fact"], ans["given_label"]] += 1
print(orjson.dumps({"decisions": same_decision, "law": same_law,
                    "answered": len(answered), "differed": len(differed),
                    "wrong": len(wrong)}, option=orjson.OPT_NON_STR_KEYS).decode())
"""


def _an_early_decision(data: Path) -> tuple[str, str]:
    """(id, case reference) of the first decision in the ledger that has a whole path."""
    import sqlite3

    import orjson

    from sharewise.store import ledger_path

    conn = sqlite3.connect(ledger_path(data))
    try:
        for id_, body, case in conn.execute(
            "SELECT e.id, e.body, p.case_ref FROM entries e JOIN personal p ON p.seq = e.seq"
            " WHERE e.kind = 'decision' ORDER BY e.seq LIMIT 200"
        ):
            if orjson.loads(body)["data"].get("result"):
                return id_, case
    finally:
        conn.close()
    from bench.measure import NotAvailable

    raise NotAvailable("no decision with a decided path in the first 200 entries")


def reassess(size: int, repeats: int) -> list[Figure]:
    from bench.bench_records import ledger_dir
    from sharewise.store import ledger_path

    data = ledger_dir(size)
    env = child_env(data)
    entry_id, case = _an_early_decision(data)
    keys = fresh_dir("reassess") / "keys.txt"
    # Enter keeps each earlier answer; "no" declines to file at the end.
    keys.write_text("\n" * 40 + "no\n", encoding="utf-8")
    expected = keys.with_name("out.txt")
    target = [*sharewise_command(), "walk", "--plain", "--from", entry_id]
    run_once(target, env, stdout=expected, stdin=keys)
    floor = [sys.executable, "-c", FLOOR_BY_ID, str(ledger_path(data)), entry_id, str(expected)]
    tgt, base = compare(target, floor, repeats=repeats, warmup=1, env=env, stdin=keys)
    figures = [
        Figure(
            f"reassessment (`walk --plain --from ID`, every answer kept) at {size:,} records",
            ms(tgt.median),
            f"the record read by id with sqlite3 and orjson, the same output bytes written: "
            f"{ms(base.median)}",
            paired_ratio(tgt, base),
            "(reported)",
            note=f"peak {mib(tgt.peak_rss_kib)}; {repeats} pairs",
        )
    ]
    timeline = [*sharewise_command(), "records", "list", "--case", case, "--timeline"]
    raw = [sys.executable, "-c", FLOOR_TIMELINE, str(ledger_path(data)), case]
    tgt, base = compare(timeline, raw, repeats=repeats, warmup=1, env=env)
    figures.append(
        Figure(
            f"case timeline (`records list --case REF --timeline`) at {size:,} entries",
            ms(tgt.median),
            f"same query with sqlite3 alone {ms(base.median)}",
            paired_ratio(tgt, base),
            "(reported)",
            note=f"peak {mib(tgt.peak_rss_kib)}; {repeats} pairs",
        )
    )
    return figures


def build_session(data: Path, count: int) -> Path:
    """A session file of `count` attempts written by the training code itself."""
    from sharewise import paths
    from sharewise.domain.decide import decide
    from sharewise.domain.errors import InputError
    from sharewise.domain.graph import load_tree
    from sharewise.domain.scenarios import load_scenario, scenario_files
    from sharewise.domain.session import make_attempt
    from sharewise.domain.training import debrief
    from sharewise.store.training import SessionFiles, training_folder

    tree = load_tree(paths.default_tree_path())
    scenarios = [load_scenario(p) for p in scenario_files(paths.scenarios_dir())]
    values = {f: list(tree.vocabulary[f].values) for f in tree.vocabulary.names()}
    store = SessionFiles(training_folder(data))
    rng = random.Random(17)
    start = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
    made = []
    for i in range(count):
        s = scenarios[i % len(scenarios)]
        facts = dict(s.facts)
        if i % 3 == 0:  # one answer in three attempts differs from the model
            fact = rng.choice(sorted(facts))
            facts[fact] = rng.choice(values[fact])
        try:
            mine = decide(tree, facts)
        except InputError:
            mine = decide(tree, s.facts)
        d = debrief(tree, s.facts, mine, s.learning_points)
        trainee = f"Trainee {i // len(scenarios) + 1:03d}"
        at = start + dt.timedelta(seconds=37 * i)
        made.append(make_attempt(tree, s, d, session=SESSION, trainee=trainee, at=at))
    for a in made:
        store.add(a)
    return store.path_for(SESSION)


def training_report(count: int, repeats: int) -> list[Figure]:
    data = fresh_dir("training")
    path = build_session(data, count)
    env = child_env(data)
    target = [*sharewise_command(), "train", "report", SESSION, "--format", "json"]
    floor = [sys.executable, "-c", FLOOR_TRAINING, str(path), SESSION]
    tgt, base = compare(target, floor, repeats=repeats, warmup=1, env=env)
    return [
        Figure(
            f"trainer's summary (`train report --format json`), {count:,} attempts",
            ms(tgt.median),
            f"the same counts from the session file with orjson (counters only): {ms(base.median)}",
            paired_ratio(tgt, base),
            "(reported)",
            note=f"session file {path.stat().st_size / 1e6:.1f} MB; peak "
            f"{mib(tgt.peak_rss_kib)}; {repeats} pairs",
        )
    ]


def main(repeats: int = 3, size: int = LEDGER, attempts: int = ATTEMPTS) -> list[Figure]:
    WORK.mkdir(parents=True, exist_ok=True)
    figures = attempt("reassessment", "(reported)", lambda: reassess(size, repeats))
    figures += attempt(
        "trainer's summary", "(reported)", lambda: training_report(attempts, repeats)
    )
    return figures

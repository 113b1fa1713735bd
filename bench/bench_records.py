"""Commands that read a big ledger, each against an honest floor measured in the same run.

The ledgers (1,000, 10,000 and 100,000 entries) hold realistic records: the shipped
scenarios decided on the shipped tree, 4 to 5 KB each with their details, plus emergency
records and their completions, amendments and reviews (`bench.scenario_ledger`). They are
built once, each entry encoded, chained and hashed by the store's own code but all in one
transaction with SQLite's sync off (a throwaway fixture need not survive a power cut), and
kept in bench/.work, keyed by the builder's source and the ledger schema. Every measured command
runs with the store's own settings.

A floor is the same work done by the plainest code that could do it, with nothing of ours:
a fresh interpreter with sqlite3, orjson, csv and hashlib, producing the same output bytes
where the command has output (checked here, byte for byte, on every run), or the same
counts where its output is a report whose layout is its own (`audit report`). Target and
floor alternate (target, floor, floor, target, ...) and the ratio is the median of the
pairs' ratios. Peak memory is each child's own high-water mark (`wait4`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.figures import Figure, attempt, mib, ms
from bench.measure import (
    ROOT,
    WORK,
    Run,
    child_env,
    compare,
    paired_ratio,
    run_once,
    sharewise_command,
)
from sharewise.store.export import CSV_COLUMNS

SIZES = (1_000, 10_000, 100_000)
#: Case references: a `--case` filter matches `size // PER_CASE` entries.
PER_CASE = 20
CASE = "CS-2026-00042"
TODAY = "2026-12-01"
#: Flat memory: peak RSS at 100,000 entries at most this many times that at 10,000.
FLAT = 1.2
#: A command is stopped once it has taken this many times its floor (a ratio above it is
#: reported as "over"), and a command measured for memory alone after MEMORY_STOP seconds
#: (its peak so far is what is reported).
STOP_AT = 12
MEMORY_STOP = 150.0


def cases_for(size: int) -> int:
    return max(size // PER_CASE, 1)


def _key(size: int) -> str:
    from sharewise.store.sqlite import SCHEMA_VERSION

    digest = hashlib.sha256(f"{size}/{SCHEMA_VERSION}".encode())
    digest.update((ROOT / "bench" / "scenario_ledger.py").read_bytes())
    return digest.hexdigest()[:12]


def build(data_dir: Path, size: int) -> float:
    """Append `size` realistic entries to a new ledger in `data_dir`; returns the seconds."""
    import datetime as dt

    from bench import scenario_ledger
    from sharewise.store import open_ledger

    start = time.perf_counter()
    with open_ledger(data_dir, on_wait=None) as ledger:
        backend = ledger.backend
        backend.connection.execute("PRAGMA synchronous=OFF")  # type: ignore[attr-defined]
        today = dt.date.fromisoformat(TODAY)
        scenario_ledger.bulk_fill(backend, size, cases_for(size), today)  # type: ignore[arg-type]
    return time.perf_counter() - start


def ledger_dir(size: int) -> Path:
    """A data folder holding a ledger of `size` entries, built if not cached."""
    key = _key(size)
    folder = WORK / f"ledger-{size}-{key}"
    if (folder / "ok").exists():
        return folder
    for stale in WORK.glob(f"ledger-{size}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    folder.mkdir(parents=True)
    print(f"bench: building a ledger of {size:,} entries ...", file=sys.stderr, flush=True)
    seconds = build(folder, size)
    (folder / "ok").write_text(f"{seconds:.1f}\n")
    return folder


def _sqlite_file(data_dir: Path) -> Path:
    from sharewise.store import ledger_path

    return ledger_path(data_dir)


# -- the floors: each a fresh interpreter with nothing of ours -----------------------------

_ROWS = (
    "SELECT e.seq, e.body, e.hash, p.data, p.erased_by FROM entries e"
    " LEFT JOIN personal p ON p.seq = e.seq ORDER BY e.seq"
)

FLOOR_LIST_CASE = """
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for r in c.execute("SELECT e.seq, e.id, e.kind, e.created, e.decision, p.case_ref"
                   " FROM entries e LEFT JOIN personal p ON p.seq = e.seq"
                   " WHERE p.case_ref = ? ORDER BY e.seq", (sys.argv[2],)):
    print(*r)
"""

# The CSV an IG lead opens in a spreadsheet, written straight from the stored JSON.
FLOOR_CSV = """
import csv, sqlite3, sys, orjson
COLUMNS = @COLUMNS@
GROUPS = ("basis", "special_category", "criminal_offence", "confidentiality",
          "transparency", "supporting")
c = sqlite3.connect(sys.argv[1])
out = open(sys.argv[2], "w", encoding="utf-8", newline="")
out.write("\\ufeff")
w = csv.writer(out, lineterminator="\\r\\n")
w.writerow(COLUMNS)
yes = lambda flag: "yes" if flag else "no"
for seq, body, hash_, pdata, erased_by in c.execute(@ROWS@):
    b = orjson.loads(body)
    t = orjson.loads(pdata) if pdata is not None else {}
    erased = erased_by is not None or (pdata is None and b.get("personal") is not None)
    data = b.get("data") or {}
    row = {"seq": b["seq"], "id": b["id"], "kind": b["kind"], "created": b["created"][:19] + "Z",
           "target": b.get("target"), "decision": b.get("decision"),
           "erased": yes(erased), "prev_hash": b["prev_hash"], "hash": hash_,
           "org": b.get("org"), "recorded_by": b.get("recorded_by")}
    r = data.get("result")
    if r is not None:
        o, tree = r["outcome"], r["tree"]
        row.update(outcome=o["title"], citations="; ".join(r["citations"]),
                   answers="; ".join(s["fact"] + "=" + s["answer"]
                                     + (" (settled)" if s.get("preset") else "")
                                     for s in r["path"]),
                   tree_id=tree["id"], tree_version=tree["version"],
                   tree_law_as_at=tree["law_as_at"], tree_sha256=tree["sha256"])
        for g in GROUPS:
            row[g] = "; ".join(o["law"].get(g) or ())
    d = data.get("details")
    if d is not None:
        def text(path, d=d, t=t):
            parent, _, leaf = path.rpartition(".")
            if parent and not isinstance(d.get(parent), dict):
                return None
            if path in t:
                return t[path]
            return d[parent].get(leaf) if parent else d.get(path)
        row.update(case_ref=text("case_ref"), practitioner_name=text("practitioner.name"),
                   practitioner_role=d["practitioner"].get("role"),
                   practitioner_organisation=d["practitioner"].get("organisation"),
                   information=text("information"), method=text("method"),
                   identities_protected=text("identities_protected"),
                   advice_sought=text("advice_sought"), rationale=text("rationale"),
                   review_by=d.get("review_by"))
        if isinstance(d.get("recipient"), dict):
            row.update(recipient_name=text("recipient.name"),
                       recipient_organisation=d["recipient"].get("organisation"),
                       recipient_role=d["recipient"].get("role"))
        if isinstance(d.get("consent"), dict):
            row.update(consent_sought=yes(d["consent"]["sought"]),
                       consent_reason=text("consent.reason"))
        if isinstance(d.get("informed"), dict):
            row.update(informed_told=yes(d["informed"]["told"]),
                       informed_reason=text("informed.reason"))
    v = data.get("review")
    if v is not None:
        row.update(review_verdict=v["verdict"], reviewer=t.get("reviewer"),
                   review_comment=t.get("comment"))
    p = data.get("purge")
    if p is not None:
        row.update(purge_before=p["before"], purge_count=p["count"])
    cells = ["" if row.get(k) is None else str(row[k]) for k in COLUMNS]
    w.writerow(["'" + x if x.startswith(("=", "+", "-", "@", "\\t", "\\r")) else x
                for x in cells])
""".replace("@COLUMNS@", repr(CSV_COLUMNS)).replace("@ROWS@", repr(_ROWS))

# The JSON array an IG lead's script reads, written straight from the stored JSON: each
# entry's object in the published record's shape (every field in order, defaults filled in,
# `org` and `recorded_by` only where set), from a description of that shape the runner
# writes (`_json_spec`), and control and formatting characters escaped as every JSON
# output escapes them.
FLOOR_JSON = """
import json, re, sqlite3, sys, orjson
SPEC = json.loads(open(sys.argv[3], encoding="utf-8").read())
UNSAFE = re.compile(
    "[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u061c\\u200b-\\u200f\\u2028\\u2029\\u202a-\\u202e"
    "\\u2060-\\u2064\\u2066-\\u2069\\ufeff\\ufff9-\\ufffb]")


def shape(spec, given):
    out = {**spec["t"], **given}
    for key, (many, inner) in spec["n"].items():
        value = out[key]
        if value is not None:
            out[key] = [shape(inner, v) for v in value] if many else shape(inner, value)
    for key in spec["x"]:
        if out[key] is None:
            del out[key]
    return out


def merged(public, texts):
    for path, value in (texts or {}).items():
        *parents, leaf = path.split(".")
        node = public
        for part in parents:
            node = node.get(part)
            if not isinstance(node, dict):
                break
        else:
            node[leaf] = value
    return public


c = sqlite3.connect(sys.argv[1])
out = open(sys.argv[2], "w", encoding="utf-8")
out.write("[")
n = 0
for seq, body, hash_, pdata, erased_by in c.execute(@ROWS@):
    b = orjson.loads(body)
    t = orjson.loads(pdata) if pdata is not None else None
    erased = erased_by is not None or (pdata is None and b.get("personal") is not None)
    data = b.get("data") or {}
    created = b["created"]
    if created.endswith(".000000Z"):
        created = created[:19] + "Z"
    entry = {"seq": b["seq"], "id": b["id"], "kind": b["kind"], "created": created,
             "alg": b["alg"], "prev_hash": b["prev_hash"], "hash": hash_,
             "target": b.get("target"), "decision": b.get("decision"),
             "result": data.get("result"),
             "details": merged(data["details"], t) if "details" in data else None,
             "review": merged(data["review"], t) if "review" in data else None,
             "purge": data.get("purge"), "erased": erased,
             "org": b.get("org"), "recorded_by": b.get("recorded_by")}
    text = json.dumps(shape(SPEC, entry), ensure_ascii=False)
    out.write(",\\n" if n else "\\n")
    out.write(UNSAFE.sub(lambda m: "\\\\u%04x" % ord(m.group()), text))
    n += 1
out.write("\\n]\\n" if n else "]\\n")
""".replace("@ROWS@", repr(_ROWS))


def _json_spec() -> Path:
    """The published record's shape, for the JSON floor: for each model, its fields in
    order with their defaults, which hold nested models, and which are left out when None."""
    from pydantic import BaseModel, TypeAdapter

    from sharewise.domain.record import Entry

    def spec(model: type[BaseModel]) -> dict[str, Any]:
        import types
        import typing

        template, nested, dropped = {}, {}, []
        for name, info in model.model_fields.items():
            default = None
            if not info.is_required():
                value = info.get_default(call_default_factory=True)
                default = TypeAdapter(info.annotation).dump_python(value, mode="json")
            template[name] = default
            if info.exclude_if is not None:
                dropped.append(name)
            kind = info.annotation
            if typing.get_origin(kind) in (typing.Union, types.UnionType):
                kind = next(a for a in typing.get_args(kind) if a is not type(None))
            many = typing.get_origin(kind) is list
            inner = typing.get_args(kind)[0] if many else kind
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                nested[name] = [many, spec(inner)]
        return {"t": template, "n": nested, "x": dropped}

    path = WORK / "entry-spec.json"
    path.write_text(json.dumps(spec(Entry)), encoding="utf-8")
    return path


# Every check verify makes of an entry: parse, canonical form, link, hash, commitment.
FLOOR_VERIFY = """
import hashlib, sqlite3, sys, orjson
ENTRY, PERSONAL = b"sharewise.ledger.entry/1\\x00", b"sharewise.ledger.personal/1\\x00"
c = sqlite3.connect(sys.argv[1])
prev, n, bad = "0" * 64, 0, 0
for seq, body, hash_, salt, pdata in c.execute(
        "SELECT e.seq, e.body, e.hash, p.salt, p.data FROM entries e"
        " LEFT JOIN personal p ON p.seq = e.seq ORDER BY e.seq"):
    b = orjson.loads(body)
    ok = (orjson.dumps(b, option=orjson.OPT_SORT_KEYS) == body and b["seq"] == seq
          and b["prev_hash"] == prev and hashlib.sha256(ENTRY + body).hexdigest() == hash_)
    if pdata is not None:
        ok = ok and hashlib.sha256(PERSONAL + salt + b"\\x00" + pdata).hexdigest() == b["personal"]
    bad += not ok
    prev, n = hash_, n + 1
print(f"{n} entries, {bad} broken")
"""

# `records due` as the plainest code writes it: one pass, the newest entry of each case.
FLOOR_DUE = """
import sqlite3, sys, orjson
c = sqlite3.connect(sys.argv[1])
today = sys.argv[2]
latest, order, completed, emergencies = {}, [], set(), []
for seq, kind, target, body, pdata in c.execute(
        "SELECT e.seq, e.kind, e.target, e.body, p.data FROM entries e"
        " LEFT JOIN personal p ON p.seq = e.seq ORDER BY e.seq"):
    if kind == "completion" and target:
        completed.add(target)
    b = orjson.loads(body)
    if kind == "emergency":
        emergencies.append((seq, b["id"], pdata))
    case = orjson.loads(pdata).get("case_ref") if pdata is not None else None
    details = (b.get("data") or {}).get("details")
    if case is not None and details is not None:
        if case not in latest:
            order.append(case)
        latest[case] = (seq, b["id"], details.get("review_by"))
out = []
for seq, id_, pdata in emergencies:
    if id_ not in completed:
        case = orjson.loads(pdata).get("case_ref", "") if pdata is not None else ""
        out.append(f"{seq:>5}  {id_}  {case}  emergency record to be completed")
for case in order:
    seq, id_, review_by = latest[case]
    if review_by is not None and review_by < today:
        out.append(f"{seq:>5}  {id_}  {case}  review was due {review_by}")
sys.stdout.write("\\n".join(out) + "\\n" if out else "")
"""

# The IG lead's figures, counted in one pass over the bodies: decisions by outcome, lawful
# basis and condition, shared without consent, not shared, reviews, amendments, "not sure"
# answers, emergencies awaiting completion. Counters only: nothing kept per entry.
FLOOR_AUDIT = """
import sqlite3, sys, orjson
from collections import Counter
c = sqlite3.connect(sys.argv[1])
decisions, basis, conditions = Counter(), Counter(), Counter()
reviews, unsure = Counter(), Counter()
total = without_consent = not_shared = amendments = open_emergencies = 0
for kind, body in c.execute("SELECT kind, body FROM entries ORDER BY seq"):
    data = orjson.loads(body)["data"]
    if kind == "review":
        reviews[data["review"]["verdict"]] += 1
        continue
    if kind == "amendment":
        amendments += 1
    if kind == "emergency":
        open_emergencies += 1
    if kind == "completion":
        open_emergencies -= 1
    if kind in ("decision", "emergency"):
        total += 1  # one per record, as the figures count (an emergency without a decision too)
    r = data.get("result")
    if r is None or kind == "amendment":
        continue
    decisions[r["decision"]] += 1
    law = r["outcome"]["law"]
    basis.update(law.get("basis") or ())
    conditions.update((law.get("special_category") or []) + (law.get("criminal_offence") or []))
    unsure.update({s["question"] for s in r["path"] if s["answer"] in ("unsure", "not_sure")})
    consent = (data.get("details") or {}).get("consent")
    if r["decision"] in ("share", "share_urgently") and consent and not consent["sought"]:
        without_consent += 1
    elif r["decision"] == "do_not_share":
        not_shared += 1
print(orjson.dumps({"total": total, "decisions": decisions, "basis": basis,
                    "conditions": conditions, "reviews": reviews, "amendments": amendments,
                    "without_consent": without_consent, "not_shared": not_shared,
                    "open_emergencies": open_emergencies, "unsure": unsure}).decode())
"""


def _python(script: str, *args: str) -> list[str]:
    return [sys.executable, "-c", script, *args]


# -- measuring -----------------------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pairs(
    target: list[str], floor: list[str], env: dict[str, str], repeats: int
) -> tuple[list[Run], list[Run]]:
    """Alternate target and floor `repeats` times (after a warm-up of each when repeated)."""
    tgt, base = compare(target, floor, repeats=repeats, warmup=1 if repeats > 1 else 0, env=env)
    return tgt.runs, base.runs


def _ratio(tgt: list[Run], base: list[Run]) -> float:
    return statistics.median(t.seconds / b.seconds for t, b in zip(tgt, base, strict=True))


def _peak(runs: list[Run]) -> int:
    return max(r.max_rss_kib for r in runs)


def _median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


class Command:
    """One ledger command, its floor, its goal, and how the two outputs are compared."""

    def __init__(
        self,
        name: str,
        argv: Callable[[Path, Path], list[str]],
        floor: Callable[[Path, Path], list[str]] | None,
        goal: float | None,
        floor_text: str,
        same: str = "bytes",
    ) -> None:
        self.name, self.argv, self.floor, self.goal = name, argv, floor, goal
        self.floor_text, self.same = floor_text, same


def _out(tag: str) -> Path:
    return WORK / f"out-{tag}"


COMMANDS = (
    Command(
        "`records export --format csv`",
        lambda d, o: ["records", "export", "--format", "csv", "--out", str(o)],
        lambda d, o: _python(FLOOR_CSV, str(_sqlite_file(d)), str(o)),
        1.5,
        "the same CSV bytes from sqlite3, orjson and csv",
    ),
    Command(
        "`records export --format json`",
        lambda d, o: ["records", "export", "--format", "json", "--out", str(o)],
        lambda d, o: _python(FLOOR_JSON, str(_sqlite_file(d)), str(o), str(_json_spec())),
        1.5,
        "the same JSON bytes from sqlite3 and orjson, in the record's published shape",
    ),
    Command(
        "`records verify`",
        lambda d, o: ["records", "verify"],
        lambda d, o: _python(FLOOR_VERIFY, str(_sqlite_file(d))),
        2.0,
        "read, parse, canonical check, link, hash and commitment with sqlite3, orjson, hashlib",
        same="",
    ),
    Command(
        "`records due`",
        lambda d, o: ["records", "due", "--today", TODAY],
        lambda d, o: _python(FLOOR_DUE, str(_sqlite_file(d)), TODAY),
        2.0,
        "the same lines from one pass with sqlite3 and orjson",
    ),
    Command(
        "`audit report --format json`",
        lambda d, o: ["audit", "report", "--format", "json"],
        lambda d, o: _python(FLOOR_AUDIT, str(_sqlite_file(d))),
        2.0,
        "the same counts in one pass with sqlite3 and orjson (counters only)",
        same="counts",
    ),
)

#: Commands measured for peak memory only (their time has no floor or goal here).
MEMORY_ONLY = (
    ("`records list`", lambda d, o: ["records", "list"]),
    ("`records list --case`", lambda d, o: ["records", "list", "--case", CASE]),
    ("`records show` (an early entry)", lambda d, o: ["records", "show", "3"]),
    ("`records replay --all`", lambda d, o: ["records", "replay", "--all"]),
)


def _same_output(command: Command, target: Path, floor: Path) -> str:
    """'' if the outputs agree as they must, otherwise what differs."""
    if command.same == "bytes":
        return "" if _digest(target) == _digest(floor) else "output differs from the floor's"
    if command.same == "counts":
        try:
            ours = json.loads(target.read_text(encoding="utf-8"))
            theirs = json.loads(floor.read_text(encoding="utf-8"))
        except ValueError:
            return "output is not JSON"
        total = ours.get("decisions_recorded", ours.get("total"))
        if total is not None and total != theirs["total"]:
            return f"counts differ from the floor's ({total} vs {theirs['total']} decisions)"
    return ""


def _settle() -> None:
    """The previous run's output (an export of 100,000 entries is hundreds of megabytes) on
    disk before the next run starts, untimed: its writeback otherwise lands in whichever of
    the pair runs next: the JSON export's floor at 100,000 entries measured 18.0 to 24.5 s
    from one bench run to the next, and the CSV export 19.1 s in a run against 13.7 and
    14.6 s alone a minute later."""
    if hasattr(os, "sync"):
        os.sync()


def timed(command: Command, size: int, repeats: int) -> tuple[Figure, list[Run]]:
    """The command at `size` against its floor; also its runs (for peak memory)."""
    data = ledger_dir(size)
    env = child_env(data)
    mine, theirs = _out("target"), _out("floor")
    argv = [*sharewise_command(), *command.argv(data, mine)]
    assert command.floor is not None
    floor = command.floor(data, theirs)
    # Commands that print are captured through the launcher's stdout file.
    prints = "--out" not in argv
    tgt: list[Run] = []
    base: list[Run] = []

    def target() -> None:
        # Stopped at STOP_AT times the floor: a figure that far off its goal need not finish.
        limit = max(STOP_AT * _median(base), 5.0)
        _settle()
        tgt.append(run_once(argv, env, stdout=mine if prints else None, check=False, limit=limit))

    def plain() -> None:
        _settle()
        base.append(run_once(floor, env, stdout=theirs if prints else None))

    for i in range(repeats):  # the floor first, then alternating
        for step in (plain, target) if i % 2 == 0 else (target, plain):
            step()
    codes = {r.returncode for r in tgt}
    problem = "" if codes <= {0, 1} else f"exited {sorted(codes)}"
    if -9 in codes:
        problem = f"stopped after {ms(max(r.seconds for r in tgt))}, over {STOP_AT}x its floor"
    problem = problem or _same_output(command, mine, theirs)
    ratio = _ratio(tgt, base)
    met = None if command.goal is None else (ratio <= command.goal and not problem)
    figure = Figure(
        f"{command.name} at {size:,} entries",
        ms(_median(tgt)),
        f"{command.floor_text}: {ms(_median(base))}",
        ratio,
        f"≤ {command.goal:g}x" if command.goal else "(reported)",
        met,
        "; ".join(
            x
            for x in (
                problem,
                "same output" if command.same and not problem else "",
                f"peak {mib(_peak(tgt))} vs {mib(_peak(base))}",
                f"{len(tgt)} pair{'s' if len(tgt) > 1 else ''}",
            )
            if x
        ),
    )
    return figure, tgt


def memory_figure(name: str, small: Run, big: Run, sizes: tuple[int, int]) -> Figure:
    ratio = big.max_rss_kib / small.max_rss_kib
    return Figure(
        f"peak memory of {name}, {sizes[1]:,} entries",
        mib(big.max_rss_kib),
        f"same at {sizes[0]:,} entries {mib(small.max_rss_kib)}",
        ratio,
        f"flat (≤ {FLAT}x)",
        ratio <= FLAT,
        f"took {ms(small.seconds)} and {ms(big.seconds)}",
    )


def list_case(size: int, repeats: int) -> Figure:
    data = ledger_dir(size)
    env = child_env(data)
    argv = [*sharewise_command(), "records", "list", "--case", CASE]
    raw = _python(FLOOR_LIST_CASE, str(_sqlite_file(data)), CASE)
    tgt, base = compare(argv, raw, repeats=repeats, warmup=1, env=env)
    return Figure(
        f"`records list --case` at {size:,} entries ({size // cases_for(size)} match)",
        ms(tgt.median),
        f"same query with sqlite3 alone {ms(base.median)}",
        paired_ratio(tgt, base),
        "< 0.5 s",
        tgt.median < 0.5,
    )


def peak(argv_tail: list[str], data_dir: Path, repeats: int) -> tuple[int, float]:
    """(peak RSS KiB, median seconds) of a sharewise command on the ledger in `data_dir`."""
    env = child_env(data_dir)
    runs = [run_once([*sharewise_command(), *argv_tail], env, check=False) for _ in range(repeats)]
    times = sorted(r.seconds for r in runs)
    return max(r.max_rss_kib for r in runs), times[len(times) // 2]


def main(repeats: int = 3, sizes: tuple[int, ...] = SIZES) -> list[Figure]:
    WORK.mkdir(parents=True, exist_ok=True)
    small, big = sizes[-2], sizes[-1]
    figures: list[Figure] = []
    figures += attempt("`records list --case`", "< 0.5 s", lambda: [list_case(big, repeats)])
    scaling: list[Figure] = []
    for command in COMMANDS:

        def measure(command: Command = command) -> list[Figure]:
            runs_at: dict[int, list[Run]] = {}
            # One pair at the biggest size (minutes of machine time), more at the smaller.
            found = []
            for size in sizes:
                figure, runs = timed(command, size, repeats if size < big else 1)
                runs_at[size] = runs
                if size < big:  # the goals are set at 100,000; smaller sizes show scaling
                    figure.goal = f"(scaling; goal at {big:,})"
                    figure.met = None if "differ" not in figure.note else False
                (found if size == big else scaling).append(figure)
            found.append(
                memory_figure(command.name, runs_at[small][0], runs_at[big][0], (small, big))
            )
            return found

        figures += attempt(command.name, f"≤ {command.goal:g}x", measure)
    for name, argv in MEMORY_ONLY:

        def memory(
            name: str = name, argv: Callable[[Path, Path], list[str]] = argv
        ) -> list[Figure]:
            at = []
            for size in (small, big):
                data = ledger_dir(size)
                full = [*sharewise_command(), *argv(data, _out("memory"))]
                at.append(run_once(full, child_env(data), check=False, limit=MEMORY_STOP))
            figure = memory_figure(name, at[0], at[1], (small, big))
            if at[1].returncode == -9:
                figure.note += f"; stopped after {ms(at[1].seconds)} (the peak until then)"
            return [figure]

        figures += attempt(f"peak memory of {name}", "flat", memory)
    return figures + scaling

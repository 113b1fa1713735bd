"""One PostgreSQL register for several organisations: append throughput, and what the
row-level security and the role checks cost.

On a throwaway server (started here as the storage suite starts one: `initdb` in a temporary
folder, a unix socket, `fsync=off`, so the disk is not what is measured), with realistic
records (shipped scenarios decided on the shipped tree, about 5 KB each), all measured in
the same run:

- `owner`: 1 writer connected as the ledger's owner, a superuser, whom row-level security
  does not apply to and whose kinds of entry are not checked: the baseline;
- `member`: 1 writer connected as a practitioner's login (every statement under the row
  policies, every entry checked against its role and login);
- `one_org`: 8 writers of one organisation (they take turns at one head row);
- `three_orgs`: 8 writers across three organisations (3, 3, 2), each chain its own head.

Then every chain is verified (the run fails if one is not intact). Writers are processes,
each with its own connection, started together.

Run: `.venv/bin/python -m bench.bench_orgs [--appends N] [--rounds N]`; `main()` returns
the figures (medians over the rounds; each round's ratios are its own).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from bench.measure import together

ROOT = Path(__file__).resolve().parent.parent
WRITERS = 8
THREE = {"council": 3, "school": 3, "trust": 2}


def _cluster() -> Any:
    # The storage suite's own way of starting a throwaway server (tests/store/pg_harness).
    sys.path.insert(0, str(ROOT / "tests" / "store"))
    from pg_harness import Cluster

    return Cluster.start(Path("."))


def _writer(url: str, count: int, barrier: Any) -> None:
    from bench.scenario_ledger import scenario_cases
    from sharewise.store.ledger import Ledger
    from sharewise.store.postgres import PostgresBackend

    cases = scenario_cases()
    with Ledger(PostgresBackend(url, create=False, lock_timeout=300)) as ledger:
        barrier.wait()
        for i in range(count):
            case = cases[i % len(cases)]
            ledger.record_decision(case.result, case.details)


def _rate(urls: list[str], each: int) -> float:
    """Appends per second with one process per URL, all started together."""
    elapsed = together(_writer, [(u, each) for u in urls])
    return len(urls) * each / elapsed


def _ledger(cluster: Any, orgs: dict[str, int]) -> tuple[str, dict[str, list[str]]]:
    """A new database set up by `db` commands: its owner URL and each organisation's
    writers' URLs."""
    from sharewise.store.postgres import PostgresBackend, add_member, add_org, set_up_roles

    url = cluster.new_database()
    tag = uuid.uuid4().hex[:6]
    logins: dict[str, list[str]] = {}
    first = next(iter(orgs))
    with PostgresBackend(url, admin=True, upgrade_org=first) as owner:
        set_up_roles(owner.connection)
        for org, n in orgs.items():
            add_org(owner.connection, org)
            logins[org] = []
            for i in range(n):
                login = f"bench_{org}_{i}_{tag}"
                add_member(owner.connection, login, org, ["practitioner"])
                logins[org].append(url.replace("user=sw_admin", f"user={login}"))
    return url, logins


def _verify_all(logins: dict[str, list[str]], expected: dict[str, int]) -> float:
    """Seconds to verify every chain (each as one of its own writers); all must be intact."""
    from sharewise.store.postgres import PostgresBackend
    from sharewise.store.verify import verify

    started = time.perf_counter()
    for org, urls in logins.items():
        with PostgresBackend(urls[0], create=False) as backend:
            report = verify(backend)
        if not report.intact or report.count != expected[org]:
            raise SystemExit(f"the chain of {org} is not intact: {report.breaks[:3]}")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--appends", type=int, default=40, help="appends per writer (8 writers)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv if argv is not None else [])
    each = args.appends
    cluster = _cluster()
    rates: dict[str, list[float]] = {"owner": [], "member": [], "one_org": [], "three_orgs": []}
    verified: list[float] = []
    try:
        for i in range(args.rounds):
            order = list(rates) if i % 2 == 0 else list(reversed(rates))
            for what in order:
                if what == "owner":
                    url, _ = _ledger(cluster, {"council": 0})
                    rates[what].append(_rate([url], each * WRITERS // 2))
                elif what == "member":
                    _, logins = _ledger(cluster, {"council": 1})
                    rates[what].append(_rate(logins["council"], each * WRITERS // 2))
                elif what == "one_org":
                    _, logins = _ledger(cluster, {"council": WRITERS})
                    rates[what].append(_rate(logins["council"], each))
                    _verify_all(logins, {"council": WRITERS * each})
                else:
                    _, logins = _ledger(cluster, THREE)
                    urls = [u for group in logins.values() for u in group]
                    rates[what].append(_rate(urls, each))
                    expected = {org: n * each for org, n in THREE.items()}
                    verified.append(_verify_all(logins, expected))
    finally:
        cluster.stop()
    med = {k: statistics.median(v) for k, v in rates.items()}
    return {
        "appends_per_s": {k: round(v, 1) for k, v in med.items()},
        "member_vs_owner": round(statistics.median(
            m / o for m, o in zip(rates["member"], rates["owner"], strict=True)), 2),
        "three_orgs_vs_one_org": round(statistics.median(
            t / o for t, o in zip(rates["three_orgs"], rates["one_org"], strict=True)), 2),
        "verify_three_chains_s": round(statistics.median(verified), 2),
        "entries_per_round_three_orgs": WRITERS * each,
        "rounds": args.rounds,
    }  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), indent=2))

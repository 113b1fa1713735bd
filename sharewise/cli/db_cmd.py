"""`sharewise db init|grants`: setting up an organisation's shared ledger on PostgreSQL."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from sharewise.domain.errors import InputError, Location, Problem


def register(sub: Any) -> None:
    db = sub.add_parser("db", help="set up a shared PostgreSQL ledger (for whoever deploys)")
    dsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)

    init = dsub.add_parser("init", help="create the ledger's tables (run once, as their owner)")
    init.add_argument(
        "--json", action="store_true", help="print the ledger's place and its number of entries"
    )
    init.set_defaults(handler=run_init)

    grants = dsub.add_parser(
        "grants", help="print the SQL granting the application's role what it needs and no more"
    )
    grants.add_argument("role", help="the PostgreSQL role the application connects as")
    grants.add_argument(
        "--purge",
        action="store_true",
        help="also allow erasing personal details (for the role that purges)",
    )
    grants.set_defaults(handler=run_grants)


def run_init(args: argparse.Namespace) -> int:
    from sharewise.store import DATABASE_URL_ENV, open_ledger

    if not os.environ.get(DATABASE_URL_ENV):
        raise InputError(
            Problem(
                Location(DATABASE_URL_ENV),
                "is not set",
                "set it to the server's postgresql:// address",
            )
        )
    with open_ledger(None, create=True) as ledger:
        count = ledger.backend.count()
    if args.json:
        from sharewise.cli.common import print_json

        print_json({"ledger": ledger.backend.location, "entries": count})
        return 0
    print(f"ledger ready on {ledger.backend.location}: {count} entries")
    return 0


def run_grants(args: argparse.Namespace) -> int:
    from sharewise.store.postgres import grants_sql

    try:
        sys.stdout.write(grants_sql(args.role, purge=args.purge))
    except ValueError as exc:
        raise InputError(Problem(Location("ROLE"), str(exc), "use a plain role name")) from None
    return 0

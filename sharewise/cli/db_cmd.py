"""`sharewise db ...`: setting up a shared PostgreSQL ledger for one or more organisations.

Run as the ledger's owner (the role that owns its tables; `init` also creates the four
group roles, which needs CREATEROLE or a superuser). Every command here is idempotent
where it can be: running `init` again changes nothing on a ledger already up to date.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from sharewise.domain.errors import InputError, Location, Problem

if TYPE_CHECKING:
    from sharewise.store.postgres import PostgresBackend


def register(sub: Any) -> None:
    db = sub.add_parser("db", help="set up a shared PostgreSQL ledger (for whoever deploys)")
    dsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)

    init = dsub.add_parser(
        "init",
        help="create the ledger's tables and roles, or bring an older ledger up to date "
        "(run as the owner)",
    )
    init.add_argument(
        "--org",
        metavar="NAME",
        help="the first organisation's name (a new ledger), or the organisation an older "
        "ledger's entries belong to (an upgrade); default: default",
    )
    init.add_argument(
        "--json", action="store_true", help="print the ledger's place and its organisations"
    )
    init.set_defaults(handler=run_init)

    grants = dsub.add_parser(
        "grants", help="print the SQL giving each role what it needs and no more (for a DBA)"
    )
    grants.add_argument(
        "role",
        nargs="?",
        metavar="ROLE",
        help="practitioner, reviewer, purger or auditor (default: all four); or statistics: "
        "the SQL a superuser runs once to keep the catalogue's statistics (row counts, "
        "activity, sizes: every organisation's together) from the organisations' logins",
    )
    grants.set_defaults(handler=run_grants)

    org = dsub.add_parser("org", help="the organisations sharing the ledger")
    osub = org.add_subparsers(dest="org_command", metavar="ACTION", required=True)
    add = osub.add_parser("add", help="add an organisation (a chain of its own)")
    add.add_argument("name", metavar="NAME", help="its name, e.g. council or st-marys-school")
    add.set_defaults(handler=run_org_add)
    olist = osub.add_parser("list", help="the organisations and their number of entries")
    olist.add_argument("--json", action="store_true", help="print them as JSON")
    olist.set_defaults(handler=run_org_list)

    member = dsub.add_parser("member", help="who works for (or may read) which organisation")
    msub = member.add_subparsers(dest="member_command", metavar="ACTION", required=True)
    madd = msub.add_parser(
        "add", help="give a database login its organisation and role (creates the login)"
    )
    madd.add_argument("login", metavar="LOGIN", help="the person's database login")
    madd.add_argument(
        "--org", required=True, metavar="NAME", help="the organisation it works for, or reads"
    )
    madd.add_argument(
        "--role",
        action="append",
        default=[],
        choices=["practitioner", "reviewer", "purger", "auditor"],
        help="what the login does in its organisation (repeat for several)",
    )
    madd.add_argument(
        "--reads",
        action="store_true",
        help="read this organisation's register only (a partnership's IG lead or auditor, "
        "whose own organisation is given with --role)",
    )
    madd.add_argument(
        "--gateway",
        metavar="ROLE",
        help="let this gateway login act for the person (SET ROLE LOGIN), as "
        "`sharewise serve` behind a proxy does",
    )
    madd.set_defaults(handler=run_member_add)
    mrm = msub.add_parser(
        "remove",
        help="take a login out of an organisation, or out of the ledger (its records stay)",
    )
    mrm.add_argument("login", metavar="LOGIN", help="the person's database login")
    mrm.add_argument(
        "--org",
        metavar="NAME",
        help="only this organisation (default: every one, and its sharewise roles)",
    )
    mrm.set_defaults(handler=run_member_remove)
    mlist = msub.add_parser("list", help="every login, its organisations and roles")
    mlist.add_argument("--json", action="store_true", help="print them as JSON")
    mlist.set_defaults(handler=run_member_list)


def _url() -> str:
    from sharewise.store import DATABASE_URL_ENV

    url = os.environ.get(DATABASE_URL_ENV)
    if not url:
        raise InputError(
            Problem(
                Location(DATABASE_URL_ENV),
                "is not set",
                "set it to the server's postgresql:// address (the default SQLite ledger "
                "is a single-user ledger and needs no set-up)",
            )
        )
    return url


def _admin(url: str, **options: Any) -> PostgresBackend:
    from sharewise.store.postgres import PostgresBackend

    return PostgresBackend(url, admin=True, **options)


def _org_name(name: str, where: str) -> str:
    from sharewise.store.migrations_pg import ORG_NAME
    from sharewise.store.postgres import ORG_RULE

    if not ORG_NAME.match(name):
        raise InputError(Problem(Location(where), ORG_RULE, "choose a name like `council`"))
    return name


def _login_name(name: str, where: str) -> str:
    from sharewise.store.migrations_pg import IDENT

    if not IDENT.match(name):
        raise InputError(
            Problem(
                Location(where),
                "a login is 1 to 63 lower-case letters, digits and '_', not starting with a digit",
                "choose a name like `alice_smith`",
            )
        )
    return name


def run_init(args: argparse.Namespace) -> int:
    from sharewise.store.migrations_pg import DEFAULT_ORG
    from sharewise.store.postgres import (
        SCHEMA_VERSION,
        UpgradeRefused,
        org_counts,
        set_up_roles,
    )

    url = _url()
    org = _org_name(args.org, "--org") if args.org else DEFAULT_ORG
    try:
        with _admin(url, create=True, upgrade_org=org) as backend:
            set_up_roles(backend.connection)
            counts = org_counts(backend.connection)
            location = backend.location
            upgraded = backend.upgraded
    except UpgradeRefused as exc:
        for b in exc.report.breaks:
            print(b.render())
        print(f"sharewise: {exc}", file=sys.stderr)
        return 1
    if args.json:
        from sharewise.cli.common import print_json

        print_json(
            {
                "ledger": location,
                "schema": SCHEMA_VERSION,
                "upgraded_from": upgraded[0] if upgraded else None,
                "entries": sum(counts.values()),
                "organisations": counts,
            }
        )
        return 0
    if upgraded is not None:
        print(
            f"upgraded the ledger on {location} from schema {upgraded[0]} to "
            f"{SCHEMA_VERSION}: its {upgraded[1]} entries are organisation {org}'s chain, "
            "verified intact before and after"
        )
    if args.org and org not in counts:
        print(f"note: this ledger has no organisation {org}; add it with `sharewise db org add`")
    listed = ", ".join(f"{name} ({n} entries)" for name, n in counts.items())
    print(f"ledger ready on {location}: {sum(counts.values())} entries; organisations: {listed}")
    return 0


def run_grants(args: argparse.Namespace) -> int:
    from sharewise.store.migrations_pg import grants_sql

    if args.role == "statistics":
        from sharewise.store.pg_statistics import statistics_sql

        sys.stdout.write(statistics_sql())
        return 0
    try:
        sys.stdout.write(grants_sql(args.role))
    except ValueError as exc:
        raise InputError(Problem(Location("ROLE"), str(exc), "name one of them")) from None
    return 0


def run_org_add(args: argparse.Namespace) -> int:
    from sharewise.store.postgres import add_org

    name = _org_name(args.name, "NAME")
    from sharewise.store.pg_statistics import statistics_exposed

    with _admin(_url(), create=False) as backend:
        made = add_org(backend.connection, name)
        exposed = statistics_exposed(backend.connection)
    print(f"organisation {name} {'added, with a chain of its own' if made else 'already exists'}")
    if exposed:
        print(
            "sharewise: every login can read PostgreSQL's statistics of the ledger's tables, "
            "the totals of all its organisations; a superuser keeps them to the owner with "
            "`sharewise db grants statistics | psql` (docs/deploy.md)",
            file=sys.stderr,
        )
    return 0


def run_org_list(args: argparse.Namespace) -> int:
    from sharewise.store.postgres import org_counts

    with _admin(_url(), create=False) as backend:
        counts = org_counts(backend.connection)
    if args.json:
        from sharewise.cli.common import print_json

        print_json([{"org": name, "entries": n} for name, n in counts.items()])
        return 0
    for name, n in counts.items():
        print(f"{name}\t{n} entries")
    return 0


def run_member_add(args: argparse.Namespace) -> int:
    from sharewise.store.postgres import add_member

    login = _login_name(args.login, "LOGIN")
    org = _org_name(args.org, "--org")
    gateway = _login_name(args.gateway, "--gateway") if args.gateway else None
    if bool(args.role) == args.reads:
        raise InputError(
            Problem(
                Location("sharewise db member add"),
                "give the login's role in its organisation (--role) or make it a reader of "
                "another organisation (--reads), one or the other",
                "for example `--org council --role practitioner`",
            )
        )
    with _admin(_url(), create=False) as backend:
        said = add_member(backend.connection, login, org, args.role, gateway=gateway)
    for line in said:
        print(line)
    return 0


def run_member_remove(args: argparse.Namespace) -> int:
    from sharewise.store.postgres import remove_member

    login = _login_name(args.login, "LOGIN")
    org = _org_name(args.org, "--org") if args.org else None
    with _admin(_url(), create=False) as backend:
        said = remove_member(backend.connection, login, org)
    for line in said:
        print(line)
    return 0


def run_member_list(args: argparse.Namespace) -> int:
    from sharewise.store.postgres import members

    with _admin(_url(), create=False) as backend:
        found = members(backend.connection)
    if args.json:
        from sharewise.cli.common import print_json

        print_json(found)
        return 0
    for m in found:
        reads = f"; reads {', '.join(m['reads'])}" if m["reads"] else ""
        via = f"; acted for by {', '.join(m['gateways'])}" if m["gateways"] else ""
        print(f"{m['login']}\t{m['org'] or '-'}\t{', '.join(m['roles']) or '-'}{reads}{via}")
    return 0

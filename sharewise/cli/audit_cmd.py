"""`sharewise audit report`: the IG lead's counts for a period, as md, html or json."""

from __future__ import annotations

import argparse
from typing import Any

from sharewise.cli.common import STDOUT_HELP
from sharewise.cli.records_cmd import _date


def register(sub: Any) -> None:
    """Add the `audit` command group."""
    audit = sub.add_parser("audit", help="reports for information governance leads")
    asub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    p = asub.add_parser("report", help="counts by decision, law, consent, reviews")
    p.add_argument(
        "--from",
        dest="date_from",
        type=_date,
        metavar="DATE",
        help="count records from this day (YYYY-MM-DD, UTC; default: from the first)",
    )
    p.add_argument(
        "--to",
        dest="date_to",
        type=_date,
        metavar="DATE",
        help="count records up to this day, inclusive (YYYY-MM-DD, UTC; default: the latest)",
    )
    p.add_argument(
        "--format", required=True, choices=["md", "html", "json"], help="the report's format"
    )
    p.add_argument(
        "--out",
        metavar="FILE",
        help=f"write to FILE (mode 0600) instead of standard output ({STDOUT_HELP})",
    )
    p.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from sharewise.cli.common import is_stdio, note, output
    from sharewise.store import Filters, LedgerMissing, open_ledger
    from sharewise.store.audit import AuditSummary, summarise, write_report

    try:
        ledger = open_ledger(args.data_dir, create=False, readonly=True)
    except LedgerMissing:
        summary = AuditSummary(args.date_from, args.date_to)
    else:
        with ledger:
            filters = Filters(date_from=args.date_from, date_to=args.date_to)
            summary = summarise(ledger.entries(filters), args.date_from, args.date_to)
    with output(args.out) as handle:
        write_report(summary, args.format, handle)
    if args.out is not None and not is_stdio(args.out):
        note(f"audit report written to {args.out}")
    return 0

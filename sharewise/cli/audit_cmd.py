"""`sharewise audit report`: the IG lead's counts for a period, as md, html or json."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sharewise.cli.records_cmd import _date


def register(sub: Any) -> None:
    """Add the `audit` command group."""
    audit = sub.add_parser("audit", help="reports for information governance leads")
    asub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    p = asub.add_parser("report", help="counts by decision, law, consent, reviews")
    p.add_argument("--from", dest="date_from", type=_date, metavar="DATE")
    p.add_argument("--to", dest="date_to", type=_date, metavar="DATE")
    p.add_argument("--format", required=True, choices=["md", "html", "json"])
    p.add_argument("--out", metavar="FILE", help="write to FILE (mode 0600)")
    p.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from sharewise.store import Filters, LedgerMissing, open_ledger
    from sharewise.store.audit import AuditSummary, summarise, write_report

    try:
        ledger = open_ledger(args.data_dir, create=False)
    except LedgerMissing:
        summary = AuditSummary(args.date_from, args.date_to)
    else:
        with ledger:
            filters = Filters(date_from=args.date_from, date_to=args.date_to)
            summary = summarise(ledger.entries(filters), args.date_from, args.date_to)
    if args.out is None:
        write_report(summary, args.format, sys.stdout)
        return 0
    import os

    fd = os.open(args.out, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        write_report(summary, args.format, handle)
    print(f"audit report written to {args.out}", file=sys.stderr)
    return 0

"""`sharewise audit report`: the IG lead's board paper for a period, in md, html, pdf, csv
or json, with the same filters as the dashboard."""

from __future__ import annotations

import argparse
from typing import Any

from sharewise.cli.common import STDOUT_HELP
from sharewise.cli.records_cmd import _date


def register(sub: Any) -> None:
    """Add the `audit` command group."""
    audit = sub.add_parser("audit", help="reports for information governance leads")
    asub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    p = asub.add_parser(
        "report",
        help="the board paper: counts by decision, law, consent, reviews, with charts",
        description="The IG lead's figures for a period, as a board paper (html, pdf, md) "
        "or for a spreadsheet or script (csv, json). Counts only: names nobody.",
    )
    p.add_argument(
        "--from",
        dest="date_from",
        type=_date,
        metavar="DATE",
        help="first day of the period (YYYY-MM-DD, UTC), inclusive",
    )
    p.add_argument(
        "--to",
        dest="date_to",
        type=_date,
        metavar="DATE",
        help="last day of the period (YYYY-MM-DD, UTC), inclusive",
    )
    p.add_argument(
        "--format",
        required=True,
        choices=["md", "html", "pdf", "csv", "json"],
        help="pdf needs the optional extra: pip install 'sharewise[pdf]'",
    )
    p.add_argument(
        "--out",
        metavar="FILE",
        help=f"write to FILE (mode 0600) instead of standard output ({STDOUT_HELP}); pdf needs it",
    )
    p.add_argument(
        "--team",
        metavar="NAME",
        help="only records by this organisation (as recorded; case ignored)",
    )
    p.add_argument(
        "--decision",
        metavar="DECISION",
        choices=[
            "share_urgently",
            "share",
            "do_not_share",
            "seek_advice",
            "no_personal_data",
            "none",
        ],
        help="only records with this decision (none: emergencies without one)",
    )
    p.add_argument(
        "--emergency",
        choices=["yes", "no"],
        help="only emergency records (yes) or none of them (no)",
    )
    p.add_argument(
        "--reviewed",
        choices=["yes", "no"],
        help="only records an IG lead has reviewed (yes) or not (no)",
    )
    p.add_argument(
        "--verify",
        action="store_true",
        help="verify the hash chain first and say in the report whether it is "
        "intact (reads every entry: slower on a large ledger)",
    )
    p.set_defaults(handler=cmd_report)


def _flag(value: str | None) -> bool | None:
    return None if value is None else value == "yes"


def cmd_report(args: argparse.Namespace) -> int:
    from sharewise import paths
    from sharewise.cli.common import is_stdio, note, output, output_bytes
    from sharewise.domain.citations import load_registry
    from sharewise.reports import figures as F
    from sharewise.reports.audit import ChainStatus, PdfUnavailable, write
    from sharewise.store import LedgerMissing, open_ledger

    try:
        scope = F.Scope(
            args.date_from,
            args.date_to,
            team=args.team,
            decision=args.decision,
            emergency=_flag(args.emergency),
            reviewed=_flag(args.reviewed),
        )
    except F.BadScope as exc:
        note(f"sharewise: --from/--to: {exc}")
        return 2
    if args.format == "pdf" and args.out is None:
        note("sharewise: --format pdf writes a file: give --out FILE (or --out - for a pipe)")
        return 2
    chain: ChainStatus | None = None
    try:
        ledger = open_ledger(args.data_dir, create=False, readonly=True)
    except LedgerMissing:
        figures = F.Figures(scope, F.today())
        chain = ChainStatus(True, 0) if args.verify else None
    else:
        with ledger:
            if args.verify:
                from sharewise.store.verify import verify

                checked = verify(ledger.backend)
                chain = ChainStatus(
                    checked.intact,
                    checked.count,
                    tuple(sorted({b.seq for b in checked.breaks if b.seq})),  # 0: the whole ledger
                    tuple(b.render() for b in checked.breaks),
                )
            figures = F.count(ledger.backend, scope)
    registry = load_registry(paths.citations_path())
    try:
        if args.format == "pdf":
            with output_bytes(args.out) as binary:
                write(figures, "pdf", None, registry=registry, chain=chain, binary=binary)
        else:
            with output(args.out, newline="") as handle:
                write(figures, args.format, handle, registry=registry, chain=chain)
    except PdfUnavailable as exc:
        note(f"sharewise: {exc}")
        return 2
    if args.out is not None and not is_stdio(args.out):
        note(f"audit report written to {args.out}")
    if chain is not None and not chain.intact:
        note("sharewise: WARNING: the hash chain is broken; the report says so")
        return 1
    return 0

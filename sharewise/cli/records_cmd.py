"""`sharewise records ...`: list, show, export, verify, checkpoint, review, amend and purge.

Everything here reads or appends through `sharewise.store`; nothing edits an entry. Output
that shows text people typed goes through `safe_text`, so a record cannot act on the
terminal of the person reading it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Any

from sharewise.cli.common import STDIN_HELP, STDOUT_HELP, exit_codes
from sharewise.domain.errors import InputError, Location, Problem
from sharewise.domain.safe_text import safe_json

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sharewise.store import AppendedRef, Filters, Ledger

_ID_HELP = "an entry id, or its number in the chain"
_WROTE_JSON_HELP = "print the entry written, as `records show --json` prints it"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from",
        dest="date_from",
        type=_date,
        metavar="DATE",
        help="only entries recorded on or after DATE (YYYY-MM-DD, UTC)",
    )
    parser.add_argument(
        "--to",
        dest="date_to",
        type=_date,
        metavar="DATE",
        help="only entries recorded on or before DATE (YYYY-MM-DD, UTC)",
    )
    parser.add_argument(
        "--decision",
        choices=["share_urgently", "share", "do_not_share", "seek_advice", "no_personal_data"],
        help="only entries with this decision",
    )
    parser.add_argument("--case", metavar="REF", help="only entries for this case reference")


def register(sub: Any) -> None:
    """Add the `records` command group."""
    records = sub.add_parser("records", help="list, show, export and verify decision records")
    rsub = records.add_subparsers(dest="records_command", metavar="ACTION", required=True)

    p = rsub.add_parser("list", help="list entries")
    _add_filters(p)
    p.add_argument(
        "--timeline",
        action="store_true",
        help="with --case: the case's whole history in order (reviews and reassessments "
        "included) and which review date still stands",
    )
    p.add_argument("--today", type=_date, metavar="DATE", help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(handler=cmd_list)

    p = rsub.add_parser("show", help="print one entry in full")
    p.add_argument("id", metavar="ID", help=_ID_HELP)
    p.add_argument("--json", action="store_true", help="print the entry as JSON")
    p.set_defaults(handler=cmd_show)

    p = rsub.add_parser("export", help="export entries as json, csv, md or html")
    p.add_argument(
        "--format", required=True, choices=["json", "csv", "md", "html"], help="the file format"
    )
    p.add_argument(
        "--out",
        metavar="FILE",
        help=f"write to FILE (mode 0600) instead of standard output ({STDOUT_HELP})",
    )
    _add_filters(p)
    p.set_defaults(handler=cmd_export)

    p = rsub.add_parser(
        "verify",
        help="check the whole chain; exit 1 if anything is wrong",
        epilog=exit_codes("the chain is broken, or the ledger is not what sharewise wrote"),
    )
    p.add_argument(
        "--checkpoint",
        metavar="FILE",
        help=f"also check against a checkpoint ({STDIN_HELP})",
    )
    p.add_argument(
        "--public-key",
        metavar="FILE",
        help=f"require the checkpoint to be signed by this key (.pub file; {STDIN_HELP})",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(handler=cmd_verify)

    p = rsub.add_parser("checkpoint", help="write the current head for safekeeping elsewhere")
    p.add_argument(
        "--out",
        metavar="FILE",
        required=True,
        help=f"the checkpoint file to write (mode 0600; {STDOUT_HELP})",
    )
    p.add_argument(
        "--sign-key",
        metavar="KEY",
        help=f"sign with this Ed25519 private key (PEM; {STDIN_HELP})",
    )
    p.add_argument("--json", action="store_true", help="print the checkpoint written, as JSON")
    p.set_defaults(handler=cmd_checkpoint)

    p = rsub.add_parser("keygen", help="make an Ed25519 key pair for signing checkpoints")
    p.add_argument(
        "--out",
        metavar="FILE",
        required=True,
        help="private key file (0600); the public key goes to FILE.pub ('-' writes the "
        "private key to standard output, for a secrets store, and the public key to "
        "standard error)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print the files written and the public key, as JSON",
    )
    p.set_defaults(handler=cmd_keygen)

    p = rsub.add_parser("review", help="append an IG lead's review of an entry")
    p.add_argument("id", metavar="ID", help=_ID_HELP)
    p.add_argument(
        "--verdict",
        required=True,
        choices=["agree", "disagree", "follow_up"],
        help="the reviewer's verdict on the decision",
    )
    p.add_argument("--reviewer", required=True, metavar="NAME", help="who reviewed it")
    p.add_argument("--comment", metavar="TEXT", help="what the reviewer wants on record")
    p.add_argument("--json", action="store_true", help=_WROTE_JSON_HELP)
    p.set_defaults(handler=cmd_review)

    p = rsub.add_parser("amend", help="append a correction superseding a record's details")
    p.add_argument("id", metavar="ID", help=_ID_HELP)
    p.add_argument(
        "--record",
        required=True,
        metavar="DETAILS",
        help=f"the corrected details file ({STDIN_HELP})",
    )
    p.add_argument("--json", action="store_true", help=_WROTE_JSON_HELP)
    p.set_defaults(handler=cmd_amend)

    p = rsub.add_parser("complete", help="append the full details of an emergency record")
    p.add_argument("id", metavar="ID", help="the emergency record's id, or its number")
    p.add_argument(
        "--record",
        required=True,
        metavar="DETAILS",
        help=f"the record's full details file ({STDIN_HELP})",
    )
    p.add_argument(
        "--facts",
        metavar="FILE",
        help="also attach the decision for these answers (for an emergency filed without "
        f"one; {STDIN_HELP})",
    )
    p.add_argument("--tree", metavar="PATH", help=f"with --facts: the tree to use ({STDIN_HELP})")
    p.add_argument(
        "--new-case-ref",
        action="store_true",
        help="accept a case reference that differs from the emergency record's (the case "
        "has been given its proper reference since)",
    )
    p.add_argument("--json", action="store_true", help=_WROTE_JSON_HELP)
    p.set_defaults(handler=cmd_complete)

    p = rsub.add_parser(
        "replay",
        help="decide records' answers again on the current tree (or another) and show what "
        "would change",
        epilog=exit_codes("a record would be decided differently (decision, outcome or law "
                          "cited), or can no longer be decided"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("id", metavar="ID", nargs="?", help="a decision record's id, or its number")
    which.add_argument("--all", action="store_true", help="every record in the ledger")
    which.add_argument(
        "--since", type=_date, metavar="DATE", help="every record made on or after DATE"
    )
    which.add_argument("--case", metavar="REF", help="every record for this case reference")
    trees = p.add_mutually_exclusive_group()
    trees.add_argument(
        "--tree",
        metavar="PATH",
        help=f"the tree to use (default: the shipped one; {STDIN_HELP})",
    )
    trees.add_argument(
        "--own-tree",
        action="store_true",
        help="replay each record on the tree it was decided on (the ledger's copy)",
    )
    p.add_argument("--json", action="store_true", help="print what changed as JSON")
    p.set_defaults(handler=_replay)

    p = rsub.add_parser(
        "due", help="records whose review date has passed, and emergencies awaiting completion"
    )
    p.add_argument("--today", type=_date, metavar="DATE", help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(handler=cmd_due)

    p = rsub.add_parser("purge", help="erase personal details of entries older than DATE")
    p.add_argument(
        "--before",
        type=_date,
        metavar="DATE",
        help="erase entries recorded before this day (YYYY-MM-DD, UTC): end of retention; "
        "not in the future, nor inside the retention period (`settings retention`), which "
        "is the default",
    )
    p.add_argument("--today", type=_date, metavar="DATE", help=argparse.SUPPRESS)
    p.add_argument("--yes", action="store_true", help="really erase (without it: a dry run)")
    p.add_argument(
        "--json",
        action="store_true",
        help="print the purge entry written (dry run: what would be erased), as JSON",
    )
    p.set_defaults(handler=cmd_purge)  # fmt: skip


# -- helpers -------------------------------------------------------------------------------


def _open(args: argparse.Namespace, *, readonly: bool = True) -> Ledger | None:
    """The ledger, or None when none exists yet. Read-only unless the command appends, so
    that reading never writes, upgrades or chmods it (an auditor's read-only copy)."""
    from sharewise.store import LedgerMissing, open_ledger

    try:
        return open_ledger(args.data_dir, create=False, readonly=readonly)
    except LedgerMissing:
        return None


def _filters(args: argparse.Namespace) -> Filters:
    from sharewise.store import Filters

    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise InputError(Problem(Location("--from"), "--from is after --to", "swap the two dates"))
    return Filters(
        date_from=args.date_from, date_to=args.date_to, decision=args.decision, case=args.case
    )


def _require(args: argparse.Namespace, *, readonly: bool = True) -> Ledger:
    ledger = _open(args, readonly=readonly)
    if ledger is None:
        raise InputError(
            Problem(
                Location(str(args.id)),
                "no entry with this id or number (there are no records yet)",
                "record a decision first",
            )
        )
    return ledger


def _summary(entry: Any) -> dict[str, Any]:
    from sharewise.store.listing import of_entry

    return of_entry(entry).to_json_dict()


def _listed_json(item: Any) -> dict[str, Any]:
    """A `records list --json` row: the entry's summary (its own `decision`, as recorded),
    the completion of an emergency record, and the number of the entry a later one is about."""
    done = item.completed_by
    return {
        **item.entry.to_json_dict(),
        "completed_by": done.to_json_dict() if done is not None else None,
        "target_seq": item.target_seq,
    }


#: How `records list` says what a later entry does to the entry it refers to.
_LINK_WORDS = {
    "completion": "completes",
    "review": "reviews",
    "amendment": "amends",
    "decision": "reassesses",
}


def _listed_note(item: Any) -> str:
    """The words after the case in `records list`: how the entry stands to the others."""
    kind = item.entry.kind
    if kind == "emergency":
        done = item.completed_by
        return "(to be completed)" if done is None else f"(completed by entry {done.seq})"
    if item.target_seq is not None and kind in _LINK_WORDS:
        return f"({_LINK_WORDS[kind]} entry {item.target_seq})"
    return ""


def _wrote(args: argparse.Namespace, ledger: Ledger, ref: AppendedRef, what: str) -> None:
    """Say what a write command appended: the entry itself with `--json` (as `records show
    --json` prints it, so a script can keep it), otherwise its id, number and hash."""
    if getattr(args, "json", False):
        from sharewise.cli.common import print_json

        print_json(ledger.get(ref.id).model_dump(mode="json"))
    else:
        print(f"{what} {ref.id} (entry {ref.seq}, hash {ref.hash})")


# -- commands ------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from sharewise.domain.safe_text import safe_line
    from sharewise.store import LedgerMissing, open_backend
    from sharewise.store.listing import plain_listing

    if args.timeline:
        return _timeline(args)
    try:
        backend = open_backend(args.data_dir, create=False, readonly=True)
    except LedgerMissing:
        if args.json:
            print("[]")
        else:
            print("no records yet", file=sys.stderr)
        return 0
    with backend:
        # One query: each emergency record comes with its completion (see Ledger.listing),
        # and each entry is read for what the listing shows, without the entry models
        # (`store.listing`: pydantic's import alone was most of `records list --case`).
        listed = plain_listing(backend, _filters(args))
        if args.json:
            sys.stdout.write("[")
            for i, item in enumerate(listed):
                sys.stdout.write(
                    ("," if i else "")
                    + "\n"
                    + safe_json(json.dumps(_listed_json(item), ensure_ascii=False))
                )
            sys.stdout.write("\n]\n")
            return 0
        print(f"{'#':>5}  {'id':26}  {'recorded (UTC)':16}  {'kind':10}  {'decision':16}  case")
        for item in listed:
            s = item.entry
            case = safe_line(s.case_ref or ("[erased]" if s.erased else ""))
            note = _listed_note(item)
            # An emergency record shows the decision its completion brought, if it had none.
            line = (
                f"{s.seq:>5}  {s.id:26}  {s.created[:16].replace('T', ' '):16}  "
                f"{s.kind:10}  {item.decision or '':16}  {case:15}  {note}"
            )
            print(line.rstrip())
    return 0


def _timeline(args: argparse.Namespace) -> int:
    """`records list --case REF --timeline`: the case's entries in order (see store.timeline)."""
    from sharewise.cli.common import print_json
    from sharewise.domain.safe_text import safe_line
    from sharewise.store.timeline import timeline

    if not args.case:
        raise InputError(
            Problem(Location("--timeline"), "a timeline is of one case", "add --case REF")
        )
    today = args.today or dt.datetime.now(dt.UTC).date()
    ledger = _open(args)
    moments = []
    if ledger is not None:
        with ledger:
            moments = timeline(ledger, args.case, today)
    if args.json:
        print_json([m.to_json_dict() for m in moments])
        return 0
    case = safe_line(args.case)
    if not moments:
        print(f"no entries for case {case}")
        return 0
    first, last = moments[0].entry.created, moments[-1].entry.created
    count = f"{len(moments)} entr{'y' if len(moments) == 1 else 'ies'}"
    print(f"Case {case}: {count}, {first:%Y-%m-%d} to {last:%Y-%m-%d}")
    for m in moments:
        e = m.entry
        line = f"{e.seq:>5}  {e.created:%Y-%m-%d %H:%M}  {e.kind.value:10}  {m.what}"
        if m.review_by is not None:
            line += f"; review by {m.review_by} ({m.review_status})"
        print(line)
    standing = [m for m in moments if m.review_status in ("upcoming", "overdue")]
    if standing:
        m = standing[-1]
        print(f"Next review: {m.review_by} (entry {m.entry.seq}, {m.review_status})")
    else:
        print("Next review: none set")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from sharewise.store.export import render_text

    with _require(args) as ledger:
        entry = ledger.get(args.id)
        held = None
        if entry.result is not None:
            held = entry.result.tree.sha256 in ledger.held_trees()
        if args.json:
            shown = entry.model_dump(mode="json")
            if held is not None:
                shown["tree_held"] = held
            print(safe_json(json.dumps(shown, ensure_ascii=False, indent=2)))
        else:
            print(render_text(entry, ledger.linked_to(entry.id), tree_held=held))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from sharewise.cli.common import is_stdio, note, output
    from sharewise.store.export import csv_rows, export, json_rows

    filters = _filters(args)
    ledger = _open(args)
    entries = iter(()) if ledger is None else ledger.entries(filters)
    # The readable formats say which later entries completed, reviewed or amended each one.
    links = ledger.links() if ledger is not None and args.format in ("md", "html") else None
    # A file is written beside and renamed, 0600: an export holds personal data.
    newline = "" if args.format == "csv" and not is_stdio(args.out) else None
    try:
        with output(args.out, newline=newline) as out:
            if args.format in ("csv", "json") and ledger is not None:
                # Straight from the stored rows: the same bytes, no models rebuilt.
                write = csv_rows if args.format == "csv" else json_rows
                count = write(ledger.backend.rows(filters), out)
            else:
                count = export(entries, args.format, out, links=links)
    finally:
        if ledger is not None:
            ledger.close()
    if args.out is not None and not is_stdio(args.out):
        note(f"exported {count} entr{'y' if count == 1 else 'ies'} to {args.out}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from sharewise.cli.common import input_arg, one_stdin
    from sharewise.store.checkpoint import load_public_key, read_checkpoint
    from sharewise.store.verify import Break, Report, verify

    one_stdin(**{"--checkpoint": args.checkpoint, "--public-key": args.public_key})
    point = read_checkpoint(input_arg(args.checkpoint)) if args.checkpoint else None
    key = load_public_key(input_arg(args.public_key)) if args.public_key else None
    if key is not None and point is None:
        raise InputError(
            Problem(
                Location("--public-key"),
                "a public key checks a checkpoint",
                "give --checkpoint FILE as well",
            )
        )
    from sharewise.domain.safe_text import safe_line
    from sharewise.store.base import LedgerCorrupt

    location = "(no ledger)"
    report = Report()
    try:
        ledger = _open(args)
    except LedgerCorrupt as exc:
        # Opened, but not a ledger this sharewise wrote or can vouch for (damaged, a newer
        # schema, its metadata gone): a finding for whoever watches (exit 1), not "cannot
        # open" (exit 3, which a monitor may treat as a passing outage).
        ledger = None
        location = "(not one this sharewise can vouch for)"
        report.breaks.append(Break(0, None, safe_line(exc.render())))
    else:
        if ledger is None and point is not None and point.size > 0:
            report.checkpoint_checked = True
            report.breaks.append(
                Break(
                    0,
                    None,
                    f"there is no ledger here, but the checkpoint recorded {point.size} entries",
                )
            )
    if ledger is not None:
        with ledger:
            location = ledger.backend.location
            report = verify(ledger.backend, point, trusted_key=key)
    if args.json:
        from sharewise.cli.common import print_json

        print_json({"ledger": location, **report.to_json_dict()})
        return 0 if report.intact else 1
    for warning in report.warnings:
        print(f"sharewise: warning: {warning}", file=sys.stderr)
    for brk in report.breaks:
        print(brk.render())
    what = f"{report.count} entr{'y' if report.count == 1 else 'ies'}"
    if report.intact:
        extra = ", matches the checkpoint" if report.checkpoint_checked else ""
        print(
            f"ledger {location}: {what}, chain intact{extra}; head {report.head_seq} "
            f"{report.head_hash}"
        )
        if report.erased:
            print(f"({report.erased} entries' personal details erased by purge, as recorded)")
        return 0
    print(
        f"ledger {location}: {what}, {len(report.breaks)} problem(s) found: the ledger has "
        "been altered or damaged since it was written",
        file=sys.stderr,
    )
    return 1


def cmd_checkpoint(args: argparse.Namespace) -> int:
    from sharewise.cli.common import input_arg, is_stdio, json_text, note, output
    from sharewise.store import LedgerMissing, open_ledger
    from sharewise.store.checkpoint import load_private_key, make_checkpoint

    key = load_private_key(input_arg(args.sign_key)) if args.sign_key else None
    try:
        ledger = open_ledger(args.data_dir, create=False, readonly=True)
    except LedgerMissing:  # a checkpoint of no records yet: the ledger it will be
        ledger = open_ledger(args.data_dir)
    with ledger:
        head = ledger.head()
        point = make_checkpoint(ledger.backend.ledger_id, head.seq, head.hash, key)
    text = json_text(point.to_json_dict())
    with output(args.out) as out:
        out.write(text)
    if is_stdio(args.out):
        return 0  # the checkpoint itself is the result, already on standard output
    if args.json:
        sys.stdout.write(text)
    signed = " (signed)" if key is not None else ""
    note(f"checkpoint{signed} written to {args.out}: {point.size} entries, head {point.head}")
    return 0


def cmd_keygen(args: argparse.Namespace) -> int:
    from sharewise.cli.common import is_stdio, note, print_json
    from sharewise.store.checkpoint import generate_key, new_key

    if is_stdio(args.out):
        if args.json:
            raise InputError(
                Problem(
                    Location("--json"),
                    "with --out - the private key itself is the output",
                    "leave out --json, or give --out a file name",
                )
            )
        pem, public = new_key()
        sys.stdout.write(pem.decode("ascii"))
        note(f"public key {public} (keep it on record; give it to `records verify` as a .pub)")
        return 0
    public = generate_key(args.out)
    if args.json:
        print_json(
            {"private_key": args.out, "public_key_file": f"{args.out}.pub", "public_key": public}
        )
        return 0
    print(
        f"private key written to {args.out} (keep it secret); public key {public} "
        f"written to {args.out}.pub"
    )
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from sharewise.domain.record import Verdict

    with _require(args, readonly=False) as ledger:
        ref = ledger.review(args.id, Verdict(args.verdict), args.reviewer, args.comment)
        _wrote(args, ledger, ref, "review recorded:")
    return 0


def cmd_amend(args: argparse.Namespace) -> int:
    from sharewise.cli.common import input_arg
    from sharewise.store.details import load_details

    details, _ = load_details(input_arg(args.record), allow_emergency=False)
    with _require(args, readonly=False) as ledger:
        ref = ledger.amend(args.id, details)
        _wrote(args, ledger, ref, "amendment recorded:")
    return 0


def cmd_complete(args: argparse.Namespace) -> int:
    from sharewise.cli.common import input_arg, load_tree_arg, one_stdin
    from sharewise.domain.safe_text import safe_line
    from sharewise.store.details import load_details_located
    from sharewise.store.ledger import CaseRefDiffers

    one_stdin(**{"--record": args.record, "--facts": args.facts, "--tree": args.tree})
    details, _, locator = load_details_located(input_arg(args.record), allow_emergency=False)
    result = None
    if args.facts:
        from sharewise.domain.decide import decide_file

        result = decide_file(input_arg(args.facts), load_tree_arg(args.tree))
    with _require(args, readonly=False) as ledger:
        try:
            ref = ledger.complete(args.id, details, result, new_case_ref=args.new_case_ref)
        except CaseRefDiffers:
            # Said at the line of the file to change; the references themselves are
            # personal data, so the message does not quote them.
            shown = safe_line(args.id)
            raise InputError(
                Problem(
                    locator.at(("case_ref",)),
                    f"case_ref differs from the case reference of emergency record {shown}",
                    f"use the emergency record's, which `sharewise records show {shown}` "
                    "prints, or add --new-case-ref if the case has been given a new "
                    "reference since",
                )
            ) from None
        _wrote(args, ledger, ref, "completion recorded:")
    return 0


def _replay(args: argparse.Namespace) -> int:
    from sharewise.cli.records_replay import cmd_replay

    return cmd_replay(args)


def cmd_due(args: argparse.Namespace) -> int:
    """Each due entry is printed as it is found, never held: at 100,000 entries thousands
    can be due, and a list of rebuilt entries took 70 MiB."""
    from sharewise.domain.safe_text import safe_line

    today = args.today or dt.datetime.now(dt.UTC).date()
    ledger = _open(args)
    found = iter(()) if ledger is None else ledger.due(today)
    count = 0
    try:
        if args.json:
            count = write_json_array(
                ({**_summary(e), "reason": why} for e, why in found), sys.stdout
            )
            return 0
        for entry, why in found:
            case = safe_line(entry.details.case_ref or "") if entry.details else ""
            print(f"{entry.seq:>5}  {entry.id}  {case}  {why}")
            count += 1
    finally:
        if ledger is not None:
            ledger.close()
    if not count:
        print("nothing is due", file=sys.stderr)
    return 0


def write_json_array(items: Iterator[dict[str, Any]], out: Any) -> int:
    """`print(json.dumps(list(items), indent=2, ensure_ascii=False))`, byte for byte, one
    item at a time (a test holds the two together)."""
    count = 0
    for item in items:
        text = safe_json(json.dumps(item, indent=2, ensure_ascii=False)).replace("\n", "\n  ")
        out.write(("[\n  " if not count else ",\n  ") + text)
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count


def purge_cutoff(before: dt.date | None, today: dt.date, years: int | None) -> dt.date:
    """The day a purge erases entries before: the one asked for, checked, or the end of the
    organisation's retention period. A cut-off in the future, or one that would erase
    records still inside the retention period, is refused: erasure cannot be undone."""
    limit = None if years is None else _years_before(today, years)
    if before is None:
        if limit is None:
            raise InputError(
                Problem(
                    Location("--before"),
                    "no cut-off given, and no retention period is set",
                    "give --before DATE, or set the organisation's retention period with "
                    "`sharewise settings retention YEARS`",
                )
            )
        return limit
    if before > today:
        raise InputError(
            Problem(
                Location("--before"),
                f"{before} is in the future: records made until then would be erased "
                "as soon as they were filed",
                f"give a day no later than today ({today})",
            )
        )
    if limit is not None and before > limit:
        raise InputError(
            Problem(
                Location("--before"),
                f"records made from {limit} to {before} are still inside the organisation's "
                f"retention period ({years} years)",
                f"give a day no later than {limit}, or change the period with "
                "`sharewise settings retention`",
            )
        )
    return before


def _years_before(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February, in a year that has none
        return today.replace(year=today.year - years, day=28)


def cmd_purge(args: argparse.Namespace) -> int:
    from sharewise.cli.common import note, print_json
    from sharewise.domain.settings import load_retention
    from sharewise.profile import data_folder
    from sharewise.store import Filters

    today = args.today or dt.datetime.now(dt.UTC).date()
    args.before = purge_cutoff(args.before, today, load_retention(data_folder(args.data_dir)))
    ledger = _open(args, readonly=not args.yes)
    if ledger is None or not args.yes:
        old = 0
        if ledger is not None:
            with ledger:
                # Nothing is recorded before the first day there is (0001-01-01).
                last_day = args.before - dt.timedelta(days=1) if args.before > dt.date.min else None
                old = sum(
                    1
                    for e in (ledger.entries(Filters(date_to=last_day)) if last_day else ())
                    if not e.erased and (e.details is not None or e.review is not None)
                )
        if args.json:
            # Nothing written: what a purge with --yes would erase.
            print_json({"dry_run": True, "before": args.before.isoformat(), "would_erase": old})
        elif ledger is None:
            note("no records yet: nothing to purge")
        else:
            print(
                f"dry run: {old} entries recorded before {args.before} still hold personal "
                "details; run again with --yes to erase them (the chain will still verify)"
            )
        return 0
    with ledger:
        ref, count = ledger.purge(args.before)
        if args.json:
            _wrote(args, ledger, ref, "")
            return 0
    print(
        f"erased the personal details of {count} entries recorded before {args.before}; "
        f"purge recorded as entry {ref.seq} ({ref.id})"
    )
    return 0

"""`sharewise decide`: decide a case from a facts file, or thousands from JSON Lines."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sharewise.cli.common import STDIN_HELP
from sharewise.domain.errors import Location, Problem, SharewiseError
from sharewise.domain.safe_text import safe_json

if TYPE_CHECKING:
    from sharewise.domain.graph import CompiledTree
    from sharewise.domain.result import DecisionResult


def register(sub: Any) -> None:
    p = sub.add_parser("decide", help="decide a case from a facts file")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument(
        "--facts", metavar="FILE", help=f"a YAML or JSON file of fact: value ({STDIN_HELP})"
    )
    src.add_argument(
        "--batch",
        metavar="FILE",
        help=f"JSON Lines, one facts object per line; prints one result per line ({STDIN_HELP})",
    )
    p.add_argument(
        "--tree", metavar="PATH", help=f"the tree to use (default: England; {STDIN_HELP})"
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument(
        "--record",
        metavar="DETAILS",
        help=f"also append a decision record built from this details file ({STDIN_HELP})",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from sharewise.cli.common import input_arg, load_tree_arg, one_stdin

    one_stdin(
        **{
            "--tree": args.tree,
            "--facts": args.facts,
            "--batch": args.batch,
            "--record": args.record,
        }
    )
    if args.batch:
        tree = load_tree_arg(args.tree)
        if args.record:
            raise SharewiseError("--record goes with --facts, not --batch")
        return _run_batch(args.batch, tree)
    if args.record:
        from sharewise.domain.decide import decide_file

        tree = load_tree_arg(args.tree)
        return _print(args, decide_file(input_arg(args.facts), tree))
    return _run_facts(args)


def _run_facts(args: argparse.Namespace) -> int:
    """`decide --facts` without `--record`: from the compiled tree when this tree was
    decided on before (`decide_cache`: no pydantic, no networkx), otherwise the full path,
    which then leaves the compiled tree behind for the next time."""
    from sharewise import paths
    from sharewise.cli.common import input_arg, is_stdio, print_json
    from sharewise.domain import decide_cache
    from sharewise.domain.facts_file import load_facts
    from sharewise.domain.strict_yaml import read_source

    tree_source = input_arg(args.tree) if args.tree else paths.default_tree_path()
    raw = read_source(tree_source)
    key = None if is_stdio(args.tree) else decide_cache.key(raw)
    compiled = decide_cache.load(key) if key else None
    # The tree, if taken from the cache, was proven valid; otherwise it is loaded (and its
    # problems reported) before the facts are read, as always.
    tree = None if compiled else _load_tree(raw, str(tree_source))
    facts, locator = load_facts(input_arg(args.facts))
    if compiled is not None:
        if args.json:
            found = compiled.json_dict(facts)
            if found is not None:
                print_json(found)
                return 0
        else:
            text = compiled.text(facts)
            if text is not None:
                sys.stdout.write(text)
                return 0
        tree = _load_tree(raw, str(tree_source))
    assert tree is not None
    if key and compiled is None and decide_cache.key(raw) == key:
        # Stored only if the vocabulary and registry read are still those the key names.
        decide_cache.store(key, decide_cache.build(tree, render_text))
    from sharewise.domain.decide import decide

    return _print(args, decide(tree, facts, locator))


def _load_tree(raw: bytes, name: str) -> CompiledTree:
    from sharewise.domain.graph import load_tree_source

    return load_tree_source(raw, name)


def _print(args: argparse.Namespace, result: DecisionResult) -> int:
    from sharewise.cli.common import print_json

    record_ref: dict[str, Any] | None = None
    if args.record:
        from sharewise.cli.common import input_arg
        from sharewise.store import append_decision

        ref = append_decision(args.data_dir, result, input_arg(args.record))
        record_ref = {"id": ref.id, "seq": ref.seq, "hash": ref.hash}
    if args.json:
        out = result.to_json_dict()
        if record_ref is not None:
            out["record"] = record_ref
        print_json(out)
    else:
        sys.stdout.write(render_text(result))
        if record_ref is not None:
            print(f"\nRecorded as {record_ref['id']} (entry {record_ref['seq']} in the ledger).")
    return 0


#: The longest line `decide --batch` reads (a line of facts is a few hundred bytes).
MAX_LINE = 1024 * 1024


def _run_batch(source: str, tree: Any) -> int:
    import orjson

    from sharewise.domain.batch import BatchDecider
    from sharewise.domain.decide import decide
    from sharewise.domain.errors import InputError
    from sharewise.domain.strict_yaml import Locator

    name = "<stdin>" if source == "-" else source
    stream = sys.stdin.buffer if source == "-" else _open_batch(source)
    fast = BatchDecider(tree)
    bad = 0
    out = sys.stdout
    pending: list[str] = []
    with stream, _flushing(pending, out):
        for number, raw in enumerate(iter(lambda: stream.readline(MAX_LINE + 1), b""), start=1):
            if len(raw) > MAX_LINE:
                # Read in bounded pieces: a stream with no line ends (/dev/zero) must stop
                # with a message, not fill the memory. What was decided is written.
                raise InputError(
                    Problem(
                        Location(name, number, 1),
                        f"this line is longer than {MAX_LINE} bytes: not a line of facts",
                        "give one JSON object of fact: value per line",
                    )
                )
            if not raw.strip():
                continue
            try:
                facts = orjson.loads(raw)
            except orjson.JSONDecodeError:
                facts = None  # the standard library decides, and words the error
            # orjson keeps the last of two equal keys; a line with as many `":` as keys has
            # none twice, any other (a repeated key, or `":` inside a text) is checked below.
            if (
                isinstance(facts, dict)
                and raw.count(b'":') == len(facts)
                and (text := fast.text(facts)) is not None
            ):
                pending.append(text)
            else:
                try:
                    facts = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_repeats)
                    if not isinstance(facts, dict):
                        raise ValueError("a line must be a JSON object of fact: value")
                    where = Locator(name, {(): (number, 1)})
                    payload = decide(tree, facts, where).to_json_dict()
                except SharewiseError as exc:
                    payload, bad = {"line": number, "error": _one_line(exc.render())}, bad + 1
                except UnicodeDecodeError:
                    payload, bad = {"line": number, "error": "not UTF-8 text"}, bad + 1
                except RecursionError:
                    payload = {"line": number, "error": "not a JSON object: nested too deeply"}
                    bad += 1
                except ValueError as exc:  # json.JSONDecodeError is a ValueError
                    payload, bad = {"line": number, "error": f"not a JSON object: {exc}"}, bad + 1
                pending.append(safe_json(json.dumps(payload, ensure_ascii=False)))
            if len(pending) >= 512:
                _flush(pending, out)
    return 2 if bad else 0


def _flush(pending: list[str], out: Any) -> None:
    if pending:
        out.write("\n".join(pending) + "\n")
        pending.clear()


@contextlib.contextmanager
def _flushing(pending: list[str], out: Any) -> Iterator[None]:
    """Lines are written 512 at a time; whatever stops the batch, those done are written."""
    try:
        yield
    finally:
        _flush(pending, out)


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key given twice (as the YAML loaders do: which one was
    meant cannot be known)."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"the key {key!r} appears twice; keep one")
        found[key] = value
    return found


def _open_batch(path: str) -> Any:
    from sharewise.domain.errors import InputError

    try:
        return open(path, "rb")  # closed by the caller; each line decoded as UTF-8
    except OSError as exc:
        raise InputError(
            Problem(Location(path), f"cannot read the file ({exc.strerror})", "check the path")
        ) from None


def _one_line(text: str) -> str:
    return " / ".join(part.strip() for part in text.splitlines() if part.strip())


def render_text(result: DecisionResult) -> str:
    """The outcome as plain text for a terminal or a screen reader."""
    from sharewise import paths
    from sharewise.domain.citations import load_registry

    registry = load_registry(paths.citations_path())
    o = result.outcome
    lines = [
        f"Decision: {o.decision.value.replace('_', ' ').upper()} - {o.title}",
        "",
        o.summary,
        "",
        "What to do next:",
    ]
    lines += [f"  {i}. {a}" for i, a in enumerate(o.actions, start=1)]
    if o.advice_whom:
        lines += ["", "Ask: " + "; ".join(o.advice_whom)]
        lines += [f"  - {q}" for q in o.advice_ask]
    from sharewise.domain.words import law_sections

    law_lines = []
    for label, ids in law_sections(o.law):
        if ids:
            law_lines.append(f"  {label}:")
            for cid in ids:
                c = registry.get(cid)
                law_lines.append(f"    - {c.title if c else cid} [{cid}]")
    if law_lines:
        lines += ["", "The law behind it:", *law_lines]
    lines += [
        "",
        f"Tree: {result.tree.title} {result.tree.version} "
        f"(law as at {result.tree.law_as_at.isoformat()})",
    ]
    return "\n".join(lines) + "\n"

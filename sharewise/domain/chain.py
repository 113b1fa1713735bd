"""Canonical JSON and the hashes of the ledger's chain: the one place the bytes are defined.

An entry's hash must come out the same on any machine, in any year, from any program that
follows the written rules, or an auditor cannot recompute it. So the rules are few and
fixed: RFC 8785 canonical JSON, every text normalised to Unicode NFC, no floats (their
textual form is a known source of disagreement), times as UTC RFC 3339 strings, and
SHA-256 over the bytes prefixed by a label naming what is hashed and the algorithm's
version (domain separation: an entry hash can never be confused with a commitment to
personal details or a checkpoint signature, even if their bytes happened to coincide).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from typing import Any

import orjson
import rfc8785

#: The algorithm every entry written by this version names in its `alg` field.
ALGORITHM = "sharewise-ledger/1"
#: The algorithms this version can verify.
KNOWN_ALGORITHMS = frozenset({ALGORITHM})
#: The `prev_hash` of the first entry.
GENESIS = "0" * 64

_ENTRY_LABEL = b"sharewise.ledger.entry/1\x00"
#: The entry label, for a database that checks each new entry's hash itself (PostgreSQL).
ENTRY_LABEL = _ENTRY_LABEL
_PERSONAL_LABEL = b"sharewise.ledger.personal/1\x00"
_CHECKPOINT_LABEL = b"sharewise.ledger.checkpoint/1\x00"


class CanonicalError(ValueError):
    """A value that has no canonical form here (a float, a non-text key, a lone surrogate)."""


def normalise(value: Any) -> Any:
    """Return `value` with every text in NFC, refusing what canonical JSON cannot carry.

    Why NFC: "é" typed on one keyboard and pasted from another can be different code points;
    a practitioner would call them the same text, and so must the hash.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return _nfc(value)
    if isinstance(value, float):
        raise CanonicalError("floats are not allowed in ledger entries")
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalError("object keys must be text")
            out[_nfc(key)] = normalise(item)
        return out
    if isinstance(value, list | tuple):
        return [normalise(item) for item in value]
    raise CanonicalError(f"a {type(value).__name__} cannot be stored in a ledger entry")


def _nfc(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CanonicalError("text contains a lone surrogate") from exc
    return unicodedata.normalize("NFC", text)


def canonical(value: Any) -> bytes:
    """The RFC 8785 bytes of `value` after normalisation.

    orjson writes the same bytes as the reference encoder for what ledger entries hold, in
    a few microseconds where the reference takes about a millisecond for a 4 KB record (most
    of an append's work). It is trusted only when nothing can differ: the value holds only
    dicts with text keys, lists, texts, booleans, None and integers within RFC 8785's range
    (`_plain`: no float, tuple, date or enum, which orjson writes its own way), every text
    is already NFC, and no code point sorts differently by UTF-16 (U+E000 and above).
    Otherwise the reference encoder decides.
    """
    if _plain(value):
        try:
            fast = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except TypeError:  # a lone surrogate: the reference path says so
            return reference_canonical(value)
        if (fast.isascii() or _BMP_BELOW_E000.fullmatch(fast)) and unicodedata.is_normalized(
            "NFC", fast.decode("utf-8")
        ):
            return fast
    return reference_canonical(value)


_SAFE_INT = 2**53  # RFC 8785 (I-JSON) integers lie strictly between minus and plus this


def _plain(value: Any) -> bool:
    """Whether `value` holds only the JSON types whose orjson form is RFC 8785's (exact
    types: a subclass may write itself differently). One pass, no recursion."""
    stack = [value]
    pop, push = stack.pop, stack.append
    while stack:
        x = pop()
        t = type(x)
        if t is str or x is None or t is bool:
            continue
        if t is dict:
            for key, item in x.items():
                if type(key) is not str:
                    return False
                if type(item) is not str:
                    push(item)
        elif t is list:
            stack.extend(x)
        elif t is int:
            if not -_SAFE_INT < x < _SAFE_INT:
                return False
        else:
            return False
    return True


def reference_canonical(value: Any) -> bytes:
    """The RFC 8785 bytes of `value` after normalisation, by the reference encoder alone."""
    return bytes(rfc8785.dumps(normalise(value)))


# UTF-8 with no code point at or above U+E000 (lead bytes EE, EF and F0 to F4 absent).
_BMP_BELOW_E000 = re.compile(rb"[\x00-\xed]*")


def decode(body: bytes) -> Any:
    """Parse stored bytes as JSON (raises ValueError if they are not JSON)."""
    return orjson.loads(body)


# A number with a fraction or an exponent where a value starts: after a key's `":`, a `,`
# or a `[`, or as the whole body (not the `:55.5` inside a time). orjson writes floats
# happily, so a body holding one must go to the reference encoder, which refuses them. Four
# patterns, each starting with a literal, because sre then skips ahead to that literal: one
# pattern with an alternation costs ten times as much on every entry verify reads. A match
# inside a string is harmless (that body just takes the slower, exact path).
_MAYBE_FLOAT = tuple(
    re.compile(p)
    for p in (rb'":-?[0-9]+[.eE]', rb",-?[0-9]+[.eE]", rb"\[-?[0-9]+[.eE]", rb"\A-?[0-9]")
)


def _maybe_float(body: bytes) -> bool:
    return any(p.search(body) for p in _MAYBE_FLOAT)


def json_text(text: str) -> bytes:
    """One string as canonical JSON bytes (orjson escapes exactly as RFC 8785 does)."""
    return orjson.dumps(text)


def is_canonical(body: bytes, value: Any = None) -> bool:
    """Whether stored bytes are exactly the canonical form of what they decode to.

    A fast path first: orjson with sorted keys writes RFC 8785 bytes for the shapes stored
    here (ASCII keys, integers, no floats) about five times faster than the standard
    library, which matters when `verify` checks 100,000 entries. Only if the two disagree
    is the reference encoder consulted, so the answer is always the reference encoder's.
    Pass the already-decoded `value` to save decoding twice.
    """
    if value is None:
        try:
            value = decode(body)
        except ValueError:
            return False
    try:
        fast = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        fast = b""
    if fast == body and not _maybe_float(body):
        # NFC checked on the whole text at once: JSON's ASCII punctuation never composes
        # with a neighbour, so this is the same as checking every string, and much faster.
        return unicodedata.is_normalized("NFC", body.decode("utf-8"))
    try:
        return canonical(value) == body
    except CanonicalError:
        return False


def entry_hash(body: bytes) -> str:
    """SHA-256 (hex) of an entry's canonical body, domain-separated."""
    return hashlib.sha256(_ENTRY_LABEL + body).hexdigest()


def personal_commitment(salt: bytes, data: bytes) -> str:
    """The salted hash of an entry's personal details that the chain carries instead of them.

    The salt is random per entry and erased with the text, so once a purge has run nobody
    can test a guessed name against the chain.
    """
    return hashlib.sha256(_PERSONAL_LABEL + salt + b"\x00" + data).hexdigest()


def checkpoint_message(ledger_id: str, size: int, head_hash: str) -> bytes:
    """The bytes a `sharewise-checkpoint/1` signature covers (not its time or algorithm:
    version 2 signs everything, `checkpoint_message_v2`)."""
    return _CHECKPOINT_LABEL + canonical({"ledger": ledger_id, "size": size, "head": head_hash})


_CHECKPOINT_LABEL_V2 = b"sharewise.ledger.checkpoint/2\x00"


def checkpoint_message_v2(fields: dict[str, Any]) -> bytes:
    """The bytes a `sharewise-checkpoint/2` signature covers: every field of the checkpoint
    but the signature (format, ledger, size, head, alg, created), canonical JSON."""
    return _CHECKPOINT_LABEL_V2 + canonical(fields)


def utc_text(moment: dt.datetime) -> str:
    """A UTC RFC 3339 time with microseconds and a `Z`, refusing naive datetimes."""
    if moment.tzinfo is None:
        raise CanonicalError("times must carry a time zone")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


#: What `utc_text` writes, exactly: read by `fromisoformat` (C) rather than `strptime`
#: (about ten times slower, and reading every entry of a ledger reads every time).
_UTC_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")


def parse_utc(text: str) -> dt.datetime:
    """Inverse of `utc_text`. Text in any other form `strptime` reads as before."""
    if isinstance(text, str) and _UTC_TEXT.fullmatch(text):
        return dt.datetime.fromisoformat(text[:-1]).replace(tzinfo=dt.UTC)
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)

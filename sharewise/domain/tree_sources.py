"""The bytes of every tree loaded in this process, by SHA-256.

A decision record names its tree by SHA-256; recording it also keeps a copy of the tree in
the ledger (once per tree), so that it can be replayed on exactly the rules it was decided
on after the shipped tree has changed. The record carries only the digest, so the ledger
asks here for the bytes that hash to it. A tree built in memory (never loaded from bytes)
is simply not known, and a record decided on it says its tree is not held.
"""

from __future__ import annotations

import hashlib

_SOURCES: dict[str, bytes] = {}


def remember(sha256: str, raw: bytes) -> None:
    """Note the bytes of a tree just loaded (`sha256` is their digest)."""
    _SOURCES.setdefault(sha256, raw)


def source(sha256: str) -> bytes | None:
    """The bytes of the tree with this digest, if this process loaded it."""
    return _SOURCES.get(sha256)


def digest(raw: bytes) -> str:
    """A tree's name in the ledger: the SHA-256 of its bytes, as a decision records it."""
    return hashlib.sha256(raw).hexdigest()

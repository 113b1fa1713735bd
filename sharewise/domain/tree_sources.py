"""The bytes of every tree loaded in this process, by SHA-256.

A decision record names its tree by SHA-256; recording it also keeps a copy of the tree in
the ledger (once per tree), so that it can be replayed on exactly the rules it was decided
on after the shipped tree has changed. The record carries only the digest, so the ledger
asks here for the bytes that hash to it. A tree built in memory (never loaded from bytes)
is simply not known, and a record decided on it says its tree is not held.

The bytes are held compressed (zlib, fastest level): the UI keeps the England tree for its
whole session but needs its bytes only when a record is saved (and a cached tree's
locations only if an error or a tool asks for one). 890 KiB of YAML is 70 KiB compressed;
compressing costs about 5 ms when the tree is loaded (on the UI's loading thread, after the
first paint) and decompressing about 3 ms when the bytes are asked for. What comes back is
checked against its digest, so a record can only ever keep the bytes it names.
"""

from __future__ import annotations

import hashlib
import zlib

#: Compressed bytes by the SHA-256 of the uncompressed bytes.
_SOURCES: dict[str, bytes] = {}
#: zlib's fastest level: 12x smaller on the England tree already; the best level saves a
#: further 25 KiB for four times the time.
_LEVEL = 1


def pack(raw: bytes) -> bytes:
    """A tree's bytes as they are held here (see `keep`)."""
    return zlib.compress(raw, _LEVEL)


def unpack(packed: bytes) -> bytes:
    return zlib.decompress(packed)


def remember(sha256: str, raw: bytes) -> None:
    """Note the bytes of a tree just loaded (`sha256` is their digest)."""
    if sha256 not in _SOURCES:
        _SOURCES[sha256] = pack(raw)


def keep(sha256: str, packed: bytes) -> None:
    """As `remember`, for bytes already packed (`pack`)."""
    _SOURCES.setdefault(sha256, packed)


def source(sha256: str) -> bytes | None:
    """The bytes of the tree with this digest, if this process loaded it."""
    packed = _SOURCES.get(sha256)
    if packed is None:
        return None
    raw = unpack(packed)
    return raw if digest(raw) == sha256 else None


def digest(raw: bytes) -> str:
    """A tree's name in the ledger: the SHA-256 of its bytes, as a decision records it."""
    return hashlib.sha256(raw).hexdigest()

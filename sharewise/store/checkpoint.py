"""Checkpoints: the chain's size and head hash, kept outside the database, optionally signed.

A chain checked only against itself cannot show that its last entries were cut off, or
that someone rebuilt the whole chain from scratch. A checkpoint written now and kept
elsewhere (a case file, an email to the IG lead, a write-once share) can. Signing it with
an Ed25519 key proves who wrote it and that it was not edited since.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import errno
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sharewise.domain import chain
from sharewise.domain.errors import InputError, Location, Problem

if TYPE_CHECKING:
    from sharewise.domain.strict_yaml import Source
    from sharewise.store.verify import Break

FORMAT = "sharewise-checkpoint/2"
#: Still read: its signature covers the ledger, size and head, not `created` or `alg`.
FORMAT_V1 = "sharewise-checkpoint/1"
#: A checkpoint is a few hundred bytes; anything much larger is not one.
MAX_BYTES = 64 * 1024
_HEX64 = re.compile(r"[0-9a-f]{64}")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z")


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The head of one ledger at one moment."""

    ledger: str
    size: int
    head: str
    created: str
    alg: str = chain.ALGORITHM
    signature: str | None = None
    public_key: str | None = None
    format: str = FORMAT

    def message(self) -> bytes:
        """What the signature covers: everything but itself (for a version 1 file, only
        the ledger, size and head)."""
        if self.format == FORMAT_V1:
            return chain.checkpoint_message(self.ledger, self.size, self.head)
        fields = self.to_json_dict()
        fields.pop("signature", None)
        return chain.checkpoint_message_v2(fields)

    def to_json_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": self.format,
            "ledger": self.ledger,
            "size": self.size,
            "head": self.head,
            "alg": self.alg,
            "created": self.created,
        }
        if self.signature is not None:
            data["signature"] = {
                "alg": "ed25519",
                "public_key": self.public_key,
                "value": self.signature,
            }
        return data

    def check(
        self,
        ledger_id: str,
        count: int,
        hashes_at: dict[int, str],
        *,
        trusted_key: bytes | None = None,
    ) -> list[Break]:
        """Breaks between this checkpoint and the ledger as verified just now."""
        from sharewise.store.verify import Break

        breaks: list[Break] = []
        if self.signature is not None or trusted_key is not None:
            problem = self.signature_problem(trusted_key)
            if problem:
                breaks.append(Break(0, None, f"checkpoint: {problem}"))
        if ledger_id != self.ledger:
            breaks.append(
                Break(
                    0,
                    None,
                    "the checkpoint is of a different ledger (ledger id "
                    "differs): the database was replaced or this is the "
                    "wrong checkpoint",
                )
            )
            return breaks
        if count < self.size:
            breaks.append(
                Break(
                    self.size,
                    None,
                    f"the checkpoint recorded {self.size} entries "
                    f"but the ledger now has {count}: "
                    + (
                        f"entry {self.size} was"
                        if count + 1 == self.size
                        else f"entries {count + 1} to {self.size} were"
                    )
                    + " removed (truncated tail)",
                )
            )
        elif hashes_at.get(self.size) != self.head and self.size > 0:
            breaks.append(
                Break(
                    self.size,
                    None,
                    "does not match the checkpoint's hash: the chain up to here was rewritten",
                )
            )
        return breaks

    def warnings(self, trusted_key: bytes | None) -> list[str]:
        """What verify should say about this checkpoint that is not a break."""
        found: list[str] = []
        if self.signature is not None and trusted_key is None:
            found.append(
                "the checkpoint's signature was checked only against the public key written "
                "inside it, so whoever rewrote the ledger could have re-signed it: give "
                "--public-key with the .pub file you keep on record to know who signed it"
            )
        if self.signature is not None and self.format == FORMAT_V1:
            found.append(
                "this checkpoint is in an earlier format whose signature does not cover its "
                "time or algorithm: write a new one with `sharewise records checkpoint`"
            )
        return found

    def signature_problem(self, trusted_key: bytes | None) -> str | None:
        """Why the signature does not hold, or None when it does."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        if self.signature is None:
            return "it is not signed, but a public key was given to check it with"
        try:
            embedded = base64.b64decode(self.public_key or "", validate=True)
            signature = base64.b64decode(self.signature, validate=True)
        except ValueError:
            return "its signature or public key is not valid base64"
        if trusted_key is not None and embedded != trusted_key:
            return "it was signed with a different key from the one given"
        try:
            Ed25519PublicKey.from_public_bytes(trusted_key or embedded).verify(
                signature, self.message()
            )
        except (InvalidSignature, ValueError):
            return "its signature does not match its contents (edited or forged)"
        return None


def make_checkpoint(ledger_id: str, size: int, head: str, key: Any | None = None) -> Checkpoint:
    """A checkpoint of the given head, signed if an Ed25519 private key is given."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    created = chain.utc_text(dt.datetime.now(dt.UTC))
    point = Checkpoint(ledger_id, size, head, created)
    if key is None:
        return point
    signature = key.sign(point.message())
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return Checkpoint(
        ledger_id,
        size,
        head,
        created,
        signature=base64.b64encode(signature).decode("ascii"),
        public_key=base64.b64encode(public).decode("ascii"),
    )


def write_checkpoint(point: Checkpoint, path: str | Path) -> None:
    """Write the checkpoint as JSON (readable by people and by `records verify`)."""
    from sharewise.private_files import write_private_bytes

    text = json.dumps(point.to_json_dict(), indent=2) + "\n"
    write_private_bytes(Path(path), text.encode("utf-8"))


def _read_bytes(path: Source) -> bytes:
    """A file's bytes, or standard input's already read (`-` on the command line)."""
    from sharewise.domain.strict_yaml import GivenText

    if isinstance(path, GivenText):
        return path.data
    # At most one byte past the limit: a device (/dev/zero) or a pipe has no size to trust.
    with Path(path).open("rb") as handle:
        return handle.read(MAX_BYTES + 1)


def read_checkpoint(path: Source) -> Checkpoint:
    """Read a checkpoint file, with a clear error if it is not exactly one.

    Every field is checked for what it must be (a size is a whole number from 0, a head 64
    hex digits, a known algorithm), so a hand-made `size: -1` cannot "match" an empty ledger,
    and a file of any shape (`1e400`, nesting a thousand deep, megabytes, not UTF-8) is a
    message, never a traceback."""
    from sharewise.domain.safe_text import safe_line

    name = safe_line(str(path))
    fix = "give a file written by `sharewise records checkpoint`"
    try:
        raw = _read_bytes(path)
    except FileNotFoundError:
        raise InputError(Problem(Location(name), "no such file", "check the path")) from None
    except OSError as exc:
        raise InputError(
            Problem(Location(name), f"cannot be read ({exc.strerror or exc})", fix)
        ) from None
    if len(raw) > MAX_BYTES:
        raise InputError(Problem(Location(name), "far too large to be a checkpoint", fix))
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise InputError(Problem(Location(name), "not a readable checkpoint file", fix)) from None
    problem = _shape_problem(data)
    if problem:
        raise InputError(Problem(Location(name), f"not a valid checkpoint: {problem}", fix))
    signature = data.get("signature")
    return Checkpoint(
        ledger=data["ledger"],
        size=data["size"],
        head=data["head"],
        created=data["created"],
        alg=data["alg"],
        signature=signature["value"] if signature else None,
        public_key=signature["public_key"] if signature else None,
        format=data["format"],
    )


def _refuse_constant(word: str) -> Any:
    raise ValueError(f"{word} is not JSON")


def _shape_problem(data: Any) -> str | None:
    """What is wrong with a parsed checkpoint's shape, or None."""
    if not isinstance(data, dict):
        return "it is not a JSON object"
    if data.get("format") not in (FORMAT, FORMAT_V1):
        return "unknown format"
    size = data.get("size")
    if type(size) is not int or not 0 <= size < 2**63:
        return "size must be a whole number of entries, 0 or more"
    if not isinstance(data.get("head"), str) or not _HEX64.fullmatch(data["head"]):
        return "head must be a SHA-256 hash (64 hex digits)"
    if not isinstance(data.get("ledger"), str) or not 0 < len(data["ledger"]) <= 100:
        return "ledger must be the ledger's id"
    if data.get("alg") not in chain.KNOWN_ALGORITHMS:
        return "alg names no algorithm this sharewise knows"
    if not isinstance(data.get("created"), str) or not _TIME.fullmatch(data["created"]):
        return "created must be a UTC time"
    signature = data.get("signature")
    if signature is not None and not (
        isinstance(signature, dict)
        and signature.get("alg") == "ed25519"
        and isinstance(signature.get("value"), str)
        and isinstance(signature.get("public_key"), str)
    ):
        return "signature must be an ed25519 value with its public key"
    return None


def new_key() -> tuple[bytes, str]:
    """A new Ed25519 key pair: the private key as PEM, and the public key in base64 (what a
    `.pub` file holds and the IG lead keeps on record)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return pem, base64.b64encode(public).decode("ascii")


def generate_key(path: str | Path) -> str:
    """Write a new Ed25519 private key (PEM) and its public key beside it (.pub), both 0600
    whatever the umask and each appearing only complete; returns the public key in base64,
    for the IG lead to keep on record. Neither file is ever overwritten: an existing key or
    `.pub` (or a link, folder or device in their place) is refused before anything is
    written, so a new key pair never half-replaces an old one."""
    from sharewise.private_files import UnsafeTarget, write_private_bytes

    target = Path(path)
    public_file = Path(f"{target}.pub")
    pem, encoded = new_key()
    written: Path | None = None
    # The file the person named (or its .pub) that failed: never the temporary name the
    # writer used beside it, which the person has never seen.
    place = target
    try:
        for place in (target, public_file):
            if os.path.lexists(place):
                raise UnsafeTarget(
                    errno.EEXIST, "a file already exists here; a key is never overwritten"
                )
        place = target
        written = write_private_bytes(target, pem, replace=False)
        place = public_file
        write_private_bytes(public_file, (encoded + "\n").encode("ascii"), replace=False)
    except OSError as exc:
        if written is not None:  # the private key without its .pub: take ours back
            with contextlib.suppress(OSError):
                written.unlink()
        raise InputError(
            Problem(
                Location(str(place)),
                f"cannot write the key here ({exc.strerror or exc})",
                "choose a new file name in a folder you can write to",
            )
        ) from None
    return encoded


def load_private_key(path: Source) -> Any:
    """An Ed25519 private key from a PEM file."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    name = str(path)
    try:
        key = load_pem_private_key(_read_bytes(path), password=None)
    except FileNotFoundError:
        raise InputError(Problem(Location(name), "no such file", "check the path")) from None
    except (OSError, ValueError, TypeError):
        raise InputError(
            Problem(
                Location(name),
                "not an unencrypted PEM private key",
                "make one with `sharewise records keygen --out FILE`",
            )
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(
            Problem(
                Location(name),
                "not an Ed25519 key",
                "make one with `sharewise records keygen --out FILE`",
            )
        )
    return key


def load_public_key(path: Source) -> bytes:
    """A raw Ed25519 public key from a `.pub` file (base64) written by `generate_key`."""
    name = str(path)
    try:
        raw = base64.b64decode(_read_bytes(path).decode("ascii").strip(), validate=True)
    except FileNotFoundError:
        raise InputError(Problem(Location(name), "no such file", "check the path")) from None
    except (OSError, ValueError):
        raise InputError(
            Problem(
                Location(name),
                "not a sharewise public key file",
                "give the .pub file written by `records keygen`",
            )
        ) from None
    if len(raw) != 32:
        raise InputError(
            Problem(
                Location(name),
                "not an Ed25519 public key",
                "give the .pub file written by `records keygen`",
            )
        )
    return raw

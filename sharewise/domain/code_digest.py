"""The digest of the code a cache entry depends on, for the three caches that keep validated
or compiled copies of files (`tree_cache`, `model_cache`, `decide_cache`).

A cached result is only as good as the code that produced it: each cache names the modules
that decide what a file validates or compiles to, and its key includes their bytes with the
package version and the entry's format, so a changed module, a new version or a new layout
is a miss, never an old answer. Worked out once per process for each set of modules.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=8)
def code_digest(folder: Path, names: tuple[str, ...], version: str, layout: int) -> str:
    """SHA-256 over the version, the entry's layout and each module's name and bytes."""
    code = hashlib.sha256(f"{version}\x00{layout}\x00".encode())
    for name in names:
        code.update(name.encode() + b"\x00" + (folder / name).read_bytes() + b"\x00")
    return code.hexdigest()

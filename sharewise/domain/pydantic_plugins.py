"""Building the first pydantic model without importing `importlib.metadata`, when no
pydantic plugin is installed.

Before it builds a model's validator, pydantic asks for its plugins
(`pydantic.plugin._loader.get_plugins`), and that module imports `importlib.metadata`
(email, zipfile, csv and more: about 40 ms, a tenth of `tree check`) and reads the entry
points of every installed distribution, to find none: sharewise uses no pydantic plugin.
`skip_loader_if_none` looks for a `[pydantic]` entry-point group in the installed
distributions' `entry_points.txt` files itself (a few milliseconds), and only if there is
none anywhere on `sys.path` stands in for pydantic's loader with one that has no plugins,
which is what pydantic's own would return. With a plugin installed, with
`PYDANTIC_DISABLE_PLUGINS` set (pydantic's switch, which it then reads as always), or once
pydantic's loader is imported, nothing changes.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Iterable

_LOADER = "pydantic.plugin._loader"


def skip_loader_if_none() -> bool:
    """Stand in for pydantic's plugin loader if no plugin can be installed; whether it did."""
    if _LOADER in sys.modules or os.environ.get("PYDANTIC_DISABLE_PLUGINS") is not None:
        return False
    if any(_declares_pydantic_plugin(folder) for folder in sys.path):
        return False
    stand_in = types.ModuleType(_LOADER, "No pydantic plugins are installed (sharewise).")

    def get_plugins() -> Iterable[object]:
        return ()

    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    sys.modules[_LOADER] = stand_in
    return True


def _declares_pydantic_plugin(folder: str) -> bool:
    """Whether a distribution in `folder` declares a `[pydantic]` entry point, or may (an
    egg or a zip importlib.metadata would look inside, which this does not)."""
    try:
        names = os.listdir(folder or ".")
    except OSError:  # a zip file on sys.path, or a folder that is gone: no distributions
        return folder.endswith((".egg", ".whl")) or _is_zip_with_metadata(folder)
    for name in names:
        if name.endswith((".egg", ".whl")):
            return True
        if not name.endswith((".dist-info", ".egg-info")):
            continue
        try:
            with open(os.path.join(folder or ".", name, "entry_points.txt"), "rb") as f:
                text = f.read()
        except OSError:  # none, or an egg-info file rather than a folder
            if os.path.isfile(os.path.join(folder or ".", name)):
                return True
            continue
        if b"[pydantic]" in text:
            return True
    return False


def _is_zip_with_metadata(path: str) -> bool:
    if not os.path.isfile(path):
        return False
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return any(".dist-info/" in n or ".egg-info/" in n for n in archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return True

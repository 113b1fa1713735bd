"""Debian's Chromium for the browser tests (installed by `make test`: scripts/ensure-chromium;
never a downloaded browser), and how every test starts it: headless, and with nothing that
would reach out to Google's services from this closed network."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="no /usr/bin/chromium (make test installs it: scripts/ensure-chromium)",
)

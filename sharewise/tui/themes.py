"""The three looks: the default dark theme, light, and a high-contrast theme of our own.

High contrast is for people with low vision and for bright rooms: pure black and white,
with yellow focus and saturated decision colours that stay distinguishable without hue.
"""

from __future__ import annotations

import json
from pathlib import Path

from textual.theme import Theme

DEFAULT_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
HIGH_CONTRAST_THEME = "sharewise-high-contrast"

HIGH_CONTRAST = Theme(
    name=HIGH_CONTRAST_THEME,
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffaf00",
    error="#ff5f5f",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1c1c1c",
    boost="#303030",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
    variables={
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#ffff00",
        "block-cursor-text-style": "bold",
        "footer-key-foreground": "#ffff00",
        "input-selection-background": "#ffff00 50%",
        "border": "#ffffff",
        "border-blurred": "#808080",
    },
)

#: Names people can pick (Settings, the command palette, SHAREWISE_THEME), mapped to
#: Textual theme names.
THEMES: dict[str, str] = {
    "default": DEFAULT_THEME,
    "light": LIGHT_THEME,
    "high-contrast": HIGH_CONTRAST_THEME,
}

#: How Settings names each one.
THEME_LABELS: dict[str, str] = {
    "default": "Default (dark)",
    "light": "Light",
    "high-contrast": "High contrast",
}

#: Where the chosen look is remembered (not in the profile: "forget me" forgets a person,
#: and a look is not about anyone).
THEME_FILE = "look.json"


def load_theme(data_dir: Path | None) -> str | None:
    """The look chosen last time on this computer, if any (a damaged file is ignored)."""
    from sharewise.profile import data_folder

    try:
        raw = json.loads((data_folder(data_dir) / THEME_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = raw.get("theme") if isinstance(raw, dict) else None
    return name if name in THEMES else None


def save_theme(data_dir: Path | None, name: str) -> None:
    """Remember the look for next time (0600, like everything sharewise writes)."""
    from sharewise.private_files import write_private
    from sharewise.profile import data_folder

    write_private(data_folder(data_dir) / THEME_FILE, json.dumps({"theme": name}) + "\n")

"""Showing text that people typed without letting it act on the terminal or the reader.

Free text in a record is stored exactly as given (it is evidence), but a pasted escape
sequence could recolour a terminal, move the cursor, rewrite the title bar or hide the line
above it, and a right-to-left override can make "exe.txt" read as "txt.exe". Display goes
through here so that every such character is shown as a visible, inert escape instead.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (which include CSI, 0x9b), and the
# Unicode bidirectional and invisible formatting characters that reorder or hide text.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_UNSAFE_LINE = re.compile(_UNSAFE.pattern[:-1] + "\t\n]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x09:
        return "\\t"
    if code == 0x0A:
        return "\\n"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """`text` with every control or formatting character shown as an escape; keeps newlines."""
    return _UNSAFE.sub(_escape, text)


def safe_line(text: str) -> str:
    """Like `safe_text`, but on one line (newlines and tabs escaped too): for tables and logs."""
    return _UNSAFE_LINE.sub(_escape, text)


def is_safe(text: str) -> bool:
    """Whether `text` would be shown unchanged by `safe_text`."""
    return _UNSAFE.search(text) is None


def line_problem(text: str) -> str | None:
    """Why `text` cannot be a one-line field (a role, an organisation, a case reference), or
    None. The one rule for such fields: no control character anywhere (C0 including newline
    and tab, DEL, C1), no bidirectional or invisible formatting character, and something
    besides spaces. Checked over the whole text: a pattern anchored only at the start let
    `A\x1b]0;...` through after its first character."""
    found = _UNSAFE_LINE.search(text)
    if found is not None:
        return (
            f"it contains a control or formatting character ({_escape(found)}); type it on one line"
        )
    if not text.strip():
        return "it is empty"
    return None


_UNSAFE_CELL = re.compile(_UNSAFE.pattern[:-1] + "\r]")


def safe_cell(text: str) -> str:
    """A CSV cell with control and formatting characters shown as escapes (newlines and tabs
    kept: a cell may hold a paragraph). Carriage returns are escaped too: a CSV printed to a
    terminal must not let a cell overwrite its own line."""
    return _UNSAFE_CELL.sub(_escape, text) if _UNSAFE_CELL.search(text) else text


def safe_json(text: str) -> str:
    """JSON text with every control or formatting character written as a \\u escape: the
    same JSON value (lossless: a program reading it gets the text exactly), but nothing that
    can act on a terminal or reorder what a person reads. JSON already escapes C0 controls;
    DEL, C1 (the one-byte CSI and OSC) and the bidi overrides it writes raw."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

"""Text people typed is shown inert: no escape sequence reaches a terminal."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sharewise.domain.safe_text import is_safe, safe_line, safe_text


def test_escape_sequences_and_bidi_are_shown_as_escapes() -> None:
    shown = safe_text("red\x1b[31m bell\x07 title\x1b]0;x\x07 csi\x9b2J rlo\u202e end\nnext")
    assert shown == ("red\\x1b[31m bell\\x07 title\\x1b]0;x\\x07 csi\\x9b2J rlo\\u202e end\nnext")
    assert safe_line("a\nb\tc") == "a\\nb\\tc"
    assert safe_text("Zoë — ok") == "Zoë — ok" and is_safe("Zoë — ok")


@given(st.text())
def test_output_never_contains_a_control_character(text: str) -> None:
    for shown in (safe_text(text), safe_line(text)):
        assert all(ch in "\n\t" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F) for ch in shown)
        assert "\u202e" not in shown and "\u2066" not in shown
    assert "\n" not in safe_line(text)

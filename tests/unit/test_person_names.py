"""The person-name warning: names are flagged, the words of safeguarding text are not."""

from __future__ import annotations

import pytest

from sharewise.domain.person_names import name_like, name_warning


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Maya Smith told her teacher", ["Maya Smith"]),
        ("Spoke to Mrs Patel about it", ["Mrs Patel"]),
        ("Referral to Children's Social Care today", []),
        ("Phone call to the Duty Team on Monday", []),
        ("Sent to Riverside Primary School by Secure Email", []),
        ("case CS-2026-00417, child aged 9", []),
    ],
)
def test_name_like(text: str, found: list[str]) -> None:
    assert name_like(text) == found


def test_warning_is_empty_without_names_and_quotes_them_with() -> None:
    assert name_warning("bruising seen on the arm") == ""
    warning = name_warning("Jo-Anne O'Neil said so")
    assert "“Jo-Anne O'Neil”" in warning and "warning only" in warning

"""One small hierarchy of errors, each able to say what went wrong, where, and how to fix it.

Errors are rendered for people only at the boundary (CLI, UI); inside, they carry structure.
They never include the contents of records, so no personal data reaches a terminal log.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file people edit: 1-based line and column."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, with where it is and how to fix it."""

    location: Location
    message: str
    fix: str = ""

    def render(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.fix:
            text += f" (fix: {self.fix})"
        return text


class SharewiseError(Exception):
    """Base of every error the program expects; the CLI turns it into a message and exit code."""

    exit_code = 2

    def render(self) -> str:
        return str(self)

    def as_dict(self) -> dict[str, object]:
        """The error for a script (`--json`): the same words as the message, by part."""
        return {"exit_code": self.exit_code, "message": self.render(), "problems": []}


class InputError(SharewiseError):
    """Bad input from a person or another program: exit code 2, never a traceback."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(p.render() for p in self.problems)

    def as_dict(self) -> dict[str, object]:
        return {
            "exit_code": self.exit_code,
            "message": self.render(),
            "problems": [
                {
                    "file": p.location.file,
                    "line": p.location.line or None,
                    "column": p.location.column or None,
                    "message": p.message,
                    "fix": p.fix,
                }
                for p in self.problems
            ],
        }


class TreeError(InputError):
    """A decision tree file that cannot be loaded or fails validation."""


class FactsError(InputError):
    """A facts file or mapping that does not fit the tree or the vocabulary."""


class StoreError(SharewiseError):
    """The ledger could not be opened, read or written (disk full, locked, corrupt)."""

    exit_code = 3

"""The figure every benchmark reports: a value, its same-run baseline, the ratio and the goal."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Figure:
    """One row of the table in docs/performance.md.

    `met` is None when the goal does not apply (an informational figure) or the figure is not
    available yet; `note` then says why.
    """

    name: str
    value: str
    baseline: str = ""
    ratio: float | None = None
    goal: str = ""
    met: bool | None = None
    note: str = ""

    @classmethod
    def unavailable(cls, name: str, goal: str, why: str) -> Figure:
        return cls(name, "-", goal=goal, note=f"not available yet: {why}")

    @property
    def verdict(self) -> str:
        if self.note.startswith("not available yet"):
            return "n/a"
        if self.met is None:
            return "-"
        return "met" if self.met else "**missed**"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def ratio_text(ratio: float | None) -> str:
    return "" if ratio is None else f"{ratio:.2f}x"


def attempt(name: str, goal: str, measure: Callable[[], list[Figure]]) -> list[Figure]:
    """Run one measurement; a missing piece or a failure becomes its row, not a crash."""
    from bench.measure import NotAvailable

    try:
        return measure()
    except NotAvailable as exc:
        return [Figure.unavailable(name, goal, str(exc))]
    except Exception as exc:
        traceback.print_exc()
        return [Figure(name, "-", goal=goal, note=f"failed: {exc}")]

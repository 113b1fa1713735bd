"""Writes `docs/record.schema.json` from the record model (run this module to regenerate).

The published schema is generated, never edited by hand, so it cannot drift from what the
ledger actually exports; a test fails if the file is out of date.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sharewise.domain.record import record_schema

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "docs" / "record.schema.json"


def render() -> str:
    """The schema file's exact text."""
    return json.dumps(record_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else DEFAULT_PATH
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Jinja2 for every page a person reads outside the terminal: the board paper and exports.

One environment, autoescaping on for every template (Markdown too: a Markdown viewer renders
raw HTML, so `<script>` typed into a record must arrive as text), strict about undefined
names so a misspelt field fails a test instead of printing nothing. Text people typed also
goes through `safe_text` first, which makes control characters and terminal escapes visible.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from sharewise.domain.safe_text import safe_line, safe_text

#: Markdown's inline markup (and the table bar), escaped with a backslash; `<`, `>` and `&`
#: as HTML entities, which every Markdown renderer shows as the characters. Quotes are left
#: as typed: with no `<` able to open a tag they can never be inside one, and the template's
#: autoescape had written every apostrophe as `&#39;` for anyone reading the file as text
#: ("the practitioner&#39;s organisation").
_MD_SPECIAL = str.maketrans(
    {**{c: "\\" + c for c in "\\`*_[]|"}, "&": "&amp;", "<": "&lt;", ">": "&gt;"}
)

#: No scripts, nothing fetched from anywhere: inline styles and inline SVG only. A page
#: filed with a board paper must not call out when it is opened years later.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def md(text: object) -> Markup:
    """One line of text made inert in Markdown: its markup characters escaped, and `<`, `>`
    and `&` as entities (so the template's autoescape, which would also turn quotes into
    entities, leaves it as it is)."""
    return Markup(safe_line(str(text)).translate(_MD_SPECIAL))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sharewise.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md
    env.filters["text"] = lambda value: safe_text(str(value))
    env.filters["line"] = lambda value: safe_line(str(value))
    env.filters["count"] = lambda n: f"{n:,}"
    env.globals["CSP"] = CSP
    return env


def template(name: str) -> Template:
    return environment().get_template(name)


def render(name: str, **context: Any) -> str:
    return template(name).render(**context)

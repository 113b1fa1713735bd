"""Charts: SVG fit for a self-contained page, terminal bars readable without colour."""

from __future__ import annotations

import re

import plotext
from hypothesis import given, settings
from hypothesis import strategies as st

from sharewise.reports.charts import svg_bars, terminal_bars

BARS = [("Share", 120), ("Get advice <first>", 40), ("Do not share", 3)]


def test_svg_is_inline_scriptless_and_names_no_other_host() -> None:
    svg = svg_bars("By decision", BARS, chart_id="chart-decision")
    assert svg.startswith('<svg role="img" aria-label="By decision"')
    assert "<script" not in svg and "<!--" not in svg and "<?xml" not in svg
    hosts = set(re.findall(r"(?:https?:)?//[\w.-]+", svg))
    assert hosts == {"http://www.w3.org"}, hosts  # the SVG namespace only: nothing fetched
    assert 'id="chart-decision"' in svg and "pygal-chart" in svg
    # Labels are escaped, and every count is written out (no colour needed to read it).
    assert "Get advice &lt;first&gt;" in svg and "<first>" not in svg
    for _, n in BARS:
        assert re.search(rf">{n}<", svg), n


def test_svg_is_the_same_bytes_for_the_same_figures() -> None:
    assert svg_bars("T", BARS, chart_id="c") == svg_bars("T", BARS, chart_id="c")


def test_svg_of_nothing_says_so() -> None:
    svg = svg_bars("By decision", [], chart_id="c")
    assert "No records" in svg and "<script" not in svg


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=40), st.integers(0, 10**6)), max_size=8))
def test_any_labels_and_counts_make_well_formed_scriptless_svg(bars: list[tuple[str, int]]) -> None:
    svg = svg_bars("Any", bars, chart_id="c")
    assert "<script" not in svg and svg.count("<svg") == 1 and svg.endswith("</svg>")


def test_terminal_bars_label_every_bar_with_its_words_and_count() -> None:
    plotext.clear_figure()
    plotext.plotsize(70, 16)
    terminal_bars(plotext, "By decision", BARS)
    plotext.theme("clear")  # no colour at all: still readable
    drawn = plotext.build()
    assert "By decision" in drawn
    for label, n in BARS:
        assert f"{label} ({n:,})" in drawn or f"({n:,})" in drawn
    assert "Share (120)" in drawn and "█" in drawn
    # The longest bar is the first one, at the top.
    rows = [line for line in drawn.splitlines() if "█" in line]
    assert rows and rows[0].count("█") > rows[-1].count("█")


def test_terminal_bars_of_nothing_say_so() -> None:
    plotext.clear_figure()
    plotext.plotsize(50, 10)
    terminal_bars(plotext, "Empty", [])
    assert "No records" in plotext.build()

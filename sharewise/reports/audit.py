"""The board paper: the IG lead's figures as sections a person reads, in every format.

`sections` turns `Figures` into headed tables of (words, id, count) with the key each row
counts, so the report, the CSV and the dashboard show the same rows in the same order, and
a dashboard row opens exactly the records it counts. Law is read by its title, under its
regime's heading (Part 3's own, not "Article 6"); ids stay beside the words, and alone in
the machine formats (JSON, and a CSV column).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any, TextIO

from sharewise.domain.nodes import Citations
from sharewise.domain.safe_text import safe_json, safe_line
from sharewise.domain.tree import Decision
from sharewise.domain.words import citation_title, decision_words, law_group_of
from sharewise.reports import figures as F

FORMATS = ("md", "html", "pdf", "csv", "json")
PDF_EXTRA = "pip install 'sharewise[pdf]'"

VERDICT_WORDS = {
    "agree": "Agreed",
    "disagree": "Disagreed",
    "follow_up": "Follow-up needed",
    F.NOT_REVIEWED: "Not reviewed yet",
}


class PdfUnavailable(RuntimeError):
    """WeasyPrint (the `pdf` extra) is not installed."""


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a section: what it counts in words, its id (a code, if any), the count,
    and the figure key that finds the records behind it (None for a derived figure).

    Labels may hold text people typed (a team's name): control characters and terminal
    escapes are made visible here, once, for every format and chart built from the rows.
    """

    label: str
    ident: str
    count: int
    key: F.Key | None

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", safe_line(self.label))


@dataclass
class Section:
    slug: str
    title: str
    rows: list[Row] = field(default_factory=list)
    #: Drawn as a bar chart as well as a table.
    chart: bool = True
    #: What the first column holds ("Decision", "Citation", "Month" ...).
    column: str = "Item"

    def bars(self) -> list[tuple[str, int]]:
        return [(row.label, row.count) for row in self.rows]


@dataclass(frozen=True, slots=True)
class ChainStatus:
    """What `verify` said about the ledger the figures come from."""

    intact: bool
    entries: int
    broken: tuple[int, ...] = ()
    problems: tuple[str, ...] = ()


def decision_label(value: str) -> str:
    if value == F.NO_DECISION:
        return "Emergency record, no decision yet"
    try:
        return decision_words(Decision(value))
    except ValueError:  # a decision this version does not know: shown as stored
        return value


def answer_label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def sections(figures: F.Figures, registry: Citations | None) -> list[Section]:
    """The report's sections, in the order a board reads them."""
    overview = Section(
        "overview",
        "Overview",
        [
            Row("Records in the period", "", figures.total, (F.ALL, "")),
            Row(
                "Shared without consent being sought",
                "",
                figures.count(F.WITHOUT_CONSENT),
                (F.WITHOUT_CONSENT, ""),
            ),
            Row("Decided not to share", "", figures.count(F.NOT_SHARED), (F.NOT_SHARED, "")),
            Row(
                "Emergency records awaiting completion",
                "",
                figures.count(F.AWAITING),
                (F.AWAITING, ""),
            ),
            Row("Records due for review", "", figures.count(F.DUE), (F.DUE, "")),
            Row(
                "Records not reviewed by IG",
                "",
                figures.count(F.REVIEW, F.NOT_REVIEWED),
                (F.REVIEW, F.NOT_REVIEWED),
            ),
            Row("Amendments to these records", "", figures.amendments, None),
        ],
        chart=False,
        column="Figure",
    )
    out = [overview]
    out.append(
        Section(
            "decision",
            "By decision",
            [Row(decision_label(v), v, n, (F.DECISION, v)) for v, n in figures.by(F.DECISION)],
            column="Decision",
        )
    )
    for figure, slug in ((F.BASIS, "basis"), (F.SPECIAL, "special"), (F.CRIMINAL, "criminal")):
        grouped: dict[str, list[Row]] = {}
        for cid, n in figures.by(figure):
            heading = law_group_of(figure, cid)
            grouped.setdefault(heading, []).append(
                Row(citation_title(cid, registry), cid, n, (figure, cid))
            )
        if not grouped:
            from sharewise.domain.words import LAW_GROUPS

            grouped[LAW_GROUPS[figure]] = []
        for i, (heading, rows) in enumerate(grouped.items()):
            out.append(Section(f"{slug}-{i}" if i else slug, heading, rows, column="Citation"))
    out.append(
        Section(
            "sharer",
            "Who was sharing",
            [Row(answer_label(v), v, n, (F.SHARER, v)) for v, n in figures.by(F.SHARER)],
            column="Sharer",
        )
    )
    out.append(
        Section(
            "team",
            "By team (the practitioner's organisation)",
            [Row(v, "", n, (F.TEAM, v)) for v, n in figures.by(F.TEAM)],
            column="Team",
        )
    )
    out.append(
        Section(
            "review",
            "Reviews by verdict (the latest review of each record)",
            [Row(VERDICT_WORDS.get(v, v), v, n, (F.REVIEW, v)) for v, n in figures.by(F.REVIEW)],
            column="Verdict",
        )
    )
    out.append(
        Section(
            "month",
            "Records by month",
            [Row(m, m, figures.count(F.MONTH, m), (F.MONTH, m)) for m in figures.months()],
            column="Month",
        )
    )
    return out


def period_text(scope: F.Scope) -> str:
    start = scope.date_from.isoformat() if scope.date_from else "the first record"
    end = scope.date_to.isoformat() if scope.date_to else "today"
    return f"{start} to {end}"


def filters_text(scope: F.Scope) -> str:
    """The filters other than the period, in words ("" for none)."""
    parts = []
    if scope.team:
        parts.append(f"team: {scope.team}")
    if scope.decision:
        parts.append(f"decision: {decision_label(scope.decision)}")
    if scope.emergency is not None:
        parts.append("emergency records only" if scope.emergency else "no emergency records")
    if scope.reviewed is not None:
        parts.append("reviewed records only" if scope.reviewed else "records not yet reviewed")
    return "; ".join(parts)


def context(
    figures: F.Figures, registry: Citations | None, chain: ChainStatus | None
) -> dict[str, Any]:
    """What every template of the report gets."""
    from sharewise.reports.charts import svg_bars

    parts = sections(figures, registry)
    charts = {
        s.slug: svg_bars(s.title, s.bars(), chart_id=f"chart-{s.slug}")
        for s in parts
        if s.chart and s.rows
    }
    trend = figures.trend()
    decisions = [v for v, _ in figures.by(F.DECISION)]
    return {
        "figures": figures,
        "period": period_text(figures.scope),
        "filters": filters_text(figures.scope),
        "as_of": figures.as_of.isoformat(),
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "sections": parts,
        "charts": charts,
        "trend": trend,
        "trend_columns": [(v, decision_label(v)) for v in decisions],
        "filing": figures.filing_minutes(),
        "questions": figures.questions(),
        "awaiting": figures.awaiting,
        "unreadable": figures.unreadable,
        "chain": chain,
    }


def to_json(figures: F.Figures, registry: Citations | None, chain: ChainStatus | None) -> str:
    data = figures.to_json_dict()
    cited = {cid for f in (F.BASIS, F.SPECIAL, F.CRIMINAL) for cid, _ in figures.by(f)}
    data["citation_titles"] = {cid: citation_title(cid, registry) for cid in sorted(cited)}
    if chain is not None:
        data["chain"] = {
            "intact": chain.intact,
            "entries": chain.entries,
            "broken_entries": list(chain.broken),
        }
    return safe_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def to_csv(figures: F.Figures, registry: Citations | None) -> str:
    """One row per figure: section, item (words), id, count; then the questions."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 only with the mark
    w = csv.writer(buffer, lineterminator="\r\n")
    w.writerow(["section", "item", "id", "count"])
    from sharewise.store.export import spreadsheet_safe

    for section in sections(figures, registry):
        for row in section.rows:
            w.writerow([section.title, spreadsheet_safe(row.label), row.ident, str(row.count)])
    filing = figures.filing_minutes()
    for name in ("records_timed", "median", "p90"):
        value = filing[name]
        w.writerow(["Minutes from starting to filing", name, "", "" if value is None else value])
    for q in figures.questions():
        for what in ("not_sure", "revisited", "changed"):
            w.writerow(["Where practitioners struggle", spreadsheet_safe(q["question"]), what,
                        q[what]])  # fmt: skip
    return buffer.getvalue()


def write(
    figures: F.Figures,
    fmt: str,
    out: TextIO | None,
    *,
    registry: Citations | None,
    chain: ChainStatus | None = None,
    binary: Any = None,
) -> None:
    """Write the report in `fmt` to `out` (text formats) or `binary` (pdf)."""
    from sharewise.reports.render import render

    if fmt == "json":
        assert out is not None
        out.write(to_json(figures, registry, chain))
    elif fmt == "csv":
        assert out is not None
        out.write(to_csv(figures, registry))
    elif fmt == "md":
        assert out is not None
        out.write(render("audit.md.j2", **context(figures, registry, chain)))
    elif fmt == "html":
        assert out is not None
        out.write(render("audit.html.j2", **context(figures, registry, chain)))
    elif fmt == "pdf":
        binary.write(pdf(render("audit.html.j2", **context(figures, registry, chain))))
    else:
        raise ValueError(fmt)


def pdf(html: str) -> bytes:
    """The HTML board paper printed to PDF by WeasyPrint (the optional `pdf` extra)."""
    try:
        import weasyprint
    except ImportError:
        raise PdfUnavailable(
            f"PDF needs WeasyPrint, the optional 'pdf' extra: {PDF_EXTRA}, "
            "or write --format html and print it from a browser"
        ) from None

    def no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
        # The page is self-contained; anything it asked for would be a defect, not a need.
        raise ValueError(f"the report asked for {url!r}; nothing is fetched")

    data = weasyprint.HTML(string=html, url_fetcher=no_fetch).write_pdf()
    assert isinstance(data, bytes)
    return data

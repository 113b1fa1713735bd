"""The trainer's summary of a session as a file: Markdown, HTML (with charts), CSV or JSON.

The figures come from `sharewise.domain.session.summarise`; this module only lays them out.
Markdown and HTML are Jinja2 templates with autoescaping, so a trainee's name or a trainer's
scenario text can never become markup; every piece of text also goes through `safe_line`,
so control characters and terminal escapes are shown inert. CSV cells that a spreadsheet
would run as a formula are quoted. The HTML page is self-contained (charts inline as SVG,
no script, no external reference), to be mailed or printed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import jinja2

from sharewise.domain.safe_text import safe_json, safe_line
from sharewise.domain.session import QuestionFigures, ScenarioFigures, Summary
from sharewise.domain.words import DECISION_WORDS

FORMATS = ("md", "html", "csv", "json")

#: How many of the most misunderstood questions the report's chart and list show.
TOP_QUESTIONS = 10

CSV_COLUMNS = (
    "session",
    "scenario",
    "scenario_title",
    "theme",
    "trainees",
    "reached_model_decision",
    "reached_model_law",
    "model_decision",
    "question",
    "fact",
    "model_answer",
    "answered",
    "differed",
    "not_reached",
    "most_common_wrong_answer",
    "most_common_wrong_count",
    "why_we_ask",
)


def render(summary: Summary, fmt: str) -> str:
    """The report in `fmt` (one of FORMATS)."""
    renderers: dict[str, Callable[[Summary], str]] = {
        "md": lambda s: _template("training.md.j2", s),
        "html": lambda s: _template("training.html.j2", s),
        "csv": _csv,
        "json": lambda s: safe_json(json.dumps(as_json(s), ensure_ascii=False, indent=2)) + "\n",
    }
    return renderers[fmt](summary)


def decision_words(decision: str) -> str:
    from sharewise.domain.tree import Decision

    try:
        return DECISION_WORDS.get(Decision(decision), decision)
    except ValueError:
        return decision


def as_json(s: Summary) -> dict[str, Any]:
    """Every figure of the summary, by name (the JSON report, and what tests read)."""
    return {
        "session": s.session,
        "trainees": list(s.trainees),
        "attempts": s.attempts,
        "first": s.first.isoformat() if s.first else None,
        "last": s.last.isoformat() if s.last else None,
        "trees": list(s.trees),
        "scenarios": [_scenario_json(sc) for sc in s.scenarios],
    }


def _scenario_json(sc: ScenarioFigures) -> dict[str, Any]:
    return {
        "scenario": sc.scenario,
        "title": sc.title,
        "theme": sc.theme,
        "model": {
            "decision": sc.model.decision.value,
            "outcome": sc.model.outcome,
            "title": sc.model.title,
            "citations": list(sc.model.citations),
        },
        "trainees": sc.trainees,
        "reached_model_decision": sc.same_decision,
        "reached_model_law": sc.same_law,
        "retries": sc.retries,
        "decisions": dict(sc.decisions.most_common()),
        "questions": [_question_json(q) for q in sc.questions],
    }


def _question_json(q: QuestionFigures) -> dict[str, Any]:
    common = q.most_common_wrong
    return {
        "fact": q.fact,
        "question": q.question,
        "why": q.why,
        "model_answer": q.model_label,
        "answered": q.answered,
        "differed": q.differed,
        "not_reached": q.not_reached,
        "most_common_wrong": {"answer": common[0], "count": common[1]} if common else None,
        "wrong_answers": dict(q.wrong.most_common()),
    }


def _csv(s: Summary) -> str:
    from sharewise.store.export import spreadsheet_safe

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for sc in s.scenarios:
        for q in sc.questions:
            common = q.most_common_wrong
            row: list[str | int] = [
                s.session,
                sc.scenario,
                sc.title,
                sc.theme,
                sc.trainees,
                sc.same_decision,
                sc.same_law,
                sc.model.decision.value,
                q.question,
                q.fact,
                q.model_label or "",
                q.answered,
                q.differed,
                q.not_reached,
                common[0] if common else "",
                common[1] if common else 0,
                q.why,
            ]
            writer.writerow(
                [spreadsheet_safe(safe_line(c)) if isinstance(c, str) else c for c in row]
            )
    return buffer.getvalue()


def _template(name: str, s: Summary) -> str:
    charts = html_charts(s) if name.endswith(".html.j2") else []
    text: str = (
        _environment()
        .get_template(name)
        .render(
            s=s,
            top=s.questions_by_difference()[:TOP_QUESTIONS],
            charts=[_markup(c) for c in charts],
            decision=decision_words,
            pct=_pct,
        )
    )
    return text


def _environment() -> jinja2.Environment:
    """The reports' one Jinja environment (autoescaping, strict, the md and line filters)."""
    from sharewise.reports.render import environment

    return environment()


def _markup(svg: str) -> Any:
    """An SVG the chart module drew (its labels escaped by pygal) as trusted markup."""
    import markupsafe

    return markupsafe.Markup(svg)


def scenario_bars(s: Summary) -> list[tuple[str, int]]:
    """Per scenario: trainees who reached the model decision (the report's first chart)."""
    return [(safe_line(sc.title), sc.same_decision) for sc in s.scenarios]


def question_bars(s: Summary) -> list[tuple[str, int]]:
    """The most misunderstood questions: how many answered differently from the model.

    Numbered as the list beside the chart is, since a chart's narrow axis cuts a long
    question (and the same question may come from two scenarios)."""
    return [
        (safe_line(f"{i}. {q.question}"), q.differed)
        for i, (_, q) in enumerate(s.questions_by_difference()[:TOP_QUESTIONS], start=1)
    ]


def html_charts(s: Summary) -> list[str]:
    from sharewise.reports.charts import svg_bars

    return [
        svg_bars(
            "Trainees who reached the model decision, by scenario",
            scenario_bars(s),
            chart_id="chart-decisions",
        ),
        svg_bars(
            "Questions most often answered differently from the model",
            question_bars(s),
            chart_id="chart-questions",
        ),
    ]


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"

"""The tables behind the report's charts, and the report as files: a PDF (WeasyPrint, A4, the
same sections as the page with a print stylesheet) and an Excel workbook with one sheet per
table.

The page, the PDF and the workbook show the same tables: they are built once here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ketenconf.exports.tables import Cell, Table, workbook_bytes

from .models import QuestionKind
from .report import RATING_VALUES, EditionReport, GroupRow, Participation, percent
from .report_charts import report_charts

# WeasyPrint tells of every page it lays out at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PRINT_CSS = Path(__file__).resolve().parent / "static" / "evaluation" / "report-print.css"


@dataclass(frozen=True)
class ReportTable:
    #: The HTML id of the table, and what the workbook's sheet is called (at most 31 characters).
    id: str
    sheet: str
    caption: str
    headers: list[str]
    rows: list[list[Cell]]

    def as_table(self) -> Table:
        return Table(sheet=self.sheet, headers=self.headers, rows=self.rows)


def _group_table(
    *, id: str, sheet: str, caption: str, first: str, rows: list[GroupRow], whole: Participation
) -> ReportTable:
    checked_in = whole.checked_in
    return ReportTable(
        id=id,
        sheet=sheet,
        caption=caption,
        headers=[first, _("registered"), _("attended"), _("no-shows"), _("no-show rate (%)")],
        rows=[
            [
                row.label,
                row.registered,
                row.attended if checked_in else None,
                row.no_shows,
                row.no_show_percent,
            ]
            for row in rows
        ],
    )


def report_tables(report: EditionReport) -> list[ReportTable]:
    """Every table of the report, in the order of the page."""
    participation = report.participation
    tables = [
        _group_table(
            id="by-kind",
            sheet=_("By kind"),
            caption=_("Participants by kind of organisation"),
            first=_("kind of organisation"),
            rows=participation.by_kind,
            whole=participation,
        ),
        _group_table(
            id="by-link",
            sheet=_("By link of the chain"),
            caption=_(
                "Participants by link of the chain (a participant counts under every link of "
                "their organisation)"
            ),
            first=_("link of the chain"),
            rows=participation.by_link,
            whole=participation,
        ),
    ]
    workshops = report.workshops
    if workshops.fill:
        tables.append(
            ReportTable(
                id="fill",
                sheet=_("Workshop fill"),
                caption=_("Workshop fill per session"),
                headers=[
                    _("session"),
                    _("round"),
                    _("room"),
                    _("capacity"),
                    _("assigned"),
                    _("present"),
                    _("fill (%)"),
                ],
                rows=[
                    [
                        row.session.title,
                        row.session.round,
                        row.session.room,
                        row.session.capacity,
                        row.assigned,
                        row.present,
                        row.percent,
                    ]
                    for row in workshops.fill
                ],
            )
        )
    if workshops.satisfaction is not None:
        tables.append(
            ReportTable(
                id="ranks",
                sheet=_("Seats by choice"),
                caption=_("Seats of the published assignment by the rank of the choice"),
                headers=[_("choice"), _("seats"), _("share (%)")],
                rows=[[row.label, row.count, row.percent] for row in workshops.satisfaction.ranks],
            )
        )
    if workshops.day:
        tables.append(
            ReportTable(
                id="day",
                sheet=_("Seats re-offered"),
                caption=_("Seats re-offered on the day, per workshop round"),
                headers=[
                    _("round"),
                    _("seats freed"),
                    _("re-filled"),
                    _("upgrades"),
                    _("ranks gained"),
                    _("walk-ins seated"),
                    _("empty seats"),
                ],
                rows=[
                    [
                        str(row.block),
                        row.freed,
                        row.refilled,
                        row.upgrades,
                        row.ranks_gained,
                        row.walk_ins,
                        row.empty,
                    ]
                    for row in workshops.day
                ],
            )
        )
    survey = report.survey
    if survey is not None:
        if survey.sessions:
            tables.append(
                ReportTable(
                    id="session-ratings",
                    sheet=_("Session ratings"),
                    caption=_(
                        "Ratings of the sessions (mean and distribution shown from 3 ratings)"
                    ),
                    headers=[_("session"), _("ratings"), _("mean"), *RATING_VALUES],
                    rows=[
                        [
                            rating.session.label,
                            rating.summary.count,
                            rating.summary.mean,
                            *(
                                [n for _value, n in rating.summary.distribution]
                                if rating.summary.distribution is not None
                                else [None] * len(RATING_VALUES)
                            ),
                        ]
                        for rating in survey.sessions
                    ],
                )
            )
        tables.append(
            ReportTable(
                id="questions",
                sheet=_("Survey questions"),
                caption=_(
                    "Survey questions: answers given (free-text answers are counted, not shown)"
                ),
                headers=[_("question"), _("kind"), _("answers"), _("mean")],
                rows=[
                    [
                        question.text,
                        str(QuestionKind(question.kind).label),
                        question.summary.count if question.summary is not None else question.texts,
                        question.summary.mean if question.summary is not None else None,
                    ]
                    for question in survey.questions
                    if question.kind != QuestionKind.SESSION_RATING
                ],
            )
        )
        for number, question in enumerate(survey.questions, start=1):
            if question.summary is None or question.summary.distribution is None:
                continue
            tables.append(
                ReportTable(
                    id=f"question-{question.pk}",
                    sheet=_("Question %(number)s") % {"number": number},
                    caption=question.text,
                    headers=[_("answer"), _("count")],
                    rows=[[value, n] for value, n in question.summary.distribution],
                )
            )
    encounters = report.encounters
    kinds = [label for _key, label in encounters.kinds]
    tables.append(
        ReportTable(
            id="kind-matrix",
            sheet=_("Who met whom by kind"),
            caption=_("Pairs of organisations that met, by kind of organisation"),
            headers=[_("kind of organisation"), *kinds],
            rows=[[label, *values] for label, values in encounters.rows()],
        )
    )
    tables.append(
        ReportTable(
            id="top-pairs",
            sheet=_("Organisation pairs"),
            caption=_("The pairs of organisations that met most often"),
            headers=[
                _("organisation"),
                _("organisation"),
                _("workshops together"),
                _("meetings"),
                _("times met"),
            ],
            rows=[
                [row.first.name, row.second.name, row.workshops, row.meetings, row.times]
                for row in encounters.top
            ],
        )
    )
    if survey is not None and survey.quotes:
        tables.append(
            ReportTable(
                id="quotes",
                sheet=_("Quotes"),
                caption=_("Quotes"),
                headers=[_("quote"), _("by"), _("question")],
                rows=[[quote.text, quote.byline, quote.question] for quote in survey.quotes],
            )
        )
    tables.append(
        ReportTable(
            id="comparison",
            sheet=_("Editions compared"),
            caption=_("This edition beside the earlier editions of the series"),
            headers=[
                _("edition"),
                _("first day"),
                _("registered"),
                _("attended"),
                _("no-show rate (%)"),
                _("first choice (%)"),
                _("organisation pairs met"),
                _("overall rating"),
            ],
            rows=[
                [
                    row.title,
                    row.start_date.isoformat(),
                    row.registered,
                    row.attended,
                    row.no_show_percent,
                    row.first_choice_percent,
                    row.pairs,
                    row.overall_rating,
                ]
                for row in report.comparison
            ],
        )
    )
    return tables


def report_context(report: EditionReport) -> dict[str, Any]:
    """What the page and the PDF are drawn from."""
    tables = {table.id: table for table in report_tables(report)}
    charts = report_charts(report)
    questions = report.survey.questions if report.survey is not None else []
    return {
        "edition": report.edition,
        "report": report,
        "charts": charts,
        "tables": {key.replace("-", "_"): table for key, table in tables.items()},
        "question_parts": [
            (question, charts.questions[question.pk], tables[f"question-{question.pk}"])
            for question in questions
            if question.pk in charts.questions
        ],
        "pairs_percent": percent(report.encounters.cross_kind_pairs, report.encounters.pairs),
    }


def report_document(report: EditionReport) -> Any:
    """The report laid out on A4 pages (a WeasyPrint ``Document``), numbered, with the
    charts as vector graphics."""
    from weasyprint import CSS, HTML

    html = render_to_string("evaluation/report_pdf.html", report_context(report))
    document = HTML(string=html, base_url=str(PRINT_CSS.parent))
    return document.render(stylesheets=[CSS(filename=str(PRINT_CSS))])


def report_pdf(report: EditionReport) -> bytes:
    """The report as a PDF file."""
    return bytes(report_document(report).write_pdf())


def report_xlsx(report: EditionReport) -> bytes:
    """One sheet per table of the report, each with its headers."""
    return workbook_bytes([table.as_table() for table in report_tables(report)])

"""The report's page, PDF and workbook: who may see them, what they show, what they cost."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook
from PIL import Image

from ketenconf.evaluation import services
from ketenconf.evaluation.models import ReportPdf
from ketenconf.evaluation.report import edition_report
from ketenconf.evaluation.report_files import report_pdf, report_xlsx
from tests.conftest import in_ci
from tests.evaluation.test_report import Built, build
from tests.factories import (
    EditionFactory,
    OrganisationFactory,
    SeriesPartnerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SLUG = "ketenconferentie-2027"
PAGES = [
    f"/organise/{SLUG}/report/",
    f"/organise/{SLUG}/report/report.pdf",
    f"/organise/{SLUG}/report/report.xlsx",
]


@pytest.fixture
def built() -> Built:
    return build()


@pytest.fixture
def organiser(client: Client, built: Built) -> Client:
    client.force_login(built.organiser)
    return client


def test_organisers_of_another_series_get_404(client: Client, built: Built) -> None:
    police = OrganisationFactory(name="Nationale Politie")
    other = SeriesPartnerFactory(organisation=police, position=1).series
    assert other != built.edition.series
    client.force_login(UserFactory(organisation=police))
    for url in PAGES:
        assert client.get(url).status_code == 404, url
    index = client.get("/organise/").content.decode()
    assert "Ketenconferentie 2027" not in index


def test_people_without_staff_access_are_sent_to_the_login(client: Client, built: Built) -> None:
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/organise/login/?next=")
    # Signed in without staff rights: like anyone else the rule gives nothing, no edition.
    client.force_login(UserFactory(organisation=built.organisations["IND"], is_staff=False))
    assert client.get(PAGES[0]).status_code == 404


def test_old_addresses_lead_to_the_report_in_the_workspace(organiser: Client) -> None:
    assert organiser.get("/admin/report/")["Location"] == "/organise/"
    moved = organiser.get(f"/admin/report/{SLUG}/report.pdf")
    assert (moved.status_code, moved["Location"]) == (301, f"/organise/{SLUG}/report/report.pdf")


def test_the_page_shows_the_figures_and_no_free_text(organiser: Client, built: Built) -> None:
    """The organisers' pages speak Dutch (the site's language): numbers with a decimal comma."""
    response = organiser.get(PAGES[0])
    assert response.status_code == 200
    html = response.content.decode()
    assert '<dd id="registered">8</dd>' in html
    assert '<dd id="attended">6</dd>' in html
    assert re.search(r'<dd id="no-shows">2 \(25,0% [^<]+\)</dd>', html)
    assert '<dd id="pairs">7</dd>' in html
    assert '<dd id="cross-kind-pairs">6 (85,7%)</dd>' in html
    assert '<dd id="workshop-pairs">5</dd>' in html
    assert '<dd id="meeting-pairs">2</dd>' in html
    assert re.search(r'<dd id="first-choice">5 [^<]+ 7 [^<]+ \(71,4%\)</dd>', html)
    # Quotes: only those shown; an anonymised participant by organisation only.
    assert "Best edition so far" in html
    assert "IND1, IND" in html
    assert "The chain in one room" in html
    assert "Words the organisers left out" not in html
    # Free-text answers are counted, never shown.
    assert "Great network" not in html
    assert "Met the municipality people" not in html
    # Every chart has a title and a description; the network is drawn.
    charts = re.findall(r'<svg class="kc-chart"[^>]*id="([^"]+)"', html)
    assert charts == [
        "by-kind-chart",
        "by-link-chart",
        "fill-chart-1",
        "ranks-chart",
        "ratings-chart-1",
        "question-chart-1",
        "question-chart-2",
        "network-chart",
        "organisation-network-chart",
        "comparison-chart",
    ]
    for chart in charts:
        assert re.search(f'<title id="{chart}-title">[^<]+</title>', html), chart
        assert re.search(f'<desc id="{chart}-desc">[^<]+</desc>', html), chart
    # Four kinds of organisation, and the organisations of the pairs that met most often.
    organisation_chart = html.split('id="organisation-network-chart"')[1].split("</svg>")[0]
    pairs = re.findall(
        r'<tr class="utrecht-table__row"><th[^>]*>([^<]+)</th><td[^>]*>([^<]+)</td>',
        html.split('id="top-pairs"')[1].split("</table>")[0],
    )
    assert pairs
    assert html.count("<circle ") == 4 + organisation_chart.count("<circle ")
    assert organisation_chart.count("<line ") == len(pairs)
    assert organisation_chart.count("<circle ") == len({name for pair in pairs for name in pair})
    # The session rated twice shows its count, not its mean nor its distribution.
    row = re.search(
        r'scope="row">10:30 Huisvesting \(Zaal B\)</th>(.*?)</tr>',
        html.split('id="session-ratings"')[1],
    )
    assert row is not None
    assert re.findall(r">([^<]*)</td>", row.group(1)) == ["2", "–", "–", "–", "–", "–", "–"]
    # The tables behind the charts are on the page.
    for table in ("by-kind", "by-link", "fill", "ranks", "session-ratings", "questions"):
        assert f'<table class="utrecht-table" id="{table}">' in html
    for table in ("kind-matrix", "top-pairs", "comparison"):
        assert f'<table class="utrecht-table" id="{table}">' in html


def test_the_downloads(organiser: Client, built: Built, django_capture_on_commit_callbacks) -> None:
    # Before any PDF is made its old address shows the page where it is made.
    before = organiser.get(PAGES[1])
    assert before.status_code == 200
    assert f'action="/organise/{SLUG}/report/pdf/"' in before.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        started = organiser.post(f"/organise/{SLUG}/report/pdf/")
    report = ReportPdf.objects.get()
    status = f"/organise/{SLUG}/report/pdf/{report.pk}/"
    assert (started.status_code, started["Location"]) == (302, status)
    assert len(queued) == 1  # the worker's task, after the commit
    waiting = organiser.get(status, headers={"HX-Request": "true"}).content.decode()
    assert "Stap 1 van 3: wacht op verwerking." in waiting
    assert 'hx-trigger="every 2s"' in waiting

    assert services.report_pdf_execute(report_id=report.pk) == "done"  # what the worker does

    ready = organiser.get(status).content.decode()
    assert "hx-trigger" not in ready
    assert f'href="{status}report.pdf"' in ready
    for url in (f"{status}report.pdf", PAGES[1]):
        pdf = organiser.get(url)
        assert pdf.status_code == 200
        assert pdf["Content-Type"] == "application/pdf"
        assert pdf["Content-Disposition"] == f'attachment; filename="report-{SLUG}.pdf"'
        assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    xlsx = organiser.get(PAGES[2])
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"] == f'attachment; filename="report-{SLUG}.xlsx"'
    assert len(load_workbook(io.BytesIO(xlsx.content)).sheetnames) == 12


def test_the_workbook_has_a_sheet_per_table(built: Built) -> None:
    with translation.override("en"):
        content = report_xlsx(edition_report(edition=built.edition))
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == [
        "By kind",
        "By link of the chain",
        "Workshop fill",
        "Seats by choice",
        "Session ratings",
        "Survey questions",
        "Question 1",
        "Question 2",
        "Who met whom by kind",
        "Organisation pairs",
        "Quotes",
        "Editions compared",
    ]
    rows = [list(r) for r in book["By kind"].iter_rows(values_only=True)]
    assert rows == [
        ["Kind of organisation", "Registered", "Attended", "No-shows", "No-show rate (%)"],
        ["national agency", 4, 3, 1, 25.0],
        ["municipality", 2, 2, 0, 0.0],
        ["police", 1, 0, 1, 100.0],
        ["NGO", 1, 1, 0, 0.0],
    ]
    matrix = [list(r) for r in book["Who met whom by kind"].iter_rows(values_only=True)]
    assert matrix == [
        ["Kind of organisation", "National agency", "Municipality", "Police", "NGO"],
        ["national agency", 1, 2, 0, 2],
        ["municipality", 2, 0, 1, 1],
        ["police", 0, 1, 0, 0],
        ["NGO", 2, 1, 0, 0],
    ]
    compared = [list(r) for r in book["Editions compared"].iter_rows(values_only=True)]
    assert compared[1:] == [
        ["Chain Conference 2024", "2024-05-30", 3, 2, 33.3, None, 0, 4.0],
        ["Chain Conference 2027", "2027-04-15", 8, 6, 25.0, 71.4, 7, 4.2],
    ]
    fill = [list(r) for r in book["Workshop fill"].iter_rows(values_only=True)]
    assert fill[1] == ["Return", "Round 1", "Zaal A", 5, 4, 3, 60.0]


# Left out where poppler-utils is missing, except in CI, where the test then fails.
needs_poppler = pytest.mark.skipif(
    not in_ci() and (shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None),
    reason="poppler-utils is not installed (make pdf installs it)",
)


@needs_poppler
def test_the_pdf_renders_with_charts_and_figures(built: Built, tmp_path: Path) -> None:
    with translation.override("en"):
        content = report_pdf(edition_report(edition=built.edition))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Report: Chain Conference 2027" in text
    assert re.search(r"Registered\s+8", text)
    assert re.search(r"No-shows\s+2 \(25\.0% of the registered\)", text)
    assert re.search(r"Pairs of organisations that met\s+7", text)
    assert "Best edition so far" in text
    assert "Great network" not in text
    pages = text.split("\f")
    assert "1 / " in pages[0]  # numbered pages
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len([p for p in pages if p.strip()]) >= 5
    blue, orange = (0x01, 0x68, 0x9B), (0xE1, 0x70, 0x00)
    colours: set[tuple[int, int, int]] = set()
    for path in images:
        image = Image.open(path).convert("RGB")
        counts = image.getcolors(maxcolors=image.width * image.height) or []
        # Not blank: more than white on the page.
        assert sum(n for n, colour in counts if colour != (255, 255, 255)) > 500, path.name
        colours |= {colour for n, colour in counts if n > 20}

    def near(colour: tuple[int, int, int]) -> bool:
        return any(all(abs(a - b) <= 6 for a, b in zip(c, colour, strict=True)) for c in colours)

    assert near(blue), "the bars' blue is on no page"
    assert near(orange), "the network's orange is on no page"


def test_queries_stay_few(
    organiser: Client, built: Built, django_assert_max_num_queries: Any
) -> None:
    # The session and the user, 16 for the edition (2 of them its registration questions and
    # their answers), and 12 for the 2024 edition beside it.
    with django_assert_max_num_queries(30):
        assert organiser.get(PAGES[0]).status_code == 200
    with django_assert_max_num_queries(16):
        edition_report(edition=built.earlier)


def test_an_edition_with_nothing_yet(client: Client) -> None:
    """Before anyone registers: the page, the PDF and the workbook still come, saying so."""
    lead = OrganisationFactory(name="Dienst Justitiële Inrichtingen")
    edition = EditionFactory(slug="leeg-2030", lead_organisation=lead)
    client.force_login(UserFactory(organisation=lead))
    html = client.get(f"/organise/{edition.slug}/report/").content.decode()
    assert '<dd id="registered">0</dd>' in html
    assert '<dd id="pairs">0</dd>' in html
    assert 'id="no-check-ins"' in html
    assert 'id="attended"' not in html
    with translation.override("en"):
        report = edition_report(edition=edition)
        assert report_pdf(report).startswith(b"%PDF-")
        book = load_workbook(io.BytesIO(report_xlsx(report)))
    assert book.sheetnames == [
        "By kind",
        "By link of the chain",
        "Who met whom by kind",
        "Organisation pairs",
        "Editions compared",
    ]
    assert list(book["Editions compared"].iter_rows(values_only=True))[1][2:] == (
        0,
        None,
        None,
        None,
        0,
        None,
    )


def test_linked_from_the_dashboard_and_the_check_in_page(organiser: Client, built: Built) -> None:
    dashboard = organiser.get(f"/organise/{SLUG}/").content.decode()
    assert f'href="/organise/{SLUG}/report/"' in dashboard
    checkin = organiser.get(f"/organise/{SLUG}/checkin/").content.decode()
    assert f'href="/organise/{SLUG}/report/"' in checkin

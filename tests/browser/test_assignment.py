"""An organiser runs the workshop assignment in Chromium, reads the figures, moves, publishes.

axe checks every assignment page on the way (they are our own templates, not Django admin's).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from ketenconf.allocation.models import AssignmentRun
from ketenconf.mail.models import OutboxMessage
from tests.allocation.test_adapter import make_edition
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The CSP hash of the <style> htmx 2 adds for .htmx-indicator (config includeIndicatorStyles).


def screenshot(page: Any, name: str) -> None:
    """Keep a screenshot when KETENCONF_SCREENSHOTS names a folder, for a person to look at."""
    folder = os.environ.get("KETENCONF_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_organiser_runs_reads_moves_and_publishes(live_server: Any, page: Any) -> None:
    small = make_edition()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    start = f"/organise/{small.edition.slug}/assignment/"
    page.goto(f"{live_server.url}/organise/login/?next={start}")
    page.locator("#id_username").fill(small.organiser.username)
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}{start}")
    assert page.locator("h1").inner_text() == "Workshopindeling: Ketenconferentie 2027"
    assert_accessible(page)

    page.get_by_label("Tijdslimiet in seconden").fill("10")
    page.get_by_role("button", name="Deel in").click()
    run = AssignmentRun.objects.get()
    page.wait_for_url(f"{live_server.url}{start}runs/{run.pk}/")
    assert page.locator("h1").inner_text() == f"Indeling {run.number} van Ketenconferentie 2027"
    assert page.locator("#first-choice").inner_text() == (
        "4 van 4 deelnemers met voorkeuren kregen hun eerste keuze (100,0%)"
    )
    assert page.locator("#ranks tbody tr").all_inner_texts() == [
        "Keuze 1\t4\t50,0%",
        "Keuze 2\t3\t37,5%",
        "Niet gekozen\t1\t12,5%",
        "Geen sessie\t0\t0,0%",
    ]
    chart = page.get_by_role("img", name="Plaatsen per keuze")
    assert chart.is_visible()
    assert page.locator("#rank-chart rect").count() == 4
    assert page.locator("#sessions tbody tr").count() == 4
    assert_accessible(page)
    screenshot(page, "assignment-run")

    # The long tables are folded: the summary and the seats by choice come first.
    assert page.locator("#participants-fold").get_attribute("open") is None
    assert not page.locator("#sessions").is_visible()

    # Search, then try a move the engine refuses: Zaal A is full, and Anna has Terugkeer later.
    page.locator("#participants-fold > summary").click()
    page.get_by_label("Zoek op naam, e-mailadres of organisatie").fill("anna")
    page.get_by_role("button", name="Zoeken").click()
    assert page.locator("#participants tbody tr").count() == 1
    page.get_by_role("link", name="Verplaats of zet vast: Anna").click()
    assert page.locator("h1").inner_text() == "Plaatsen van Anna"
    assert_accessible(page)
    page.get_by_label("Ronde 1").select_option(
        label="Terugkeer, Zaal A (keuze 1; 0 van 2 plaatsen vrij)"
    )
    page.get_by_role("button", name="Plaatsen opslaan").click()
    assert page.locator("#form-errors li").all_inner_texts() == [
        "Anna in Ronde 2 13:00–14:00: Terugkeer zou twee keer voorkomen; het staat ook in "
        "Ronde 1 10:30–11:30.",
        "Terugkeer (Zaal A) in Ronde 1 10:30–11:30 zou 3 deelnemers krijgen; er is plaats voor 2.",
    ]
    assert_accessible(page)
    page.get_by_role("link", name="Terug naar de indeling").click()

    page.get_by_role("link", name="Publiceer deze indeling").click()
    assert page.locator("h1").inner_text() == f"Indeling {run.number} publiceren?"
    assert page.locator("#publish-preview li").all_inner_texts() == [
        "4 deelnemers krijgen een e-mail met een nieuw of gewijzigd programma."
    ]
    assert_accessible(page)
    page.get_by_role("button", name="Publiceer en mail de deelnemers").click()
    page.wait_for_url(f"{live_server.url}{start}runs/{run.pk}/")
    assert page.get_by_role("status").first.inner_text() == (
        "Gepubliceerd. 4 deelnemers krijgen hun persoonlijke programma per e-mail."
    )
    assert OutboxMessage.objects.filter(topic="allocation/programme").count() == 4
    assert_accessible(page)

    parts = page.get_by_role("navigation", name="Onderdelen van Ketenconferentie 2027")
    parts.get_by_role("link", name="Workshopindeling").click()
    assert (
        page.locator("#published-run")
        .inner_text()
        .startswith(f"Deelnemers zien de plaatsen van indeling {run.number}, gepubliceerd op")
    )
    assert_accessible(page)
    page.get_by_role("link", name="Ketenconferentie 2027").first.click()
    assert page.locator("h1").inner_text() == "Ketenconferentie 2027"  # the dashboard
    assert_accessible(page)
    # htmx injects its indicator style on every page (base.html sets no htmx-config yet); the
    # policy blocks it, harmlessly. Nothing else may be blocked.
    assert csp_errors == []

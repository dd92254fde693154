"""The audit trail's page in Chromium: changes made through the workspace show with who made
them and the values before and after; filtered by part and by person; axe clean and without
sideways scrolling at 320, 390 and 1280 px, in Dutch and English."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from ketenconf.allocation import services as allocation
from ketenconf.registration import services as registration_services
from tests.allocation.test_adapter import make_edition
from tests.browser.conftest import assert_accessible, visit_at_every_width
from tests.browser.test_workspace import log_in_as
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_audit_trail_shows_who_changed_what(live_server: Any, page: Any) -> None:
    small = make_edition()
    small.organiser.first_name, small.organiser.last_name = "Olga", "Organisator"
    small.organiser.save()
    other = UserFactory(
        organisation=small.edition.lead_organisation, first_name="Piet", last_name="Planner"
    )
    with translation.override("nl"):
        run = allocation.assignment_run_start(edition=small.edition, by=other)
        allocation.assignment_run_publish(run=run, by=other)
    anna = small.people["Anna"]
    registration_services.registration_update_details(
        registration=anna,
        name="Anna van der Berg-de Vries met een heel lange achternaam",
        job_title="beleidsmedewerker",
        needs_step_free=False,
        networking_consent=True,
        language="nl",
    )
    base = f"{live_server.url}/organise/{small.edition.slug}"
    log_in_as(small.organiser, live_server.url)(page)

    # A change through the workspace, then read in the trail.
    page.goto(f"{base}/registrations/{small.people['Bram'].pk}/cancelled/")
    page.get_by_role("button", name="Annuleer de aanmelding").click()
    page.goto(f"{base}/")
    page.get_by_role("link", name="Logboek van wijzigingen").click()
    page.wait_for_url(f"{base}/audit/")
    entries = page.locator("#entries > li")
    first = entries.first.inner_text()
    assert "Status gewijzigd: Bram" in first
    assert "Olga Organisator" in first
    assert "Aanmeldingen" in first
    assert page.locator("#entries > li").first.locator("del").text_content() == "voor: aangemeld"
    assert page.locator("#entries > li").first.locator("ins").text_content() == "na: geannuleerd"
    assert_accessible(page)

    # By part, then by person.
    page.get_by_label("Onderdeel").select_option("assignment")
    page.get_by_label("Wie").select_option(label="Piet Planner")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url(f"{base}/audit/?part=assignment&who=u{other.pk}")
    texts = page.locator("#entries > li").all_inner_texts()
    assert [text.split("\n")[0] for text in texts] == [
        f"Gepubliceerd: {run}",
        f"Begonnen: {run}",
    ]
    assert all("Piet Planner" in text for text in texts)
    assert_accessible(page)


def test_the_audit_page_reflows_and_is_accessible(live_server: Any, browser: Any) -> None:
    small = make_edition()
    registration_services.registration_update_details(
        registration=small.people["Anna"],
        name="Anna van der Berg-de Vries met een heel lange achternaam zonder spaties",
        job_title="beleidsmedewerker-migratieketen-informatievoorziening",
        needs_step_free=True,
        networking_consent=True,
        language="nl",
    )
    registration_services.registration_set_status(
        registration=small.people["Bram"], status="cancelled", by="organiser"
    )
    slug = small.edition.slug
    paths = [f"/organise/{slug}/audit/", f"/organise/{slug}/audit/?part=assignment"]
    visited = visit_at_every_width(
        browser, live_server.url, paths, log_in=log_in_as(small.organiser, live_server.url)
    )
    assert len(visited) == len(paths) * 2 * 3

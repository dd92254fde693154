"""The organiser workspace in Chromium: every page at 320, 390 and 1280 px without sideways
scrolling and axe clean, in Dutch and English; and publishing an assignment by keyboard only."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from ketenconf.allocation import services as allocation
from ketenconf.allocation.models import AssignmentRun
from ketenconf.api import services as api_tokens
from ketenconf.imports import services as imports
from tests.allocation.test_adapter import Small, make_edition
from tests.browser.conftest import assert_accessible, visit_at_every_width
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def log_in_as(user: Any, base_url: str) -> Any:
    def log_in(page: Any) -> None:
        page.goto(f"{base_url}/organise/login/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#id_password").press("Enter")
        page.wait_for_url(f"{base_url}/organise/")

    return log_in


def workspace_paths(small: Small, run: AssignmentRun, job_id: int, token_id: int) -> list[str]:
    edition = f"/organise/{small.edition.slug}"
    anna = small.people["Anna"].pk
    session = small.sessions["1T"].pk
    block = small.sessions["1T"].block_id
    return [
        "/organise/",
        f"{edition}/",
        f"{edition}/programme/",
        f"{edition}/programme/blocks/add/",
        f"{edition}/programme/sessions/{session}/",
        f"{edition}/programme/rooms/add/",
        f"{edition}/programme/blocks/{block}/remove/",
        f"{edition}/call/",
        f"{edition}/call/schedule/",
        f"{edition}/registrations/",
        f"{edition}/registrations/?listed=waitlisted",
        f"{edition}/registrations/add/",
        f"{edition}/registrations/{anna}/",
        f"{edition}/registrations/{anna}/cancelled/",
        f"{edition}/assignment/",
        f"{edition}/assignment/runs/{run.pk}/",
        f"{edition}/assignment/runs/{run.pk}/participants/{anna}/",
        f"{edition}/assignment/runs/{run.pk}/publish/",
        f"{edition}/checkin/",
        f"{edition}/checkin/doors/1/",
        f"{edition}/checkin/sessions/{small.sessions['1T'].pk}/",
        f"{edition}/checkin/dashboard/",
        f"{edition}/checkin/badges/",
        f"{edition}/day/",
        f"{edition}/report/",
        f"{edition}/report/survey/",
        f"{edition}/report/pdf/",
        f"{edition}/exports/",
        f"{edition}/imports/",
        f"{edition}/imports/{job_id}/",
        f"{edition}/organisations/",
        f"{edition}/api/",
        f"{edition}/api/{token_id}/revoke/",
        f"{edition}/audit/",
        f"{edition}/settings/",
        f"{edition}/settings/next/",
    ]


def test_every_workspace_page_reflows_and_is_accessible(live_server: Any, browser: Any) -> None:
    small = make_edition()
    with translation.override("nl"):
        run = allocation.assignment_run_start(edition=small.edition, by=small.organiser)
    job = imports.import_job_create(
        edition=small.edition,
        kind="participants",
        filename="deelnemers.csv",
        content=b"naam,e-mail,organisatie\nEva,eva@example.org,IND\n",
        by=small.organiser,
    )
    for typed in ("Dienst Ter", "Gemeente Ede met een heel lange naam die niet past"):
        OrganisationFactory(name=typed, accepted=False, proposed_in=small.edition)
    token, _text = api_tokens.api_token_create(user=small.organiser, name="website")
    paths = workspace_paths(small, run, job.pk, token.pk)
    visited = visit_at_every_width(
        browser, live_server.url, paths, log_in=log_in_as(small.organiser, live_server.url)
    )
    assert len(visited) == len(paths) * 2 * 3
    # The login page itself, before anyone is signed in.
    assert len(visit_at_every_width(browser, live_server.url, ["/organise/login/"])) == 6


def test_on_a_phone_the_parts_are_folded_and_the_page_starts_on_the_first_screen(
    live_server: Any, browser: Any
) -> None:
    small = make_edition()
    context = browser.new_context(locale="nl-NL", viewport={"width": 320, "height": 640})
    page = context.new_page()
    log_in_as(small.organiser, live_server.url)(page)
    page.goto(f"{live_server.url}/organise/{small.edition.slug}/registrations/")
    parts = page.get_by_role("navigation", name=f"Onderdelen van {small.edition.title}")
    assert not parts.is_visible()
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading is not None and heading["y"] + heading["height"] < 640
    page.get_by_text("Onderdelen van deze editie").click()
    assert parts.is_visible()
    parts.get_by_role("link", name="Instellingen").click()
    page.wait_for_url(f"{live_server.url}/organise/{small.edition.slug}/settings/")
    context.close()


def _tab_to(page: Any, name: str, *, limit: int = 120) -> None:
    """Press Tab until the focused element's text is ``name``, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.innerText")
        if (focused or "").strip() == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_an_organiser_publishes_an_assignment_by_keyboard_only(live_server: Any, page: Any) -> None:
    small = make_edition()
    with translation.override("nl"):
        run = allocation.assignment_run_start(edition=small.edition, by=small.organiser)
    log_in_as(small.organiser, live_server.url)(page)
    edition = f"{live_server.url}/organise/{small.edition.slug}"

    _tab_to(page, small.edition.title)  # the edition in the list
    page.keyboard.press("Enter")
    page.wait_for_url(f"{edition}/")
    _tab_to(page, "Workshopindeling")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{edition}/assignment/")
    _tab_to(page, f"Indeling {run.number}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{edition}/assignment/runs/{run.pk}/")
    _tab_to(page, "Publiceer deze indeling")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{edition}/assignment/runs/{run.pk}/publish/")
    assert_accessible(page)
    _tab_to(page, "Publiceer en mail de deelnemers")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{edition}/assignment/runs/{run.pk}/")
    assert page.get_by_role("status").first.inner_text() == (
        "Gepubliceerd. 4 deelnemers krijgen hun persoonlijke programma per e-mail."
    )
    run.refresh_from_db()
    assert run.published_at is not None

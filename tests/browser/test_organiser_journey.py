"""A new organiser runs the 2027 demo edition from the workspace's dashboard, in Chromium,
without ever opening /admin/: opens and closes the ranking, runs and publishes the workshop
assignment, makes the badges, checks someone in at the door, sends the survey after the day
and reads the report.

Where the worker would do the long work (the badges' PDF), the test calls the task's service
as the worker does; the survey's questions are prepared beforehand (their editing is still in
the admin)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from ketenconf.accounts.models import User
from ketenconf.allocation.models import AssignmentRun
from ketenconf.checkin import services as checkin
from ketenconf.checkin.models import BadgeBatch
from ketenconf.checkin.tokens import badge_token
from ketenconf.demo.load import demo_load
from ketenconf.events.models import Edition
from ketenconf.registration.models import Registration, RegistrationStatus
from ketenconf.team.services import user_roles_from_organisation
from tests.browser.conftest import assert_accessible
from tests.factories import QuestionFactory, SurveyFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _part(page: Any, edition: Edition, name: str) -> None:
    nav = page.get_by_role("navigation", name=f"Onderdelen van {edition.title}")
    nav.get_by_role("link", name=name, exact=True).click()


@override_settings(PASSWORD_HASHERS=FAST)
def test_a_new_organiser_runs_the_2027_demo_from_the_dashboard(live_server: Any, page: Any) -> None:
    demo_load()
    edition = Edition.objects.get(slug="ketenconferentie-2027")
    QuestionFactory(survey=SurveyFactory(edition=edition))
    newcomer = User.objects.create_user(
        username="nieuw",
        password=PASSWORD,
        is_staff=True,
        organisation=edition.lead_organisation,
    )
    user_roles_from_organisation(user=newcomer)  # lead organiser of what their organisation leads
    base = f"{live_server.url}/organise/{edition.slug}"
    # Solving and publishing for 450 participants (a mail each) takes a while on a busy machine.
    page.set_default_timeout(90_000)
    into_the_admin: list[str] = []
    page.on("request", lambda r: into_the_admin.append(r.url) if "/admin/" in r.url else None)

    page.goto(f"{live_server.url}/organise/login/")
    page.locator("#id_username").fill("nieuw")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.get_by_role("link", name=edition.title).click()
    page.wait_for_url(f"{base}/")

    # The demo's ranking is open from registration on (no window set): close it, open it
    # again, and close it for good; the dashboard says what comes next.
    _part(page, edition, "Instellingen")
    page.get_by_role("button", name="Sluit het rangschikken nu").click()
    page.get_by_role("button", name="Open het rangschikken nu").click()
    assert page.locator("#ranking-state").inner_text() == (
        "Open: deelnemers kunnen de workshops rangschikken."
    )
    page.get_by_role("button", name="Sluit het rangschikken nu").click()
    page.wait_for_url(f"{base}/settings/")
    assert page.locator("#ranking-state").inner_text().startswith("Gesloten sinds")
    _part(page, edition, "Overzicht")
    page.get_by_role("link", name="Het rangschikken is vandaag gesloten: maak de indeling.").click()
    page.wait_for_url(f"{base}/assignment/")

    # Run the assignment and publish it.
    page.get_by_label("Tijdslimiet in seconden").fill("20")
    page.get_by_role("button", name="Deel in").click()
    page.wait_for_url(f"{base}/assignment/runs/*/", timeout=120_000)
    run = AssignmentRun.objects.get(edition=edition)
    page.get_by_role("link", name="Publiceer deze indeling").click()
    page.get_by_role("button", name="Publiceer en mail de deelnemers").click()
    page.wait_for_url(f"{base}/assignment/runs/{run.pk}/", timeout=60_000)
    run.refresh_from_db()
    assert run.published_at is not None

    # The badges: made by the worker, downloaded from the page.
    _part(page, edition, "Badges en live aantallen")
    page.get_by_role("button", name="De badges maken").click()
    batch = BadgeBatch.objects.get(edition=edition)
    page.wait_for_url(f"{base}/checkin/badges/batches/{batch.pk}/")
    checkin.badge_batch_execute(batch_id=batch.pk)  # what the worker does
    page.reload()
    assert page.get_by_role("link", name="De badges downloaden (pdf)").is_visible()

    # Check someone in at the first door.
    anna = Registration.objects.filter(
        edition=edition, status=RegistrationStatus.REGISTERED
    ).earliest("pk")
    _part(page, edition, "Inchecken")
    page.locator("#id_door").fill("1")
    page.get_by_role("button", name="De deurpagina openen").click()
    page.wait_for_url(f"{base}/checkin/doors/1/")
    page.locator("#scan_token").fill(badge_token(registration=anna))
    page.locator("#scan_token").press("Enter")
    answer = page.locator("#scan-result .kc-scan")
    answer.wait_for()
    assert answer.get_attribute("data-outcome") == "welcome"

    # After the day (its dates moved to yesterday in the settings): send the survey.
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    _part(page, edition, "Instellingen")
    page.get_by_label("Eerste dag").fill(yesterday)
    page.get_by_label("Laatste dag").fill(yesterday)
    page.get_by_role("button", name="Sla de instellingen op").click()
    assert page.get_by_role("status").first.inner_text() == "De instellingen zijn opgeslagen."
    _part(page, edition, "Enquête en rapport")
    page.get_by_role("link", name="De enquête: wie is uitgenodigd").click()
    page.get_by_role("button", name="Verstuur de uitnodiging aan 1 deelnemer").click()
    assert page.get_by_role("status").first.inner_text() == "1 deelnemer uitgenodigd."
    assert_accessible(page)

    # And read the report.
    page.get_by_role("link", name="Lees het rapport").click()
    assert page.locator("h1").inner_text() == "Rapport: Ketenconferentie 2027"
    assert page.locator("#registered").inner_text() == str(
        Registration.objects.filter(edition=edition, status=RegistrationStatus.REGISTERED).count()
    )
    assert_accessible(page)
    assert into_the_admin == []

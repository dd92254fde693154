"""A new participant registers in Chromium, confirms through the mailed link, ranks, cancels.

The mail travels for real: the outbox row is delivered by ``mail_deliver`` over SMTP to an
aiosmtpd server on loopback, and the link is read from the mail that server received.
axe checks every page on the way.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ketenconf.events.models import EditionStatus
from ketenconf.mail.models import OutboxMessage, OutboxStatus
from ketenconf.mail.services import mail_deliver
from ketenconf.programme.models import Topic
from ketenconf.registration.models import Preference, Registration
from tests.browser.conftest import assert_accessible
from tests.mail.conftest import SMTPServer, free_port

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "ketenconferentie-2027"


@pytest.fixture
def smtp(settings: Any, live_server: Any) -> Iterator[SMTPServer]:
    """A real SMTP server on loopback; Django's mail and the links in mails point at the test."""
    server = SMTPServer(free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.BASE_URL = live_server.url
    yield server
    server.stop()


@pytest.fixture
def open_edition(programme_edition: Any) -> Any:
    programme_edition.status = EditionStatus.REGISTRATION_OPEN
    programme_edition.save()
    return programme_edition


def deliver_and_read_link(smtp: SMTPServer, to: str) -> str:
    """Send what the outbox holds, as the worker would, and take the link from the mail."""
    for pk in OutboxMessage.objects.filter(status=OutboxStatus.PENDING).values_list(
        "pk", flat=True
    ):
        assert mail_deliver(message_id=pk) == "sent"
    mails = [m for m in smtp.recorder.received() if m["To"] == to]
    assert len(mails) == 1
    body = mails[0].get_body(preferencelist=("plain",))
    assert body is not None
    found = re.search(r"http://\S+/me/link/\S+/", body.get_content())
    assert found is not None
    return found.group(0)


def screenshot(page: Any, name: str) -> None:
    """Keep a screenshot when KETENCONF_SCREENSHOTS names a folder, for a person to look at."""
    folder = os.environ.get("KETENCONF_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_register_confirm_rank_change_and_cancel(
    live_server: Any, page: Any, smtp: SMTPServer, open_edition: Any
) -> None:
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{live_server.url}/{SLUG}/register/")
    assert_accessible(page)
    page.get_by_label("Naam", exact=True).fill("Fatima el Amrani")
    page.get_by_label("E-mailadres", exact=True).fill("fatima@example.org")
    page.get_by_label("Organisatie", exact=True).fill("Gemeente Utrecht")
    page.get_by_role("textbox", name="Functie (niet verplicht)").fill("Beleidsadviseur")
    page.get_by_role("button", name="Aanmelden").click()
    assert page.locator("h1").inner_text() == "U hebt een plaats"
    assert_accessible(page)

    link = deliver_and_read_link(smtp, "fatima@example.org")
    assert link.startswith(f"{live_server.url}/{SLUG}/me/link/")
    page.goto(link)
    assert page.locator("h1").inner_text() == "Welkom, Fatima"
    assert_accessible(page)
    page.get_by_role("button", name="Open mijn persoonlijke pagina").click()
    assert page.url == f"{live_server.url}/{SLUG}/me/"
    assert page.locator("#registration-status").inner_text() == (
        "U bent aangemeld: u hebt een plaats."
    )
    assert_accessible(page)
    screenshot(page, "personal-page")

    # Rank: choose two, move the second up without a reload (htmx), then save.
    page.get_by_role("link", name="Rangschik de workshops").click()
    assert page.locator("h1").inner_text() == "Rangschik de workshops"
    assert_accessible(page)
    page.get_by_label("Keuze 1").select_option(label="Terugkeer")
    page.get_by_label("Keuze 2").select_option(label="Huisvesting")
    page.get_by_role("button", name="Mijn keuzes opslaan").click()
    assert page.url == f"{live_server.url}/{SLUG}/me/"
    assert page.locator("#ranked-workshops li").all_inner_texts() == ["Terugkeer", "Huisvesting"]

    page.get_by_role("link", name="Uw workshopkeuzes wijzigen").click()
    page.evaluate("window.kcNotReloaded = true")
    page.get_by_role("button", name="Huisvesting omhoog zetten").click()
    status = page.locator("#ranking-status")
    status.filter(has_text="Huisvesting is nu keuze 1.").wait_for()
    assert status.inner_text() == (
        "Huisvesting is nu keuze 1. Sla uw keuzes op om deze volgorde te bewaren."
    )
    assert page.evaluate("window.kcNotReloaded") is True
    housing = Preference.objects.get(topic__title_nl="Huisvesting").topic_id
    assert page.get_by_label("Keuze 1").input_value() == str(housing)
    # Focus stays with the moved workshop (at the top it can only go down), not lost to the page.
    assert page.evaluate("document.activeElement.id") == f"move-down-{housing}"
    assert_accessible(page)
    screenshot(page, "ranking-page")
    page.get_by_role("button", name="Mijn keuzes opslaan").click()
    assert page.locator("#ranked-workshops li").all_inner_texts() == ["Huisvesting", "Terugkeer"]
    assert page.get_by_role("status").first.inner_text() == "Uw workshopkeuzes zijn opgeslagen."

    page.get_by_role("link", name="Uw gegevens wijzigen").click()
    assert page.locator("h1").inner_text() == "Uw gegevens wijzigen"
    assert_accessible(page)
    page.get_by_role("textbox", name="Functie (niet verplicht)").fill("Teamleider")
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_role("status").first.inner_text() == "Uw gegevens zijn opgeslagen."

    page.get_by_role("link", name="Wijzig de rondes die u bijwoont").click()
    assert page.get_by_label("Workshopronde 1, 10:30–11:30").is_checked()
    assert_accessible(page)
    page.get_by_role("link", name="Terug naar uw persoonlijke pagina").click()

    page.get_by_role("link", name="Mijn aanmelding en gegevens verwijderen").click()
    assert page.locator("h1").inner_text() == "Uw aanmelding en gegevens verwijderen?"
    assert_accessible(page)
    page.get_by_role("link", name="Nee, terug naar uw persoonlijke pagina").click()

    page.get_by_role("link", name="Mijn aanmelding annuleren").click()
    assert page.locator("h1").inner_text() == "Uw aanmelding annuleren?"
    assert_accessible(page)
    page.get_by_role("button", name="Ja, annuleer mijn aanmelding").click()
    assert page.locator("#registration-status").inner_text() == "Uw aanmelding is geannuleerd."
    assert page.get_by_role("status").first.inner_text() == "Uw aanmelding is geannuleerd."
    assert_accessible(page)
    saved = Registration.objects.get(email="fatima@example.org")
    assert (saved.status, saved.job_title) == ("cancelled", "Teamleider")
    assert [p.topic.title_nl for p in saved.preferences.select_related("topic")] == [
        "Huisvesting",
        "Terugkeer",
    ]

    page.get_by_role("link", name="Mijn aanmelding en gegevens verwijderen").click()
    page.get_by_role("button", name="Ja, verwijder mijn aanmelding en gegevens").click()
    assert page.locator("h1").inner_text() == "Uw aanmelding en gegevens zijn verwijderd"
    assert_accessible(page)
    assert not Registration.objects.filter(email="fatima@example.org").exists()
    # The Content Security Policy blocked nothing on any page of the flow (htmx included).
    assert csp_errors == []


def test_ranking_works_without_javascript(
    browser: Any, live_server: Any, smtp: SMTPServer, open_edition: Any
) -> None:
    from ketenconf.registration import links, services

    registration = services.registration_create(
        edition=open_edition,
        name="Pieter de Vries",
        email="pieter@example.org",
        organisation_name="IND",
    ).registration
    token = links.access_token_create(registration=registration)
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{live_server.url}/{SLUG}/me/link/{token}/")
    page.get_by_role("button", name="Open mijn persoonlijke pagina").click()
    page.get_by_role("link", name="Rangschik de workshops").click()
    page.get_by_label("Keuze 1").select_option(label="Arbeidsmigratie")
    page.get_by_label("Keuze 2").select_option(label="Terugkeer")
    page.get_by_role("button", name="Mijn keuzes opslaan").click()
    assert page.locator("#ranked-workshops li").all_inner_texts() == [
        "Arbeidsmigratie",
        "Terugkeer",
    ]
    # Move buttons are plain submit buttons: the page comes back in the new order, unsaved.
    page.get_by_role("link", name="Uw workshopkeuzes wijzigen").click()
    page.get_by_role("button", name="Terugkeer omhoog zetten").click()
    assert page.locator("#ranking-status").inner_text() == (
        "Terugkeer is nu keuze 1. Sla uw keuzes op om deze volgorde te bewaren."
    )
    page.get_by_role("button", name="Mijn keuzes opslaan").click()
    assert page.locator("#ranked-workshops li").all_inner_texts() == [
        "Terugkeer",
        "Arbeidsmigratie",
    ]
    context.close()


def test_ranking_fits_a_phone(
    live_server: Any, phone_page: Any, smtp: SMTPServer, open_edition: Any
) -> None:
    from ketenconf.registration import links, services

    registration = services.registration_create(
        edition=open_edition, name="Anna Jansen", email="anna@example.org", organisation_name="COA"
    ).registration
    services.registration_set_preferences(
        registration=registration,
        topic_ids=list(
            Topic.objects.filter(title_nl__in=["Terugkeer", "Huisvesting"]).values_list(
                "pk", flat=True
            )
        ),
    )
    token = links.access_token_create(registration=registration)
    phone_page.goto(f"{live_server.url}/{SLUG}/me/link/{token}/")
    phone_page.get_by_role("button", name="Open mijn persoonlijke pagina").click()
    phone_page.goto(f"{live_server.url}/{SLUG}/me/workshops/")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert_accessible(phone_page)
    screenshot(phone_page, "ranking-phone")

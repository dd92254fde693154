"""Messages in Chromium: an organiser writes to "not ranked yet", sees how many it reaches and
the preview, sends, and the mail arrives over the real SMTP server once per person while the
page follows the sending; the message pages at 320, 390 and 1280 px, axe clean, in Dutch and
English."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from ketenconf.messaging import services
from tests.browser.conftest import assert_accessible, screenshot_folder, visit_at_every_width
from tests.browser.test_workspace import log_in_as
from tests.mail.conftest import SMTPServer
from tests.messaging.conftest import Groups, groups, restore_signals, smtp_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_organiser_sends_a_message_to_who_have_not_ranked(
    live_server: Any,
    browser: Any,
    groups: Groups,  # noqa: F811
    smtp_server: SMTPServer,  # noqa: F811
    restore_signals: None,  # noqa: F811
) -> None:
    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in_as(groups.organiser, live_server.url)(page)
    page.goto(f"{live_server.url}/organise/{groups.edition.slug}/")
    page.get_by_text("Onderdelen van deze editie").click()  # the folded menu on a phone
    page.get_by_role("link", name="Berichten", exact=True).click()
    page.get_by_role("link", name="Schrijf een bericht").click()
    page.get_by_label("Aan").select_option("not_ranked")
    page.get_by_label("Onderwerp in het Nederlands").fill("Rangschik de workshops")
    page.get_by_label("Tekst in het Nederlands").fill("Beste deelnemer,\n\nKies <b>nu</b>.")
    page.get_by_label("Onderwerp in het Engels").fill("Rank the workshops")
    page.get_by_label("Tekst in het Engels").fill("Dear participant,\n\nChoose now.")
    page.get_by_role("button", name="Toon wie en het voorbeeld").click()
    reach = page.locator("#reach")
    assert reach.inner_text() == (
        "Dit bericht bereikt 2 mensen: wie de workshops nog niet hebben gerangschikt."
    )
    assert "Kies <b>nu</b>." in page.locator(".kc-mail-preview__text").first.inner_text()
    assert_accessible(page)
    # The preview, too, fits a phone and a wide screen.
    folder = screenshot_folder()
    for width in (320, 390, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"message-preview-nl-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 800})
    page.get_by_role("button", name="Verstuur naar 2 mensen").click()
    page.wait_for_selector("#message-progress")
    assert page.locator("#recipients").inner_text() == "2"
    assert_accessible(page)
    # The worker sends; the page follows it without a reload.
    call_command("worker", "--batch", verbosity=0)
    page.locator("#sent", has_text="2").wait_for()
    assert page.locator(".kc-status").last.inner_text() == (
        "Elke e-mail van dit bericht is afgehandeld."
    )
    received = smtp_server.recorder.received()
    assert sorted((m["To"], m["Subject"]) for m in received) == [
        ("bram@example.org", "Rank the workshops"),
        ("chris@example.org", "Rangschik de workshops"),
    ]
    # Again: nobody gets it twice.
    call_command("worker", "--batch", verbosity=0)
    assert len(smtp_server.recorder.received()) == 2
    context.close()


def test_the_message_pages_reflow_and_are_accessible(
    live_server: Any,
    browser: Any,
    groups: Groups,  # noqa: F811
) -> None:
    message = services.message_send(
        edition=groups.edition,
        group="organisation",
        group_value=str(groups.coa.pk),
        subject_nl="Parkeren bij het Jaarbeursplein: gebruik de ingang aan de Croeselaan",
        subject_en="Parking at Jaarbeursplein: use the entrance on Croeselaan",
        body_nl="Beste deelnemer,\n\n" + "Een lange regel zonder einde " * 20,
        body_en="Dear participant,\n\nhttps://example.org/" + "a" * 120,
        by=groups.organiser,
    )
    base = f"/organise/{groups.edition.slug}/messages/"
    paths = [base, f"{base}new/", f"{base}reminders/", f"{base}{message.pk}/"]
    visited = visit_at_every_width(
        browser, live_server.url, paths, log_in=log_in_as(groups.organiser, live_server.url)
    )
    assert len(visited) == len(paths) * 2 * 3

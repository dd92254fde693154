"""On the day, in Chromium at 390 px: an organiser previews the re-offer on the day's page and
confirms it, axe clean on the way; a participant who moved sees the new seat on their personal
page. Then the day's page and a re-offer reflow at 320, 390 and 1280 px. The desk ranks the workshops
with a walk-in on a phone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ketenconf.allocation.models import Reoffer, ReofferStatus
from ketenconf.registration import links
from tests.allocation.reoffer_day import make_day
from tests.browser.conftest import assert_accessible, visit_at_every_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def test_an_organiser_previews_and_confirms_the_reoffer_on_a_phone(
    live_server: Any, browser: Any
) -> None:
    day = make_day()
    day.arrive("Yara", "Zeno", "Olga", "Walter", "Vera")
    start = f"/organise/{day.edition.slug}/day/"
    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/organise/login/?next={start}")
    page.locator("#id_username").fill(day.organiser.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}{start}")
    assert page.locator("h1").inner_text() == "De dag zelf: Ketenconferentie 2027"
    assert_accessible(page)

    page.get_by_label("Opnieuw aanbieden vanaf ronde").select_option(
        label="Ronde 2: Ronde 2 11:30–12:30"
    )
    page.get_by_role("button", name="Bekijk wat er zou veranderen").click()
    reoffer = Reoffer.objects.get()
    page.wait_for_url(f"{live_server.url}{start}reoffers/{reoffer.pk}/")
    assert page.locator("#worse-off").inner_text() == "niemand"
    assert page.locator("#moves > li > strong").all_inner_texts() == ["Yara", "Zeno", "Walter"]
    assert page.locator("#moves").inner_text().count("1 plaats hoger in de keuze") == 2
    assert_accessible(page)

    page.get_by_role("button", name="Bevestigen en publiceren").click()
    page.wait_for_url(f"{live_server.url}{start}reoffers/{reoffer.pk}/")
    assert page.locator("#reoffer-status").inner_text().startswith("Gepubliceerd om")
    assert page.get_by_role("button", name="Bevestigen en publiceren").count() == 0
    assert_accessible(page)
    reoffer.refresh_from_db()
    assert reoffer.status == ReofferStatus.PUBLISHED
    context.close()

    phone = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 800})
    participant = phone.new_page()
    token = links.access_token_create(registration=day.people["Zeno"])
    participant.goto(f"{live_server.url}/{day.edition.slug}/me/link/{token}/")
    participant.locator("main form button[type=submit]").click()
    participant.wait_for_url(f"{live_server.url}/{day.edition.slug}/me/")
    programme = participant.locator("#personal-programme li").all_inner_texts()
    assert [line.split("Ronde", 1)[1] for line in programme] == [
        " 1: Workshop B, Zaal B",
        " 2: Workshop D, Zaal D",
    ]
    assert_accessible(participant)
    phone.close()

    def log_in(page: Any) -> None:
        page.goto(f"{live_server.url}/organise/login/")
        page.locator("#id_username").fill(day.organiser.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#id_password").press("Enter")
        page.wait_for_url(f"{live_server.url}/organise/")

    visit_at_every_width(
        browser, live_server.url, [start, f"{start}reoffers/{reoffer.pk}/"], log_in=log_in
    )


def test_the_desk_ranks_the_workshops_with_a_walk_in_on_a_phone(
    live_server: Any, browser: Any
) -> None:
    day = make_day()
    day.edition.ranking_closes_at = timezone.now() - timedelta(days=1)
    day.edition.save(update_fields=["ranking_closes_at"])
    walter = day.people["Walter"]  # registered at the desk: no seat in the published run
    door = f"/organise/{day.edition.slug}/checkin/doors/1/"
    desk = f"{door}walk-in/{walter.pk}/workshops/"
    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/organise/login/?next={desk}")
    page.locator("#id_username").fill(day.organiser.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}{desk}")
    assert page.locator("h1").inner_text() == "Workshops van Walter"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    page.locator("#id_round2-1").select_option(label="Workshop D")
    page.locator("#id_round2-2").select_option(label="Workshop F")
    page.get_by_role("button", name="De keuzes opslaan").click()
    page.wait_for_url(f"{live_server.url}{door}")
    assert page.get_by_role("status").filter(has_text="Walter").inner_text() == (
        "De workshopkeuzes van Walter zijn opgeslagen: bij de volgende heraanbieding krijgt "
        "Walter een plaats waar dat kan."
    )
    assert_accessible(page)
    context.close()
    topics = [day.sessions["2D"].topic_id, day.sessions["2F"].topic_id]
    assert list(walter.preferences.order_by("rank").values_list("topic_id", flat=True)) == topics

    def log_in(page: Any) -> None:
        page.goto(f"{live_server.url}/organise/login/")
        page.locator("#id_username").fill(day.organiser.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#id_password").press("Enter")
        page.wait_for_url(f"{live_server.url}/organise/")

    visit_at_every_width(browser, live_server.url, [desk], log_in=log_in)

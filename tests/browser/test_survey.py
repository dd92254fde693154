"""A participant opens their personal link in Chromium and answers the survey with the keyboard
only; axe checks the survey and the thank-you page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import clear_url_caches

from ketenconf.evaluation import services
from ketenconf.evaluation.models import Answer, Quote, Response
from ketenconf.registration import links
from tests.browser.conftest import assert_accessible
from tests.evaluation import make_survey_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_personal_link_survey_by_keyboard_thank_you(live_server: Any, page: Any) -> None:
    clear_url_caches()
    world = make_survey_world()
    services.survey_send_invitations(survey=world.survey)
    token = links.access_token_create(registration=world.people["anna"])
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{live_server.url}/en/keten-2026/me/link/{token}/")
    page.get_by_role("button", name="Open my personal page").click()
    page.get_by_role("link", name="Answer the survey").click()
    assert page.url == f"{live_server.url}/en/keten-2026/survey/"
    assert page.locator("h1").inner_text() == "Survey: Chain Conference 2026"
    assert_accessible(page)

    # A radio group is one stop for Tab; the arrow keys choose within it, Space picks the first.
    day = page.get_by_role("group", name="How was the day?")
    day.get_by_label("1 (poor)").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert day.get_by_label("4", exact=True).is_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("By mail").is_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert (
        page.get_by_role("group", name="Return, 10:00–11:00, Zaal A")
        .get_by_label("5 (excellent)")
        .is_checked()
    )
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Tab")
    page.keyboard.type("Korte lijnen met de gemeente.")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.get_by_role("checkbox").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Send my answers"
    page.keyboard.press("Enter")

    page.wait_for_url(f"{live_server.url}/en/keten-2026/survey/thanks/")
    assert page.locator("h1").inner_text() == "Thank you for your answers"
    assert_accessible(page)
    ratings = {
        (a.question_id, a.session_id): (a.rating, a.choice, a.text) for a in Answer.objects.all()
    }
    q, s = world.questions, world.sessions
    assert ratings == {
        (q["day"].pk, None): (4, "", ""),
        (q["heard"].pk, None): (None, "Per mail", ""),
        (q["sessions"].pk, s["terugkeer"].pk): (5, "", ""),
        (q["sessions"].pk, s["arbeid"].pk): (2, "", ""),
        (q["takeaway"].pk, None): (None, "", "Korte lijnen met de gemeente."),
    }
    assert Response.objects.count() == 1
    assert Quote.objects.get().text == "Korte lijnen met de gemeente."

    page.goto(f"{live_server.url}/en/keten-2026/survey/")
    assert page.locator("h1").inner_text() == "You have answered this survey"
    assert csp_errors == []


def test_the_survey_works_without_javascript(browser: Any, live_server: Any) -> None:
    clear_url_caches()
    world = make_survey_world()
    services.survey_send_invitations(survey=world.survey)
    token = links.access_token_create(registration=world.people["bram"])
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/en/keten-2026/me/link/{token}/")
    page.get_by_role("button", name="Open my personal page").click()
    page.get_by_role("link", name="Answer the survey").click()
    # Left empty, the required question comes back with its message, then it is answered.
    page.get_by_role("button", name="Send my answers").click()
    assert page.locator("#form-errors li").all_inner_texts() == [
        "How was the day?: Answer this question."
    ]
    page.get_by_role("group", name="How was the day?").get_by_label("5 (excellent)").check()
    page.get_by_role("group", name="Housing, 10:00–11:00, Zaal B").get_by_label("3").check()
    page.get_by_role("button", name="Send my answers").click()
    assert page.locator("h1").inner_text() == "Thank you for your answers"
    assert sorted(Answer.objects.values_list("rating", flat=True)) == [3, 5]
    context.close()

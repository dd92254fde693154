"""Registration questions in Chromium: an organiser adds a required choice question, a
participant registers and answers it, and the organiser finds the answer in the export; the
questions' pages, the registration form and the personal page's answers at 320, 390 and
1280 px, axe clean, in Dutch and English."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from ketenconf.events.models import EditionStatus
from ketenconf.questions import services
from ketenconf.registration import links
from ketenconf.registration import services as registration_services
from tests.browser.conftest import assert_accessible, screenshot_folder, visit_at_every_width
from tests.browser.test_workspace import log_in_as
from tests.factories import EditionFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def edition() -> Any:
    edition = EditionFactory(
        slug="keten-2027", title_nl="Ketenconferentie 2027", status=EditionStatus.REGISTRATION_OPEN
    )
    services.questions_add_defaults(edition=edition)
    return edition


def test_a_required_choice_question_from_the_form_to_the_export(
    live_server: Any, browser: Any, edition: Any
) -> None:
    organiser = UserFactory(organisation=edition.lead_organisation)
    OrganisationFactory(name="Gemeente Utrecht", kind="municipality")
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in_as(organiser, live_server.url)(page)
    page.goto(f"{live_server.url}/organise/keten-2027/")
    page.get_by_role("link", name="Aanmeldvragen", exact=True).click()
    page.get_by_role("link", name="Een vraag toevoegen").click()
    page.get_by_label("Vraag in het Nederlands").fill("Welke lunch wilt u?")
    page.get_by_label("Vraag in het Engels").fill("Which lunch would you like?")
    page.get_by_label("Soort antwoord").select_option("choice")
    page.get_by_label("Een antwoord is verplicht").check()
    page.get_by_label("Keuzes").fill(
        "Vegetarisch | Vegetarian\nVlees | Meat\nGeen lunch | No lunch"
    )
    page.get_by_role("button", name="Voeg de vraag toe").click()
    assert "De vraag staat nu in het aanmeldformulier." in page.locator("main").inner_text()
    assert_accessible(page)

    visitor = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 800})
    phone = visitor.new_page()
    phone.set_default_timeout(15_000)
    phone.goto(f"{live_server.url}/en/keten-2027/register/")
    phone.get_by_label("Name", exact=True).fill("Anna de Vries")
    phone.get_by_label("Email address").fill("anna@example.org")
    phone.get_by_label("Organisation", exact=True).fill("Gemeente Utrecht")
    phone.get_by_role("button", name="Register").click()
    # Nothing chosen: the question says so, in English, and nothing is written.
    assert "Answer this question." in phone.locator("#form-errors").inner_text()
    assert_accessible(phone)
    phone.get_by_role("group", name="Which lunch would you like?").get_by_label(
        "Vegetarian"
    ).check()
    phone.get_by_role("button", name="Register").click()
    assert "anna@example.org" in phone.locator("main").inner_text()
    visitor.close()

    page.goto(f"{live_server.url}/organise/keten-2027/exports/")
    with page.expect_download() as download:
        page.locator('a[href$="participants.csv"]').first.click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["Naam"], row["Welke lunch wilt u?"]) for row in rows] == [
        ("Anna de Vries", "Vegetarisch")
    ]
    context.close()


def test_the_question_pages_reflow_and_are_accessible(
    live_server: Any, browser: Any, edition: Any
) -> None:
    organiser = UserFactory(organisation=edition.lead_organisation)
    lunch = services.question_create(
        edition=edition,
        kind="choice",
        text_nl="Welke lunch wilt u?",
        text_en="Which lunch would you like?",
        required=True,
        options=[{"nl": "Vegetarisch", "en": "Vegetarian"}, {"nl": "Vlees", "en": "Meat"}],
        help_nl="Wij bestellen de lunch een week vooraf.",
        help_en="We order lunch a week ahead.",
    )
    services.question_create(
        edition=edition,
        kind="choices",
        text_nl="Welke dagdelen bent u er?",
        text_en="Which parts of the day are you there?",
        options=[{"nl": "Ochtend", "en": "Morning"}, {"nl": "Middag", "en": "Afternoon"}],
        organisation_kinds=["municipality", "ngo"],
    )
    for kind in ("yes_no", "number", "date", "long_text"):
        services.question_create(
            edition=edition, kind=kind, text_nl=f"Vraag {kind}", text_en=f"Question {kind}"
        )
    registration_services.registration_create(
        edition=edition,
        name="Bram",
        email="bram@example.org",
        organisation=OrganisationFactory(kind="ngo"),
        answers={lunch.key: "vlees"},
    )
    base = "/organise/keten-2027/questions/"
    paths = [base, f"{base}new/", f"{base}{lunch.pk}/", f"{base}{lunch.pk}/delete/"]
    visited = visit_at_every_width(
        browser, live_server.url, paths, log_in=log_in_as(organiser, live_server.url)
    )
    assert len(visited) == len(paths) * 2 * 3
    assert len(visit_at_every_width(browser, live_server.url, ["/keten-2027/register/"])) == 6

    people = iter(range(100))

    def open_personal_page(page: Any) -> None:
        registration = registration_services.registration_create(
            edition=edition,
            name="Anna",
            email=f"anna{next(people)}@example.org",
            organisation=OrganisationFactory(kind="municipality"),
            answers={lunch.key: "vlees"},
        ).registration
        page.goto(
            f"{live_server.url}/keten-2027/me/link/"
            f"{links.access_token_create(registration=registration)}/"
        )
        page.locator("main form button").first.click()
        page.wait_for_url("**/keten-2027/me/")

    assert (
        len(
            visit_at_every_width(
                browser,
                live_server.url,
                ["/keten-2027/me/", "/keten-2027/me/answers/"],
                log_in=open_personal_page,
            )
        )
        == 12
    )
    folder = screenshot_folder()
    assert folder is None or folder.exists()

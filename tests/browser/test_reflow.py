"""Every public and participant page, in Dutch and in English, at 320, 390 and 1280 px: no
sideways scrolling (WCAG 1.4.10, which axe does not test) and axe clean.

The edition carries the long words and titles of a real one (a workshop title of three lines,
an organisation's full name, several hosts), which is what widened the pages before.
"""

from __future__ import annotations

from typing import Any

import pytest

from ketenconf.events.models import EditionStatus
from ketenconf.market import services as market_services
from ketenconf.programme.models import Session
from ketenconf.registration import links
from tests.browser.conftest import visit_at_every_width
from tests.factories import (
    HostFactory,
    OrganisationFactory,
    RegistrationFactory,
    SessionFactory,
    TopicFactory,
)
from tests.market.conftest import grid, stand

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "ketenconferentie-2027"


@pytest.fixture
def full_edition(programme_edition: Any) -> Any:
    edition = programme_edition
    edition.status = EditionStatus.REGISTRATION_OPEN
    edition.save()
    round_1 = Session.objects.filter(edition=edition, block__kind="round").first().block
    room = Session.objects.filter(block=round_1).first().room
    long_topic = TopicFactory(
        edition=edition,
        title_nl="Vroegtijdige signalering van kwetsbaarheden bij alleenstaande minderjarige "
        "vreemdelingen in de gemeentelijke opvanglocaties",
        title_en="Early signs of vulnerability among unaccompanied minors in municipal "
        "reception locations",
        theme="Jeugd en gezin",
    )
    coa = OrganisationFactory(
        name="Centraal Orgaan opvang asielzoekers", short_name="COA", kind="government"
    )
    vwn = OrganisationFactory(name="VluchtelingenWerk Nederland", short_name="VWN", kind="ngo")
    for name, organisation in [("Marieke Hoogland", coa), ("Esther Kok-Verbeek", vwn)]:
        HostFactory(topic=long_topic, name=name, organisation=organisation)
    SessionFactory(
        edition=edition,
        topic=long_topic,
        block=round_1,
        room=room.__class__.objects.create(edition=edition, name="Zaal Dommel-Noord", capacity=30),
    )
    grid(edition, 2, 4)
    stand(edition, "Wonen na de opvang: van azc naar een eigen huis", coa, ("housing",))
    del room
    return edition


def test_every_public_and_participant_page_reflows_and_passes_axe(
    browser: Any, live_server: Any, full_edition: Any
) -> None:
    edition = full_edition
    registration = RegistrationFactory(
        edition=edition,
        name="Fatima el Amrani-Verhoeven",
        email="fatima.elamrani-verhoeven@gemeente-sint-michielsgestel.example.nl",
        organisation=OrganisationFactory(
            name="Ministerie van Justitie en Veiligheid, Directoraat-Generaal Migratie"
        ),
    )
    session = Session.objects.filter(edition=edition, block__kind="round").first()
    stand = edition.stands.first()
    public = [
        "/",
        f"/{SLUG}/",
        f"/{SLUG}/programme/",
        f"/{SLUG}/sessions/{session.pk}/",
        f"/{SLUG}/organisers/",
        f"/{SLUG}/market/",
        f"/{SLUG}/market/stands/{stand.pk}/",
        f"/{SLUG}/market/apply/",
        f"/{SLUG}/market/apply/{market_services.stand_link_token(stand=stand)}/",
        f"/{SLUG}/register/",
        f"/{SLUG}/call/",
        f"/{SLUG}/me/new-link/",
        f"/{SLUG}/me/link/{links.access_token_create(registration=registration)}/",
        f"/{SLUG}/me/deleted/",
    ]
    visit_at_every_width(browser, live_server.url, public)

    def log_in(page: Any) -> None:
        token = links.access_token_create(registration=registration)
        page.goto(f"{live_server.url}/{SLUG}/me/link/{token}/")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/{SLUG}/me/")

    personal = [
        f"/{SLUG}/me/",
        f"/{SLUG}/me/workshops/",
        f"/{SLUG}/me/rounds/",
        f"/{SLUG}/me/day/",
        f"/{SLUG}/me/details/",
        f"/{SLUG}/me/delete/",
        f"/{SLUG}/me/cancel/",
        f"/{SLUG}/me/networking/",
        f"/{SLUG}/me/networking/interests/",
        f"/{SLUG}/me/networking/people/",
    ]
    visit_at_every_width(browser, live_server.url, personal, log_in=log_in)


def test_the_survey_reflows_and_passes_axe(browser: Any, live_server: Any) -> None:
    from django.urls import clear_url_caches

    from ketenconf.evaluation import services
    from tests.evaluation import make_survey_world

    clear_url_caches()
    world = make_survey_world()
    services.survey_send_invitations(survey=world.survey)
    slug = world.survey.edition.slug

    def log_in(page: Any) -> None:
        token = links.access_token_create(registration=world.people["anna"])
        page.goto(f"{live_server.url}/{slug}/me/link/{token}/")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/{slug}/me/")

    visit_at_every_width(browser, live_server.url, [f"/{slug}/survey/"], log_in=log_in)

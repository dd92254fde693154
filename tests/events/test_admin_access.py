"""Organisers see and change only what their organisation runs or hosts."""

from __future__ import annotations

import pytest
from django.test import Client

from ketenconf.programme.models import Topic
from tests.factories import (
    EditionFactory,
    HostFactory,
    OrganisationFactory,
    SeriesPartnerFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    lead = OrganisationFactory(short_name="DT&V")
    partner = OrganisationFactory(short_name="COA")
    outsider = OrganisationFactory(short_name="Gemeente")
    edition = EditionFactory(lead_organisation=lead, slug="keten")
    SeriesPartnerFactory(series=edition.series, organisation=lead, position=0)
    SeriesPartnerFactory(series=edition.series, organisation=partner, position=1)
    hosted_by_partner = TopicFactory(edition=edition, title_nl="Opvang")
    HostFactory(topic=hosted_by_partner, organisation=partner)
    hosted_by_lead = TopicFactory(edition=edition, title_nl="Terugkeer")
    HostFactory(topic=hosted_by_lead, organisation=lead)
    other_edition = EditionFactory(slug="elders")
    return {
        "edition": edition,
        "other_edition": other_edition,
        "partner_topic": hosted_by_partner,
        "lead_topic": hosted_by_lead,
        "lead": UserFactory(organisation=lead),
        "partner": UserFactory(organisation=partner),
        "outsider": UserFactory(organisation=outsider),
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_lead_staff_edit_their_edition_and_every_topic(world) -> None:
    client = client_for(world["lead"])
    editions = client.get("/admin/events/edition/")
    assert editions.status_code == 200
    assert [e.slug for e in editions.context["cl"].result_list] == ["keten"]
    assert client.get(f"/admin/events/edition/{world['edition'].pk}/change/").status_code == 200
    assert (
        client.get(f"/admin/events/edition/{world['other_edition'].pk}/change/").status_code == 302
    )
    topics = client.get("/admin/programme/topic/")
    assert sorted(t.title for t in topics.context["cl"].result_list) == ["Opvang", "Terugkeer"]


def test_partner_staff_edit_the_edition_but_only_the_topics_they_host(world) -> None:
    client = client_for(world["partner"])
    assert client.get(f"/admin/events/edition/{world['edition'].pk}/change/").status_code == 200
    topics = client.get("/admin/programme/topic/")
    assert [t.title for t in topics.context["cl"].result_list] == ["Opvang"]
    assert (
        client.get(f"/admin/programme/topic/{world['partner_topic'].pk}/change/").status_code == 200
    )
    # Another organisation's topic is as if it did not exist: the admin redirects with a message.
    assert client.get(f"/admin/programme/topic/{world['lead_topic'].pk}/change/").status_code == 302
    response = client.post(
        f"/admin/programme/topic/{world['lead_topic'].pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert Topic.objects.filter(pk=world["lead_topic"].pk).exists()


def test_staff_of_an_uninvolved_organisation_see_no_edition(world) -> None:
    client = client_for(world["outsider"])
    assert list(client.get("/admin/events/edition/").context["cl"].result_list) == []
    assert list(client.get("/admin/programme/topic/").context["cl"].result_list) == []
    assert client.get(f"/admin/events/edition/{world['edition'].pk}/change/").status_code == 302


def test_a_user_who_is_not_staff_cannot_enter_the_back_office(world) -> None:
    user = UserFactory(is_staff=False, organisation=world["edition"].lead_organisation)
    response = client_for(user).get("/admin/events/edition/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_edition_page_leads_to_the_edition_in_the_workspace(world) -> None:
    import re

    client = client_for(world["partner"])
    page = client.get(f"/admin/events/edition/{world['edition'].pk}/change/").content.decode()
    tools = page.split('class="object-tools"')[1].split("</ul>")[0]
    links = [link for link in re.findall(r'href="([^"]+)"', tools) if "/history/" not in link]
    assert links == [f"/organise/{world['edition'].slug}/"]
    assert client.get(links[0]).status_code == 200

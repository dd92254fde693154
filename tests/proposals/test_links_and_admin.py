"""Where people find the call, and organisers say which rooms lack a projector."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from ketenconf.proposals.models import Call, RoomEquipment
from tests.factories import EditionFactory, RoomFactory, SeriesPartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_edition_home_links_to_the_call_only_while_it_is_open(client: Client) -> None:
    edition = EditionFactory(slug="keten", status="registration_open")
    link = 'href="/keten/call/"'
    assert link not in client.get("/keten/").content.decode()
    call = Call.objects.create(edition=edition, deadline=timezone.now() + dt.timedelta(days=7))
    html = client.get("/keten/").content.decode()
    assert link in html
    assert 'href="/keten/register/"' in html
    call.deadline = timezone.now() - dt.timedelta(minutes=1)
    call.save()
    assert link not in client.get("/keten/").content.decode()


def test_organisers_mark_rooms_without_a_projector_in_their_own_editions_only() -> None:
    mine = EditionFactory()
    SeriesPartnerFactory(series=mine.series, organisation=mine.lead_organisation, position=0)
    theirs = EditionFactory()
    room = RoomFactory(edition=mine, name="Zaal Aa")
    other_room = RoomFactory(edition=theirs, name="Zaal Elders")
    client = Client()
    client.force_login(UserFactory(organisation=mine.lead_organisation))
    form = client.get("/admin/proposals/roomequipment/add/").content.decode()
    assert "Zaal Aa" in form
    assert "Zaal Elders" not in form
    response = client.post("/admin/proposals/roomequipment/add/", {"room": room.pk})
    assert response.status_code == 302
    assert RoomEquipment.objects.get(room=room).projector is False
    refused = client.post("/admin/proposals/roomequipment/add/", {"room": other_room.pk})
    assert refused.status_code == 200
    assert not RoomEquipment.objects.filter(room=other_room).exists()

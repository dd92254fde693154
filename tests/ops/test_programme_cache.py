"""The programme page is served from the cache, and any change to the programme shows at once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from ketenconf.events.models import Edition, Organisation, Room
from ketenconf.programme import services
from ketenconf.programme.models import Block, Host, Session, Topic
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

PAGE = "/ketenconferentie-2027/programme/"
PAGE_EN = "/en/ketenconferentie-2027/programme/"


def titles(client: Client, url: str = PAGE) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return re.findall(
        # The list by time (the grid for wide screens repeats the titles).
        r'kc-session__title"><a class="utrecht-link" '
        r'href="/(?:en/)?ketenconferentie-2027/sessions/\d+/">([^<]+)</a>',
        response.content.decode(),
    )


def test_the_second_visit_costs_no_query(
    client: Client, programme_edition: Edition, django_assert_num_queries: Any
) -> None:
    # The edition (again once the cache's versions are taken), the blocks, sessions, hosts.
    with django_assert_num_queries(5):
        first = client.get(PAGE).content
    with django_assert_num_queries(0):  # the whole page comes from the cache
        second = client.get(PAGE).content
    assert second == first


def test_a_renamed_topic_shows_at_once_in_both_languages(
    client: Client, programme_edition: Edition
) -> None:
    assert titles(client) == ["Welkom", "Terugkeer", "Huisvesting", "Arbeidsmigratie"]
    assert titles(client, PAGE_EN) == ["Welcome", "Return", "Housing", "Labour migration"]
    topic = Topic.objects.get(title_nl="Huisvesting")
    topic.title_nl, topic.title_en = "Wonen", "Living"  # type: ignore[attr-defined]
    services.topic_save(topic=topic)
    assert titles(client) == ["Welkom", "Terugkeer", "Wonen", "Arbeidsmigratie"]
    assert titles(client, PAGE_EN) == ["Welcome", "Return", "Living", "Labour migration"]


def test_added_moved_and_deleted_sessions_show_at_once(
    client: Client, programme_edition: Edition
) -> None:
    assert titles(client) == ["Welkom", "Terugkeer", "Huisvesting", "Arbeidsmigratie"]
    services.session_delete(session=Session.objects.get(topic__title_nl="Terugkeer"))
    assert titles(client) == ["Welkom", "Huisvesting", "Arbeidsmigratie"]
    drinks = Block.objects.get(edition=programme_edition, title_nl="Netwerkborrel")
    services.session_save(
        session=Session(
            edition=programme_edition,
            block=drinks,
            room=Room.objects.get(name="Grote zaal"),
            topic=services.topic_create(
                topic=Topic(edition=programme_edition, kind="talk_show", title_nl="Proost")
            ),
        )
    )
    assert titles(client) == ["Welkom", "Huisvesting", "Arbeidsmigratie", "Proost"]
    block = Block.objects.get(edition=programme_edition, title_nl="Opening")
    block.title_nl = "Plenaire opening"  # type: ignore[attr-defined]
    services.block_save(block=block)
    assert "Plenaire opening" in client.get(PAGE).content.decode()


def test_a_host_and_their_organisation_renamed_show_at_once(
    client: Client, programme_edition: Edition
) -> None:
    assert "Host Terugkeer (DT&amp;V)" in client.get(PAGE).content.decode()
    host = Host.objects.get(name="Host Terugkeer")
    host.name = "Fatima El Amrani"
    services.host_save(host=host)
    assert "Fatima El Amrani (DT&amp;V)" in client.get(PAGE).content.decode()
    organisation = Organisation.objects.get(hosted=host)
    organisation.short_name = "DTV"
    organisation.save()
    assert "Fatima El Amrani (DTV)" in client.get(PAGE).content.decode()


def test_a_room_change_shows_at_once(client: Client, programme_edition: Edition) -> None:
    assert "Zaal A" in client.get(PAGE).content.decode()
    room = Room.objects.get(edition=programme_edition, name="Zaal A")
    room.name = "Zaal Dommel"
    room.save()
    page = client.get(PAGE).content.decode()
    assert ("Zaal Dommel" in page, "Zaal A" in page) == (True, False)


def test_each_edition_has_its_own_programme(client: Client, programme_edition: Edition) -> None:
    other: Session = SessionFactory(topic__title_nl="Elders")
    Edition.objects.filter(pk=other.edition_id).update(status=programme_edition.status)
    assert "Elders" not in client.get(PAGE).content.decode()
    assert titles(client) == ["Welkom", "Terugkeer", "Huisvesting", "Arbeidsmigratie"]


def _admin_form_data(page: Any) -> dict[str, Any]:
    """What the browser would send back from an admin change page: every form's fields with
    their values, the inlines' management forms included."""
    data: dict[str, Any] = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            data[key] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def test_a_topic_changed_in_the_admin_shows_at_once(
    client: Client, programme_edition: Edition
) -> None:
    from django.contrib.auth import get_user_model

    assert titles(client) == ["Welkom", "Terugkeer", "Huisvesting", "Arbeidsmigratie"]
    organiser = Client()
    organiser.force_login(
        get_user_model().objects.create_superuser(username="root", password="x" * 12)
    )
    topic = Topic.objects.get(title_nl="Huisvesting")
    url = f"/admin/programme/topic/{topic.pk}/change/"
    data = _admin_form_data(organiser.get(url))
    data["title_nl"] = "Wonen"
    assert organiser.post(url, data).status_code == 302
    assert titles(client) == ["Welkom", "Terugkeer", "Wonen", "Arbeidsmigratie"]

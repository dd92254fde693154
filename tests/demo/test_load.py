"""``ketenconf demo``: both editions with a complete, consistent programme, loaded idempotently."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ketenconf.demo.load import DEFAULT_PASSWORD, demo_load
from ketenconf.events.models import (
    Edition,
    Organisation,
    Room,
    Series,
    SeriesPartner,
    Venue,
)
from ketenconf.programme.models import Block, Host, Session, Topic
from ketenconf.registration.models import Registration

pytestmark = pytest.mark.django_db

EXPECTED = {
    "organisations": 46,
    "series": 2,
    "partners": 8,
    "venues": 2,
    "editions": 3,
    "rooms": 32,
    "blocks": 29,
    "topics": 51,
    "hosts": 87,
    "sessions": 67,
    "registrations": 1685,  # 450 for 2027, and 570 and 665 of the past editions' history
    "users": 6,  # the organiser, three organisations' staff, door staff of 2027, a host of 2018
}
MODELS = {
    "organisations": Organisation,
    "series": Series,
    "partners": SeriesPartner,
    "venues": Venue,
    "editions": Edition,
    "rooms": Room,
    "blocks": Block,
    "topics": Topic,
    "hosts": Host,
    "sessions": Session,
    "registrations": Registration,
}


def counts():
    numbers = {label: model.objects.count() for label, model in MODELS.items()}
    numbers["users"] = get_user_model().objects.count()
    return numbers


def test_loading_twice_creates_everything_once():
    first = demo_load()
    assert dict(first.created) == EXPECTED
    assert counts() == EXPECTED

    second = demo_load()
    assert not second.changed
    assert sum(second.created.values()) == 0
    assert counts() == EXPECTED


def test_a_second_run_leaves_an_edited_programme_alone():
    demo_load()
    topic = Topic.objects.get(edition__slug="ketenconferentie-2018", title_en__startswith="Moving")
    topic.title_nl = "Opvang op maat"
    topic.save()
    Session.objects.filter(topic__title_en__startswith="Resettlement").delete()

    demo_load()
    topic.refresh_from_db()
    assert topic.title_nl == "Opvang op maat"
    assert not Session.objects.filter(topic__title_en__startswith="Resettlement").exists()


def test_the_password_can_be_chosen_and_a_changed_one_is_kept(client, monkeypatch):
    monkeypatch.setenv("KETENCONF_DEMO_PASSWORD", "een-ander-wachtwoord")
    summary = demo_load()
    assert summary.password == "een-ander-wachtwoord"
    assert client.login(username="organisator", password="een-ander-wachtwoord")

    monkeypatch.delenv("KETENCONF_DEMO_PASSWORD")
    again = demo_load()
    assert not any(login.password_works for login in again.logins)
    assert client.login(username="organisator", password="een-ander-wachtwoord")


def test_the_command_prints_what_it_created_and_the_login(monkeypatch):
    monkeypatch.delenv("KETENCONF_DEMO_PASSWORD", raising=False)
    out = StringIO()
    call_command("demo", "--port", "8123", stdout=out)
    text = out.getvalue()
    assert re.search(r"sessions\s+67 created", text)
    assert re.search(r"organisations\s+46 created", text)
    assert "http://127.0.0.1:8123/organise/" in text
    assert f"organisator  password {DEFAULT_PASSWORD}" in text
    assert (
        "deur         password" in text and "deurmedewerker of ketenconferentie-2027" in text
    ) or ("door staff of ketenconferentie-2027" in text)
    assert "gastheer     password" in text and "of ketenconferentie-2018" in text
    assert "staff of J&V: " in text and "of ketenconferentie-2027" in text

    out = StringIO()
    call_command("demo", stdout=out)
    assert "nothing changed" in out.getvalue()

"""The message pages of the workspace: write, see who and how many and the preview, send,
follow it; the reminders; only for the edition's organisers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client, TestCase

from ketenconf.mail.models import OutboxMessage
from ketenconf.messaging.models import Message, ReminderSettings
from ketenconf.team.models import EditionRole, Role
from tests.factories import OrganisationFactory, UserFactory

from .conftest import Groups

pytestmark = pytest.mark.django_db

FORM = {
    "to": "not_ranked",
    "subject_nl": "Rangschik nog even",
    "subject_en": "Please rank",
    "body_nl": "Beste deelnemer,\n\nKies <em>uw</em> workshops.",
    "body_en": "Dear participant,\n\nChoose your workshops.",
}


@pytest.fixture
def organiser(client: Client, groups: Groups) -> Client:
    client.force_login(groups.organiser)
    return client


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_write_preview_and_send(organiser: Client, groups: Groups) -> None:
    base = f"/organise/{groups.edition.slug}/messages/"
    page = organiser.get(base + "new/").content.decode()
    assert f'<option value="session:{groups.workshop.pk}">' in page
    assert f'<option value="organisation:{groups.coa.pk}">COA</option>' in page
    assert '<optgroup label="Deelnemers van één workshopsessie">' in page
    preview = organiser.post(base + "new/", {**FORM, "action": "preview"})
    shown = preview.content.decode()
    assert preview.status_code == 200
    assert "Dit bericht bereikt 2 mensen: wie de workshops nog niet hebben gerangschikt." in text(
        shown
    )
    assert "Kies &lt;em&gt;uw&lt;/em&gt; workshops." in shown
    assert '<input type="hidden" name="count" value="2"' in shown
    assert "Verstuur naar 2 mensen" in shown
    assert not Message.objects.exists()
    # The group changed since the preview: the new number is shown, nothing is sent.
    changed = organiser.post(base + "new/", {**FORM, "action": "send", "count": "3"})
    assert "De groep is veranderd sinds het voorbeeld" in changed.content.decode()
    assert not Message.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = organiser.post(base + "new/", {**FORM, "action": "send", "count": "2"})
    message = Message.objects.get()
    assert sent["Location"] == f"{base}{message.pk}/"
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == [
        "bram@example.org",
        "chris@example.org",
    ]
    detail = organiser.get(sent["Location"]).content.decode()
    assert "Het bericht is onderweg naar 2 mensen." in detail
    assert '<dd id="recipients">2</dd>' in detail
    assert '<dd id="sent">0</dd>' in detail
    assert 'hx-trigger="every 2s"' in detail
    fragment = organiser.get(sent["Location"], headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="message-progress"')
    OutboxMessage.objects.update(status="sent", sent_at=dt.datetime.now(dt.UTC))
    done = organiser.get(sent["Location"], headers={"HX-Request": "true"}).content.decode()
    assert '<dd id="sent">2</dd>' in done
    assert "hx-trigger" not in done
    listed = text(organiser.get(base).content.decode())
    assert "Rangschik nog even wie de workshops nog niet hebben gerangschikt 2 2" in listed


def test_bad_input_shows_what_to_correct(organiser: Client, groups: Groups) -> None:
    base = f"/organise/{groups.edition.slug}/messages/new/"
    response = organiser.post(base, {"to": "session:999999", "action": "preview"})
    assert response.status_code == 422
    shown = text(response.content.decode())
    assert "Onderwerp in het Nederlands: Dit veld is verplicht." in shown
    assert "Aan: Selecteer een geldige keuze." in shown
    assert not Message.objects.exists()


def test_the_list_costs_the_same_queries_for_one_message_and_three(
    organiser: Client, groups: Groups, django_assert_num_queries: object
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ketenconf.messaging import services

    def send() -> None:
        services.message_send(
            edition=groups.edition,
            group="registered",
            by=groups.organiser,
            subject_nl="a",
            subject_en="b",
            body_nl="c",
            body_en="d",
        )

    url = f"/organise/{groups.edition.slug}/messages/"
    send()
    organiser.get(url)
    with CaptureQueriesContext(connection) as one:
        assert organiser.get(url).status_code == 200
    send()
    send()
    with CaptureQueriesContext(connection) as three:
        assert organiser.get(url).status_code == 200
    assert len(one) == len(three)


def test_reminders_are_switched_on_and_refused_without_their_texts(
    organiser: Client, groups: Groups
) -> None:
    url = f"/organise/{groups.edition.slug}/messages/reminders/"
    assert organiser.get(url).status_code == 200
    refused = organiser.post(
        url,
        {
            "rank_enabled": "on",
            "rank_days_before": "3",
            "practical_days_before": "2",
            "practical_enabled": "on",
        },
    )
    assert refused.status_code == 422
    shown = text(refused.content.decode())
    assert "Rangschikken sluit op: Geef de laatste dag van het rangschikken" in shown
    assert "Onderwerp in het Nederlands: Schrijf deze tekst" in shown
    saved = organiser.post(
        url,
        {
            "rank_enabled": "on",
            "ranking_closes_on": "2027-04-01",
            "rank_days_before": "3",
            "practical_days_before": "2",
        },
    )
    assert saved["Location"] == f"/organise/{groups.edition.slug}/messages/"
    reminder = ReminderSettings.objects.get()
    assert (reminder.rank_enabled, reminder.ranking_closes_on, reminder.practical_enabled) == (
        True,
        dt.date(2027, 4, 1),
        False,
    )
    assert 'value="2027-04-01"' in organiser.get(url).content.decode()


def test_only_the_editions_organisers_may_send(client: Client, groups: Groups) -> None:
    url = f"/organise/{groups.edition.slug}/messages/new/"
    post = {**FORM, "action": "send", "count": "2"}
    stranger = UserFactory(organisation=OrganisationFactory())
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.post(url, post).status_code == 404
    door = UserFactory(organisation=OrganisationFactory())
    EditionRole.objects.create(edition=groups.edition, user=door, role=Role.DOOR)
    client.force_login(door)
    assert client.get(url).status_code == 403
    assert client.post(url, post).status_code == 403
    client.logout()
    assert client.post(url, post)["Location"] == f"/organise/login/?next={url}"
    assert not Message.objects.exists()
    assert not OutboxMessage.objects.exists()

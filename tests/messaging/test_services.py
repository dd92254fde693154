"""Messages to participants: who each group reaches, once, in their language, escaped, through
the outbox and the worker to a real SMTP server; the limits; the reminders, once each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django_scopes import scopes_disabled

from ketenconf.mail.models import OutboxMessage
from ketenconf.messaging import selectors, services
from ketenconf.messaging.models import Message, MessageRecipient
from ketenconf.registration.models import Preference, Registration
from tests.factories import RegistrationFactory
from tests.mail.conftest import SMTPServer

from .conftest import Groups

TEXTS = {
    "subject_nl": "Route naar de zaal",
    "subject_en": "How to find the room",
    "body_nl": "Beste deelnemer,\n\nDe zaal is op de eerste verdieping.",
    "body_en": "Dear participant,\n\nThe room is on the first floor.",
}


def send(groups: Groups, group: str, value: str = "", **texts: str) -> Message:
    return services.message_send(
        edition=groups.edition,
        group=group,
        group_value=value,
        by=groups.organiser,
        **{**TEXTS, **texts},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("group", "value", "expected"),
    [
        ("registered", "", {"anna", "bram", "chris"}),
        ("waitlisted", "", {"dirk", "fleur"}),
        ("unconfirmed", "", {"chris", "fleur"}),
        ("session", "workshop", {"anna"}),
        ("session", "other_workshop", {"bram"}),
        ("organisation", "coa", {"anna", "chris"}),
        ("organisation", "ngo", {"bram"}),
        ("organisation_kind", "ngo", {"bram"}),
        ("organisation_kind", "national_agency", {"anna", "chris"}),
        ("not_ranked", "", {"bram", "chris"}),
        ("checked_in", "", {"anna"}),
        ("not_checked_in", "", {"bram", "chris"}),
    ],
)
def test_each_group_selects_its_people_of_this_edition(
    groups: Groups, group: str, value: str, expected: set[str]
) -> None:
    if group in ("session", "organisation"):
        value = str(getattr(groups, value).pk)
    found = selectors.group_registrations(edition=groups.edition, group=group, value=value)
    assert groups.names(found) == expected
    assert selectors.group_count(edition=groups.edition, group=group, value=value) == len(expected)
    with TestCase.captureOnCommitCallbacks(execute=True):
        message = send(groups, group, value)
    assert (message.recipients, message.queued, message.status) == (
        len(expected),
        len(expected),
        "queued",
    )
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == sorted(
        f"{key}@example.org" for key in expected
    )


@pytest.mark.django_db
def test_bad_input_is_refused_with_a_message_per_field(groups: Groups) -> None:
    with pytest.raises(ValidationError) as refused:
        services.message_send(
            edition=groups.edition,
            group="everybody",
            subject_nl=" ",
            subject_en="a\tb",
            body_nl="regel\x00",
            body_en="x" * 20_001,
            by=groups.organiser,
        )
    assert refused.value.message_dict == {
        "group": [
            "Kies een van de groepen: registered, waitlisted, unconfirmed, session, "
            "organisation, organisation_kind, not_ranked, checked_in, not_checked_in."
        ],
        "subject_nl": ["Dit veld is verplicht."],
        "subject_en": ["Een onderwerp is één regel, zonder tabs of andere stuurtekens."],
        "body_nl": ["Haal de stuurtekens uit deze tekst."],
        "body_en": ["Houd dit op 20000 tekens; het zijn er 20001."],
    }
    with pytest.raises(ValidationError) as refused:
        send(groups, "session")
    assert refused.value.message_dict == {"group_value": ["Kies over wie deze groep gaat."]}
    # Another edition's session is not one of this edition's choices.
    other = RegistrationFactory().edition
    from tests.factories import SessionFactory

    elsewhere = SessionFactory(edition=other)
    with pytest.raises(ValidationError) as refused:
        send(groups, "session", str(elsewhere.pk))
    assert refused.value.message_dict == {
        "group_value": [f"{elsewhere.pk} is geen van de keuzes van deze editie voor deze groep."]
    }
    Preference.objects.create(
        registration=groups.people["bram"], topic=groups.workshop.topic, rank=1
    )
    Preference.objects.create(
        registration=groups.people["chris"], topic=groups.workshop.topic, rank=1
    )
    with pytest.raises(ValidationError) as refused:
        send(groups, "not_ranked")
    assert refused.value.message_dict == {
        "group": ["Er is nu niemand in deze groep; het bericht zou niemand bereiken."]
    }
    assert not Message.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_each_person_the_message_once_in_their_language_escaped(
    groups: Groups, smtp_server: SMTPServer, restore_signals: None
) -> None:
    message = send(
        groups,
        "registered",
        body_nl="Kom om <b>9 uur</b> & neem {{ edition.slug }} mee.\n{% now 'Y' %}",
        body_en="Come at <b>9</b> & bring {{ edition.slug }}.",
        subject_en="Tom & Jerry <script>",
    )
    # Queued again (a task run twice, a second worker): nobody gets a second mail.
    assert services.message_queue(message_id=message.pk) == 0
    call_command("worker", "--batch", verbosity=0)
    received = {m["To"]: m for m in smtp_server.recorder.received()}
    assert sorted(received) == ["anna@example.org", "bram@example.org", "chris@example.org"]
    assert len(smtp_server.recorder.received()) == 3
    anna, bram = received["anna@example.org"], received["bram@example.org"]
    assert (anna["Subject"], anna["Content-Language"]) == ("Route naar de zaal", "nl")
    assert (bram["Subject"], bram["Content-Language"]) == ("Tom & Jerry <script>", "en")
    anna_text = anna.get_body(("plain",)).get_content().replace("\r\n", "\n")
    anna_html = anna.get_body(("html",)).get_content()
    bram_html = bram.get_body(("html",)).get_content()
    assert "Kom om <b>9 uur</b> & neem {{ edition.slug }} mee.\n{% now 'Y' %}" in anna_text
    assert "Kom om &lt;b&gt;9 uur&lt;/b&gt; &amp; neem {{ edition.slug }} mee.<br>{% now" in (
        anna_html
    )
    assert "<b>" not in anna_html
    assert "Come at &lt;b&gt;9&lt;/b&gt; &amp; bring {{ edition.slug }}." in bram_html
    assert "<title>Tom &amp; Jerry &lt;script&gt;</title>" in bram_html
    assert "De organisatoren van Ketenconferentie 2027" in anna_text
    shown = selectors.message_get(edition=groups.edition, pk=message.pk)
    assert selectors.message_progress(message=shown) == selectors.Progress(
        recipients=3, queued=3, sent=3, failed=0
    )
    assert selectors.message_progress(message=shown).done
    # The worker again: nothing more goes out.
    call_command("worker", "--batch", verbosity=0)
    assert len(smtp_server.recorder.received()) == 3


@pytest.mark.django_db
def test_a_large_group_is_queued_in_batches_each_person_once(
    groups: Groups, monkeypatch: Any
) -> None:
    monkeypatch.setattr(services, "BATCH", 2)
    for n in range(5):
        RegistrationFactory(
            edition=groups.edition, email=f"extra{n}@example.org", organisation=groups.coa
        )
    with TestCase.captureOnCommitCallbacks() as callbacks:
        message = send(groups, "registered")
    # The first batch in the request; the rest is the worker's.
    assert (message.queued, message.recipients, message.status) == (2, 8, "queueing")
    assert len(callbacks) == 1
    assert services.message_queue(message_id=message.pk) == 6
    assert services.message_queue(message_id=message.pk) == 0
    message.refresh_from_db()
    assert (message.queued, message.recipients, message.status) == (8, 8, "queued")
    addresses = list(OutboxMessage.objects.values_list("to", flat=True))
    assert len(addresses) == len(set(addresses)) == 8
    assert MessageRecipient.objects.filter(message=message).count() == 8
    # Never more than the edition's registrations.
    assert message.recipients <= Registration.objects.filter(edition=groups.edition).count()


@pytest.mark.django_db
def test_the_same_person_twice_in_one_message_is_refused_by_the_database(groups: Groups) -> None:
    from django.db import IntegrityError

    message = send(groups, "checked_in")
    with pytest.raises(IntegrityError), transaction.atomic():
        MessageRecipient.objects.create(message=message, registration=groups.people["anna"])


@pytest.mark.django_db
def test_the_download_of_ones_own_data_lists_the_messages_received(groups: Groups) -> None:
    send(groups, "not_ranked")
    assert selectors.personal_data(registration=groups.people["bram"]) == [
        {
            "subject": "How to find the room",
            "sent_at": Message.objects.get().created_at.isoformat(),
        }
    ]
    assert selectors.personal_data(registration=groups.people["anna"]) is None


# Reminders -----------------------------------------------------------------------------------


def switch_on(groups: Groups, **changes: Any) -> None:
    fields: dict[str, Any] = {
        "rank_enabled": True,
        "ranking_closes_on": dt.date(2027, 4, 1),
        "rank_days_before": 3,
        "practical_enabled": True,
        "practical_days_before": 2,
        "practical_subject_nl": "Praktische informatie",
        "practical_subject_en": "Practical information",
        "practical_body_nl": "Neem uw badge mee.",
        "practical_body_en": "Bring your badge.",
    }
    services.reminder_settings_save(edition=groups.edition, **{**fields, **changes})


@pytest.mark.django_db
def test_reminders_go_out_on_their_days_once_to_each_person(groups: Groups) -> None:
    switch_on(groups)
    # Before the days: nothing.
    assert services.reminders_send_due(today=dt.date(2027, 3, 28)) == "0 reminders queued"
    # Three days before ranking closes: who have not ranked.
    assert services.reminders_send_due(today=dt.date(2027, 3, 29)) == "2 reminders queued"
    rank = Message.objects.get(kind="rank_reminder")
    assert groups.names(r.registration for r in rank.deliveries.all()) == {"bram", "chris"}
    mails = {m.to: m for m in OutboxMessage.objects.all()}
    assert mails["bram@example.org"].subject == "Rank the workshops of Chain Conference " + (
        groups.edition.title_en.removeprefix("Chain Conference ")
    )
    assert f"{settings.BASE_URL}/en/keten-2027/me/new-link/" in mails["bram@example.org"].body_text
    assert f"{settings.BASE_URL}/keten-2027/me/new-link/" in mails["chris@example.org"].body_text
    assert mails["chris@example.org"].subject == "Rangschik de workshops van Ketenconferentie 2027"
    # Run again, the same day or the next: nobody twice; someone new who has not ranked, once.
    assert services.reminders_send_due(today=dt.date(2027, 3, 29)) == "0 reminders queued"
    RegistrationFactory(edition=groups.edition, email="laat@example.org", organisation=groups.coa)
    assert services.reminders_send_due(today=dt.date(2027, 3, 30)) == "1 reminders queued"
    assert services.reminders_send_due(today=dt.date(2027, 4, 1)) == "0 reminders queued"
    # After ranking closed: no more.
    RegistrationFactory(edition=groups.edition, email="later@example.org", organisation=groups.coa)
    assert services.reminders_send_due(today=dt.date(2027, 4, 2)) == "0 reminders queued"
    assert Message.objects.get(kind="rank_reminder").recipients == 3
    # Two days before the first day (15 April): the practical information to everyone seated.
    assert services.reminders_send_due(today=dt.date(2027, 4, 13)) == "5 reminders queued"
    assert services.reminders_send_due(today=dt.date(2027, 4, 14)) == "0 reminders queued"
    practical = Message.objects.get(kind="practical_reminder")
    assert practical.recipients == 5
    to = list(OutboxMessage.objects.filter(topic="messaging/practical_reminder").values_list("to"))
    assert len(to) == len(set(to)) == 5
    # A changed text: who joins later gets it as it is now.
    switch_on(groups, practical_body_nl="Neem uw badge en een paraplu mee.")
    RegistrationFactory(edition=groups.edition, email="nieuw@example.org", organisation=groups.coa)
    assert services.reminders_send_due(today=dt.date(2027, 4, 14)) == "1 reminders queued"
    assert "paraplu" in OutboxMessage.objects.get(to="nieuw@example.org").body_text
    assert Message.objects.get(kind="practical_reminder").recipients == 6
    # Switched off: nothing, even on its day.
    switch_on(groups, practical_enabled=False, rank_enabled=False)
    RegistrationFactory(edition=groups.edition, email="nog@example.org", organisation=groups.coa)
    assert services.reminders_send_due(today=dt.date(2027, 4, 15)) == "0 reminders queued"


@pytest.mark.django_db
def test_the_periodic_job_is_registered_and_runs_the_reminders(groups: Groups) -> None:
    from ketenconf.core.periodic import periodic_jobs

    job = {j.name: j for j in periodic_jobs()}["messaging.reminders"]
    assert job.every == dt.timedelta(hours=1)
    assert job.function is services.reminders_send_due


@pytest.mark.django_db
def test_reminders_need_what_they_send(groups: Groups) -> None:
    with pytest.raises(ValidationError) as refused:
        switch_on(
            groups,
            ranking_closes_on=None,
            practical_subject_en="",
            practical_body_nl=" ",
            rank_days_before=61,
        )
    assert refused.value.message_dict == {
        "rank_days_before": ["Geef een aantal dagen van 0 tot 60."],
        "ranking_closes_on": [
            "Geef de laatste dag van het rangschikken om vóór die dag te herinneren."
        ],
        "practical_subject_en": ["Schrijf deze tekst om de praktische informatie te versturen."],
        "practical_body_nl": ["Schrijf deze tekst om de praktische informatie te versturen."],
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_queueing_one_message_at_once_reach_each_person_once(
    groups: Groups, monkeypatch: Any
) -> None:
    import threading

    from django.db import connections

    monkeypatch.setattr(services, "BATCH", 3)
    for n in range(20):
        RegistrationFactory(
            edition=groups.edition, email=f"extra{n}@example.org", organisation=groups.coa
        )
    message = send(groups, "registered")
    start = threading.Barrier(4)
    queued: list[int] = []

    def worker() -> None:
        try:
            start.wait()
            with scopes_disabled():  # as the test body; a thread starts without it
                queued.append(services.message_queue(message_id=message.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(queued) == 20
    addresses = list(OutboxMessage.objects.values_list("to", flat=True))
    assert len(addresses) == len(set(addresses)) == 23
    message.refresh_from_db()
    assert (message.queued, message.recipients, message.status) == (23, 23, "queued")

"""The outbox in the admin: superusers read it; nobody edits it there."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from ketenconf.mail.models import OutboxMessage
from ketenconf.mail.services import mail_enqueue
from tests.factories import UserFactory

LIST = "/admin/mail/outboxmessage/"
CONTEXT = {"name": "Jan", "edition_title": "Ketenconferentie 2027"}


def enqueue(to: str) -> OutboxMessage:
    return mail_enqueue(to=to, template="mail/test_message", context=CONTEXT, language="nl")


def client_for(**user: Any) -> Client:
    client = Client()
    client.force_login(UserFactory(**user))
    return client


def recipients(html: str) -> list[str]:
    return re.findall(r'<td class="field-to">([^<]*)</td>', html)


@pytest.mark.django_db
def test_a_superuser_reads_the_outbox_but_cannot_add_change_or_delete() -> None:
    message = enqueue("jan@example.org")
    client = client_for(is_superuser=True, organisation=None)

    response = client.get(LIST)
    assert response.status_code == 200
    assert recipients(response.content.decode()) == ["jan@example.org"]
    detail = client.get(f"{LIST}{message.pk}/change/")
    assert detail.status_code == 200
    assert 'name="subject"' not in detail.content.decode()
    assert client.get(f"{LIST}add/").status_code == 403
    assert client.post(f"{LIST}{message.pk}/delete/", {"post": "yes"}).status_code == 403
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_organisers_who_are_not_superusers_do_not_see_the_outbox() -> None:
    message = enqueue("jan@example.org")
    client = client_for(is_superuser=False)

    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{message.pk}/change/").status_code == 403
    assert "/admin/mail/" not in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_the_list_takes_as_many_queries_for_three_mails_as_for_one(
    django_assert_num_queries: Any,
) -> None:
    client = client_for(is_superuser=True, organisation=None)
    enqueue("een@example.org")
    with django_assert_num_queries(QUERIES_FOR_THE_LIST):
        assert len(recipients(client.get(LIST).content.decode())) == 1
    enqueue("twee@example.org")
    enqueue("drie@example.org")
    with django_assert_num_queries(QUERIES_FOR_THE_LIST):
        assert len(recipients(client.get(LIST).content.decode())) == 3


QUERIES_FOR_THE_LIST = 9

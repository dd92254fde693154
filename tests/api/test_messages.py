"""The organisers' API for messages: list, send to a named group (the number of recipients in
the answer), 422 per field, and the workspace's rule for who may."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, TestCase

from ketenconf.api import services
from ketenconf.mail.models import OutboxMessage
from ketenconf.messaging.models import Message
from ketenconf.team.models import EditionRole, Role
from tests.factories import OrganisationFactory, UserFactory
from tests.messaging.conftest import Groups, groups  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

URL = "/api/v1/organiser/editions/keten-2027/messages"
BODY = {
    "group": "not_ranked",
    "subject_nl": "Rangschik nog even",
    "subject_en": "Please rank",
    "body_nl": "Kies uw workshops.",
    "body_en": "Choose your workshops.",
}


def headers(user: Any, language: str = "en") -> dict[str, str]:
    token = services.api_token_create(user=user, name="test")[1]
    return {"Authorization": f"Bearer {token}", "Accept-Language": language}


def test_send_to_a_named_group_and_list(client: Client, groups: Groups) -> None:  # noqa: F811
    auth = headers(groups.organiser)
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = client.post(URL, BODY, content_type="application/json", headers=auth)
    message = Message.objects.get()
    assert (sent.status_code, sent.json()) == (201, {"id": message.pk, "recipients": 2})
    assert OutboxMessage.objects.count() == 2
    value = str(groups.coa.pk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        by_organisation = client.post(
            URL,
            {**BODY, "group": "organisation", "value": value},
            content_type="application/json",
            headers=auth,
        )
    assert by_organisation.json()["recipients"] == 2
    listed = client.get(URL, headers=auth).json()
    assert listed["count"] == 2
    newest, first = listed["items"]
    assert {
        k: first[k] for k in ("id", "kind", "group", "value", "to", "recipients", "queued")
    } == {
        "id": message.pk,
        "kind": "message",
        "group": "not_ranked",
        "value": "",
        "to": "who have not ranked the workshops yet",
        "recipients": 2,
        "queued": 2,
    }
    assert (newest["group"], newest["value"], newest["to"]) == (
        "organisation",
        value,
        "the participants of one organisation: COA",
    )


def test_bad_input_is_422_with_a_message_per_field(client: Client, groups: Groups) -> None:  # noqa: F811
    auth = headers(groups.organiser)
    wrong = client.post(
        URL,
        {**BODY, "group": "session", "value": "12345678", "subject_en": ""},
        content_type="application/json",
        headers=auth,
    )
    assert (wrong.status_code, wrong.json()) == (
        422,
        {
            "errors": {
                "value": ["12345678 is not one of this edition's choices for this group."],
                "subject_en": ["This field is required."],
            }
        },
    )
    missing = client.post(
        URL, {"group": "registered"}, content_type="application/json", headers=auth
    )
    assert missing.status_code == 422
    assert set(missing.json()["errors"]) == {"subject_nl", "subject_en", "body_nl", "body_en"}
    nobody = client.post(
        URL,
        {**BODY, "group": "checked_in"},
        content_type="application/json",
        headers=headers(groups.organiser, "nl"),
    )
    assert nobody.status_code == 201
    again = client.post(
        URL,
        {**BODY, "group": "waitlisted", "body_nl": "x" * 20_001},
        content_type="application/json",
        headers=headers(groups.organiser, "nl"),
    )
    assert again.json() == {"errors": {"body_nl": ["Houd dit op 20000 tekens; het zijn er 20001."]}}
    assert Message.objects.count() == 1


def test_only_the_editions_organisers_may(client: Client, groups: Groups) -> None:  # noqa: F811
    stranger = UserFactory(organisation=OrganisationFactory())
    door = UserFactory(organisation=OrganisationFactory())
    EditionRole.objects.create(edition=groups.edition, user=door, role=Role.DOOR)
    for user in (stranger, door):
        auth = headers(user)
        assert client.get(URL, headers=auth).status_code == 404
        refused = client.post(URL, BODY, content_type="application/json", headers=auth)
        assert (refused.status_code, refused.json()) == (
            404,
            {"message": "There is no edition keten-2027 that you organise."},
        )
    assert client.post(URL, BODY, content_type="application/json").status_code == 401
    assert not Message.objects.exists()

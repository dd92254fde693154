"""The call for sessions: the deadline, hosts' rights through their links, co-hosts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from django.utils.translation import override

from ketenconf.mail.models import OutboxMessage
from ketenconf.proposals import services
from ketenconf.proposals.models import Proposal, ProposalHost, ProposalStatus
from tests.proposals.conftest import CallEdition
from tests.proposals.helpers import form_data, link_path, propose

pytestmark = pytest.mark.django_db

CALL = "/en/ketenconferentie-2027/call/"


def open_link(client: Client, message: OutboxMessage) -> str:
    path = link_path(message)
    shown = client.get(path)
    assert shown.status_code == 200
    opened = client.post(path)
    assert opened.status_code == 302
    return opened["Location"]


def test_a_proposal_submitted_on_the_page_mails_the_host_a_link(call_edition: CallEdition) -> None:
    client = Client()
    page = client.get(CALL)
    assert page.status_code == 200
    response = client.post(
        CALL,
        form_data(
            host_name="Anna de Vries",
            host_email="Anna@COA.nl",
            host_organisation="Centraal Orgaan opvang asielzoekers",
            available_rounds=[call_edition.rounds[1].pk],
        ),
    )
    assert response.status_code == 200
    proposal = Proposal.objects.get()
    assert proposal.title == "Samen sneller huisvesten"
    assert proposal.status == ProposalStatus.SUBMITTED
    assert [b.title_nl for b in proposal.available_rounds.all()] == ["Ronde 2"]
    host = proposal.hosts.get()
    assert (
        host.name,
        host.email,
        host.organisation.short_name,
        host.is_contact,
        host.language,
    ) == (
        "Anna de Vries",
        "anna@coa.nl",
        "COA",
        True,
        "en",
    )
    mail = OutboxMessage.objects.get()
    assert (mail.to, mail.topic, mail.subject) == (
        "anna@coa.nl",
        "proposals/submitted",
        "Your proposal for Chain Conference 2027",
    )
    assert link_path(mail).startswith("/en/ketenconferentie-2027/call/link/")


def test_after_the_deadline_nothing_is_taken(call_edition: CallEdition) -> None:
    call = call_edition.call
    call.deadline = timezone.now() - dt.timedelta(minutes=1)
    call.save()
    with override("en"), pytest.raises(ValidationError) as caught:
        propose(call)
    assert caught.value.messages == [
        "The call for sessions is closed: proposals can no longer change."
    ]
    response = Client().post(
        CALL, form_data(host_name="A", host_email="a@b.nl", host_organisation="COA")
    )
    assert Proposal.objects.count() == 0
    assert "The call closed on" in response.content.decode()
    assert 'name="title"' not in response.content.decode()


def test_a_closed_call_takes_nothing_even_before_its_deadline(call_edition: CallEdition) -> None:
    call_edition.call.open = False
    call_edition.call.save()
    with pytest.raises(ValidationError):
        propose(call_edition.call)


def test_the_link_opens_the_proposal_once_and_the_host_can_change_it(
    call_edition: CallEdition,
) -> None:
    proposal = propose(call_edition.call)
    client = Client()
    location = open_link(client, OutboxMessage.objects.get())
    assert location == f"/en/ketenconferentie-2027/call/proposals/{proposal.pk}/"
    # Used once: the same link no longer works in another browser.
    again = Client().post(link_path(OutboxMessage.objects.get()))
    assert again.status_code == 400
    assert "This link has been used already. Ask for a new one below." in again.content.decode()

    changed = client.post(location, form_data(title="Sneller huisvesten, samen", wanted_size=25))
    assert changed.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.wanted_size) == ("Sneller huisvesten, samen", 25)


def test_without_the_link_a_proposal_stays_closed(call_edition: CallEdition) -> None:
    proposal = propose(call_edition.call)
    response = Client().post(f"{CALL}proposals/{proposal.pk}/", form_data(title="Overgenomen"))
    assert response.status_code == 302
    assert response["Location"] == "/en/ketenconferentie-2027/call/request-link/"
    proposal.refresh_from_db()
    assert proposal.title == "Samen sneller huisvesten"


def test_a_host_of_one_proposal_cannot_change_another(call_edition: CallEdition) -> None:
    theirs = propose(call_edition.call, email="piet@ind.nl", title="Terugkeer in de praktijk")
    propose(call_edition.call)
    client = Client()
    open_link(client, OutboxMessage.objects.get(to="anna@coa.nl"))
    response = client.post(f"{CALL}proposals/{theirs.pk}/", form_data(title="Overgenomen"))
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.title == "Terugkeer in de praktijk"
    with pytest.raises(PermissionDenied):
        services.proposal_update(
            proposal=theirs,
            by_host=ProposalHost.objects.get(email="anna@coa.nl"),
            **{**form_data(), "needs_step_free": False, "needs_projector": False},
        )


def test_after_the_deadline_the_host_reads_but_cannot_change(call_edition: CallEdition) -> None:
    proposal = propose(call_edition.call)
    client = Client()
    location = open_link(client, OutboxMessage.objects.get())
    call_edition.call.deadline = timezone.now() - dt.timedelta(seconds=1)
    call_edition.call.save()
    page = client.get(location)
    assert 'name="title"' not in page.content.decode()
    assert "The call is closed: the proposal can no longer change." in page.content.decode()
    client.post(location, form_data(title="Te laat"))
    proposal.refresh_from_db()
    assert proposal.title == "Samen sneller huisvesten"


def test_a_co_host_is_invited_by_mail_and_can_change_the_proposal(
    call_edition: CallEdition,
) -> None:
    proposal = propose(call_edition.call)
    client = Client()
    location = open_link(client, OutboxMessage.objects.get())
    invited = client.post(
        f"{location}invite/",
        {"name": "Bram Bakker", "email": "bram@utrecht.nl", "organisation": "Gemeente Utrecht"},
    )
    assert invited.status_code == 302
    assert [h.name for h in proposal.hosts.all()] == ["Anna de Vries", "Bram Bakker"]
    mail = OutboxMessage.objects.get(to="bram@utrecht.nl")
    assert (mail.topic, mail.subject) == (
        "proposals/invited",
        "You are invited to host a session at Chain Conference 2027",
    )
    assert "Anna de Vries invites you to host “Samen sneller huisvesten”" in mail.body_text
    co_host = Client()
    assert open_link(co_host, mail) == location
    co_host.post(location, form_data(summary="Met voorbeelden uit Utrecht."))
    proposal.refresh_from_db()
    assert proposal.summary == "Met voorbeelden uit Utrecht."
    twice = client.post(
        f"{location}invite/",
        {"name": "Bram", "email": "BRAM@utrecht.nl", "organisation": "Gemeente Utrecht"},
    )
    assert twice.status_code == 422
    assert "This person is a host of the proposal already." in twice.content.decode()


def test_a_new_link_is_sent_only_to_a_host_and_the_answer_is_the_same(
    call_edition: CallEdition,
) -> None:
    propose(call_edition.call)
    client = Client()
    known = client.post(f"{CALL}request-link/", {"email": "ANNA@coa.nl"})
    unknown = client.post(f"{CALL}request-link/", {"email": "niemand@example.org"})
    assert known.content.decode().count("a new personal link is on its way") == 1
    assert unknown.content.decode().count("a new personal link is on its way") == 1
    assert list(OutboxMessage.objects.values_list("topic", flat=True).order_by("pk")) == [
        "proposals/submitted",
        "proposals/link",
    ]

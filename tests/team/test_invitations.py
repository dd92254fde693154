"""Invitations from the People page: the mail over real SMTP, the link that works once and
expires, accepting with a new or an existing account, changing and removing people."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ketenconf.accounts.models import User
from ketenconf.team import services
from ketenconf.team.models import EditionRole, Invitation, Role
from tests.mail.conftest import SMTPServer
from tests.team.conftest import Team

SLUG = "ketenconferentie-2027"
PEOPLE = f"/organise/{SLUG}/team/"
PASSWORD = "een lang en goed wachtwoord 42"


def signed_in(user) -> Client:
    client = Client(headers={"Accept-Language": "nl"})
    client.force_login(user)
    return client


def link_in(body: str) -> str:
    found = re.search(r"http://[^\s]+/organise/invitation/[^\s/]+/", body)
    assert found, body
    return "/" + found.group(0).split("://", 1)[1].split("/", 1)[1]  # the path, for the client


def invite(team: Team, **extra: object) -> str:
    """Invite through the People page; the link from the outbox's mail."""
    from ketenconf.mail.models import OutboxMessage

    form = {"email": "nieuw@coa.example", "role": "door", "language": "nl", **extra}
    response = signed_in(team.lead).post(PEOPLE, form)
    assert response.status_code == 302, response.content.decode()
    return link_in(OutboxMessage.objects.filter(to=form["email"]).latest("pk").body_text)


@pytest.mark.django_db(transaction=True)
def test_the_invitation_mail_goes_out_over_smtp_and_its_link_makes_an_account(
    team: Team, smtp_server: SMTPServer, restore_signals: None
):
    response = signed_in(team.lead).post(
        PEOPLE,
        {
            "email": "Nieuw@COA.example",
            "role": "partner",
            "organisation": team.partner.organisation.pk,
            "language": "nl",
        },
    )
    assert response.status_code == 302
    call_command("worker", "--batch", verbosity=0)
    (mail,) = smtp_server.recorder.received()
    assert mail["To"] == "nieuw@coa.example"
    assert mail["Subject"] == "Uitnodiging om mee te werken aan Ketenconferentie 2027"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "nodigt u uit als partnerorganisator van Ketenconferentie 2027." in text
    path = link_in(text)

    visitor = Client(headers={"Accept-Language": "nl"})
    page = visitor.get(path)  # a mail scanner opening the link uses nothing up
    assert page.status_code == 200
    assert (
        "U bent uitgenodigd als partnerorganisator van Ketenconferentie 2027"
        in page.content.decode()
    )
    assert visitor.get(path).status_code == 200

    short = visitor.post(path, {"first_name": "Nina", "password1": "kort", "password2": "kort"})
    assert short.status_code == 422
    assert short.context["form"].errors["password1"]
    assert not User.objects.filter(email="nieuw@coa.example").exists()

    done = visitor.post(
        path,
        {
            "first_name": "Nina",
            "last_name": "de Vries",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert (done.status_code, done["Location"]) == (302, "/organise/")
    nina = User.objects.get(email="nieuw@coa.example")
    assert (nina.username, nina.get_full_name(), nina.organisation) == (
        "nieuw@coa.example",
        "Nina de Vries",
        team.partner.organisation,
    )
    assert EditionRole.objects.get(user=nina).role == Role.PARTNER
    assert visitor.get(f"/organise/{SLUG}/registrations/").status_code == 200  # signed in
    assert visitor.get(f"/organise/{SLUG}/settings/").status_code == 403

    from ketenconf.audit.models import AuditEntry

    recorded = list(
        AuditEntry.objects.filter(
            edition=team.edition, part="roles", action__in=["invite", "accept"]
        )
        .order_by("pk")
        .values_list("action", "user__username")
    )
    assert recorded == [("invite", "lead"), ("accept", "nieuw@coa.example")]
    nina_role = EditionRole.objects.get(user__email="nieuw@coa.example")
    assert AuditEntry.objects.filter(action="create", target_id=str(nina_role.pk)).exists()

    again = Client(headers={"Accept-Language": "nl"}).get(path)
    assert again.status_code == 410
    assert "Deze uitnodiging is al geaccepteerd." in again.content.decode()
    assert Client().login(username="nieuw@coa.example", password=PASSWORD)


@pytest.mark.django_db
def test_an_expired_withdrawn_or_tampered_invitation_gets_a_clear_page(team: Team):
    path = invite(team)
    invitation = Invitation.objects.get(email="nieuw@coa.example")
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    visitor = Client(headers={"Accept-Language": "nl"})
    for method in (visitor.get, visitor.post):
        response = method(path)
        assert response.status_code == 410
        assert (
            "Deze uitnodiging is verlopen. Vraag de organisator om een nieuwe uitnodiging."
            in response.content.decode()
        )
    assert not EditionRole.objects.filter(user__email="nieuw@coa.example").exists()

    tampered = visitor.get(path[:-3] + "xx/")
    assert tampered.status_code == 410
    assert "niet geldig" in tampered.content.decode()

    second = invite(team, email="ander@example.org")
    withdrawn = Invitation.objects.get(email="ander@example.org")
    lead = signed_in(team.lead)
    ask = lead.get(f"{PEOPLE}invitations/{withdrawn.pk}/remove/")
    assert ask.status_code == 200
    assert lead.post(f"{PEOPLE}invitations/{withdrawn.pk}/remove/").status_code == 302
    response = visitor.get(second)
    assert response.status_code == 410
    assert "ingetrokken" in response.content.decode()


@pytest.mark.django_db
def test_someone_with_an_account_logs_in_first_and_accepts_with_it(team: Team):
    path = invite(team, email=team.outsider.email, role="host", topics=[team.leads_topic.pk])
    visitor = Client(headers={"Accept-Language": "nl"})
    page = visitor.get(path)
    assert "Er is een account voor dit e-mailadres" in page.content.decode()
    refused = visitor.post(path, {"first_name": "X", "password1": PASSWORD, "password2": PASSWORD})
    assert refused.status_code == 422
    assert User.objects.filter(email=team.outsider.email).count() == 1

    visitor.force_login(team.outsider)
    assert "De rol gaat naar dit account" in visitor.get(path).content.decode()
    assert visitor.post(path).status_code == 302
    row = EditionRole.objects.get(user=team.outsider)
    assert (row.role, list(row.topics.all())) == (Role.HOST, [team.leads_topic])
    assert visitor.get(f"/organise/{SLUG}/sessions/").status_code == 200


@pytest.mark.django_db
def test_the_people_page_shows_roles_and_last_sign_in_and_changes_them(team: Team):
    Client().login(username="partner", password="correct horse battery staple")
    lead = signed_in(team.lead)
    page = lead.get(PEOPLE)
    rows = [(r.user.username, r.role) for r in page.context["people"]]
    assert rows == [
        ("lead", "lead"),
        ("partner", "partner"),
        ("host", "host"),
        ("door", "door"),
    ]
    html = page.content.decode()
    assert "nooit ingelogd" in html  # the door staff never signed in
    assert "laatst ingelogd" in html  # the partner did, just now

    door = EditionRole.objects.get(user=team.door)
    changed = lead.post(f"{PEOPLE}{door.pk}/", {"role": "host", "topics": [team.hosts_topic.pk]})
    assert changed.status_code == 302
    assert status_of(team.door, "sessions/") == 200
    assert status_of(team.door, "checkin/") == 403

    no_topic = lead.post(f"{PEOPLE}{door.pk}/", {"role": "host"})
    assert no_topic.status_code == 422
    assert "Een host host minstens één sessie" in no_topic.content.decode()

    assert lead.get(f"{PEOPLE}{door.pk}/remove/").status_code == 200
    assert lead.post(f"{PEOPLE}{door.pk}/remove/").status_code == 302
    assert status_of(team.door, "") == 404

    mine = EditionRole.objects.get(user=team.lead)
    last = lead.post(f"{PEOPLE}{mine.pk}/remove/")
    assert last.status_code == 422
    assert "minstens één hoofdorganisator" in last.content.decode()


@pytest.mark.django_db
def test_bad_input_on_the_invitation_form_is_said_in_dutch(team: Team):
    lead = signed_in(team.lead)
    response = lead.post(PEOPLE, {"email": "geen adres", "role": "baas", "language": "nl"})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"email", "role"}
    taken = lead.post(PEOPLE, {"email": "door@example.org", "role": "lead", "language": "nl"})
    assert taken.status_code == 422
    assert "heeft al een rol in deze editie" in taken.content.decode()
    assert not Invitation.objects.exists()


def status_of(user, path: str) -> int:
    client = Client()
    client.force_login(user)
    return client.get(f"/organise/{SLUG}/{path}").status_code


def test_an_invitation_link_expires_after_a_week():
    assert timedelta(days=7) == services.INVITATION_LIFETIME

"""The audit trail: who changed what in an edition, when, before and after, written in the
change's transaction; sign-ins; anonymisation at the end of retention."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ketenconf.api import services as api_services
from ketenconf.api.models import ApiToken
from ketenconf.audit.context import acting_as
from ketenconf.audit.models import ActorKind, AuditEntry, AuditPart
from ketenconf.audit.services import audit_record
from ketenconf.core.tenancy import scopes_disabled
from ketenconf.events.models import Edition
from ketenconf.imports.models import ImportJob
from ketenconf.programme import services as programme_services
from ketenconf.registration import services as registration_services
from ketenconf.registration.models import Registration
from ketenconf.team.models import EditionRole, Role
from tests.factories import (
    EditionFactory,
    OrganisationFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
)
from tests.imports.helpers import csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition() -> Edition:
    return EditionFactory(slug="keten", capacity=10, status="registration_open")


def entries(**filters: Any) -> list[AuditEntry]:
    with scopes_disabled():
        return list(AuditEntry.objects.filter(**filters).order_by("at", "pk"))


def test_a_registration_changed_through_the_workspace_the_api_and_an_import(
    client: Client, edition: Edition
) -> None:
    lead = edition.lead_organisation
    anna = RegistrationFactory(
        edition=edition, name="Anna de Vries", email="anna@example.org", organisation=lead
    )
    Edition.objects.filter(pk=edition.pk).update(seats_taken=1)
    desk = UserFactory(organisation=lead, username="balie", first_name="Bea", last_name="Balie")
    script = UserFactory(organisation=lead, username="koppeling")
    importer = UserFactory(organisation=lead, username="lijsten", first_name="Ivo")

    # 1. The workspace: an organiser puts Anna on the waiting list.
    client.force_login(desk)
    response = client.post(f"/organise/keten/registrations/{anna.pk}/waitlisted/")
    assert response.status_code == 302
    client.logout()

    # 2. The API: another organiser's program gives her a seat again.
    token, text = api_services.api_token_create(user=script, name="website")
    response = client.post(
        f"/api/v1/organiser/editions/keten/registrations/{anna.pk}/status",
        {"status": "registered"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {text}"},
    )
    assert response.status_code == 200, response.content

    # 3. An import: a third organiser's list has her new name.
    client.force_login(importer)
    upload = client.post(
        "/organise/keten/imports/",
        {
            "kind": "participants",
            "file": SimpleUploadedFile(
                "lijst.csv",
                csv_file(
                    [
                        ["Naam", "E-mail", "Werkgever"],
                        ["Anna de Vries-Bakker", "anna@example.org", lead.name],
                    ]
                ),
            ),
        },
    )
    job = ImportJob.objects.get()
    client.post(
        upload["Location"], {"column_0": "name", "column_1": "email", "column_2": "organisation"}
    )
    client.post(f"/organise/keten/imports/{job.pk}/import/")
    job.refresh_from_db()
    assert job.status == "done"

    found = [
        (e.actor_kind, e.user, e.actor_label, e.action, e.before, e.after, e.target_label)
        for e in entries(edition=edition, registration=anna)
    ]
    assert found == [
        (
            "user",
            desk,
            "Bea Balie",
            "status",
            {"status": "registered"},
            {"status": "waitlisted"},
            "Anna de Vries",
        ),
        (
            "api_token",
            script,
            "koppeling (website)",
            "status",
            {"status": "waitlisted"},
            {"status": "registered"},
            "Anna de Vries",
        ),
        (
            "user",
            importer,
            "Ivo (import lijst.csv)",
            "change",
            {"name": "Anna de Vries"},
            {"name": "Anna de Vries-Bakker"},
            "Anna de Vries-Bakker",
        ),
    ]
    assert entries(edition=edition, registration=anna)[1].api_token == token


def test_a_change_rolled_back_leaves_no_entry(edition: Edition) -> None:
    anna = RegistrationFactory(edition=edition, status="waitlisted")
    Edition.objects.filter(pk=edition.pk).update(capacity=0)
    with pytest.raises(ValidationError):
        registration_services.registration_set_status(
            registration=anna, status="registered", by="organiser"
        )
    with pytest.raises(RuntimeError), transaction.atomic():
        registration_services.registration_set_status(
            registration=anna, status="cancelled", by="organiser"
        )
        assert len(entries(edition=edition)) == 1  # written with the change...
        raise RuntimeError("the request fails later")
    assert entries(edition=edition) == []  # ...and gone with it
    assert Registration.objects.get(pk=anna.pk).status == "waitlisted"


def test_the_process_is_named_when_no_one_is_signed_in(edition: Edition) -> None:
    old = RegistrationFactory(edition=edition, confirmed_at=None)
    Registration.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    Edition.objects.filter(pk=edition.pk).update(seats_taken=1)
    with acting_as(ActorKind.WORKER, "worker-1"):
        assert registration_services.registrations_release_unconfirmed() == 1
    [entry] = entries(edition=edition)
    assert (entry.actor_kind, entry.actor_label, entry.user, entry.before, entry.after) == (
        "worker",
        "worker-1",
        None,
        {"status": "registered"},
        {"status": "released"},
    )
    # Outside any request or process: the system.
    session = SessionFactory(edition=edition)
    session.capacity = 12
    programme_services.session_save(session=session)
    [entry] = entries(edition=edition, part=AuditPart.PROGRAMME)
    assert (entry.actor_kind, entry.action, entry.before, entry.after) == (
        "system",
        "change",
        {"capacity": None},  # the room's capacity
        {"capacity": 12},
    )


def test_a_save_without_a_change_records_nothing(edition: Edition) -> None:
    session = SessionFactory(edition=edition)
    programme_services.session_save(session=session)
    assert entries(edition=edition) == []


def test_bulk_writes_record_each_row(edition: Edition) -> None:
    """A bulk update records an entry per row it changed (here: the meetings of people who
    left networking, cancelled in one UPDATE)."""
    from ketenconf.market import services as market_services
    from ketenconf.market.models import FloorPosition, Stand

    organisation = OrganisationFactory()
    stands = [
        Stand.objects.create(
            edition=edition,
            organisation=organisation,
            name=f"Stand {n}",
            status="accepted",
            contact_name="X",
            contact_email="x@example.org",
        )
        for n in (1, 2)
    ]
    market_services.floor_grid_create(edition=edition, rows=1, columns=2)
    market_services.stands_place(edition=edition)
    moved = entries(edition=edition, part=AuditPart.MARKET, action="move")
    assert sorted((e.target_label, e.before["position"]) for e in moved) == [
        ("Stand 1", None),
        ("Stand 2", None),
    ]
    assert {e.after["position"] for e in moved} == {
        str(p) for p in FloorPosition.objects.filter(edition=edition)
    }
    assert {e.target_id for e in moved} == {str(s.pk) for s in stands}


def test_sign_ins_and_failed_sign_ins(client: Client) -> None:
    user = UserFactory(username="organisator")
    client.post("/organise/login/", {"username": "organisator", "password": "wrong"})
    client.post(
        "/organise/login/", {"username": "organisator", "password": "correct horse battery staple"}
    )
    found = [
        (e.edition_id, e.part, e.action, e.actor_kind, e.user, e.after)
        for e in entries(part=AuditPart.ACCOUNTS)
    ]
    assert found == [
        (None, "accounts", "sign_in_failed", "visitor", None, {"username": "organisator"}),
        (None, "accounts", "sign_in", "user", user, None),
    ]


def test_an_unknown_action_is_refused(edition: Edition) -> None:
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record(edition=edition, part=AuditPart.EDITION, action="teleport")


def test_anonymising_the_edition_strips_names_and_keeps_the_changes(edition: Edition) -> None:
    organiser = UserFactory(organisation=edition.lead_organisation, first_name="Olga")
    anna = RegistrationFactory(edition=edition, name="Anna de Vries", job_title="jurist")
    registration_services.registration_update_details(
        registration=anna,
        name="Anna Bakker",
        job_title="advocaat",
        needs_step_free=True,
        networking_consent=False,
        language="nl",
    )
    registration_services.registration_set_status(
        registration=anna, status="cancelled", by="organiser"
    )
    audit_record(
        edition=edition,
        part=AuditPart.EDITION,
        action="change",
        by=organiser,
        before={"capacity": 10},
        after={"capacity": 12},
    )
    registration_services.edition_anonymise(edition=edition)
    found = [
        (e.action, e.target_label, e.before, e.after, e.actor_label)
        for e in entries(edition=edition)
    ]
    assert found == [
        (
            "change",
            "",
            {"name": "—", "job_title": "—", "needs_step_free": False},
            {"name": "—", "job_title": "—", "needs_step_free": True},
            "",
        ),
        ("status", "", {"status": "registered"}, {"status": "cancelled"}, ""),
        ("change", "", {"capacity": 10}, {"capacity": 12}, "Olga"),
    ]
    assert all(e.anonymised_at is not None for e in entries(edition=edition))


def test_a_participant_deleting_their_data_takes_their_name_from_the_trail(
    edition: Edition,
) -> None:
    anna = RegistrationFactory(edition=edition, name="Anna de Vries")
    registration_services.registration_set_status(
        registration=anna, status="waitlisted", by="organiser"
    )
    registration_services.registration_delete(registration=anna)
    found = [(e.action, e.target_label, e.before, e.after) for e in entries(edition=edition)]
    assert found == [
        ("status", "", {"status": "registered"}, {"status": "waitlisted"}),
        ("status", "", {"status": "waitlisted"}, {"status": "cancelled"}),
        ("delete", "", None, None),
    ]


# The page ------------------------------------------------------------------------------------


@pytest.fixture
def organiser(client: Client, edition: Edition) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(
        UserFactory(organisation=edition.lead_organisation, username="olga", first_name="Olga")
    )
    return client


def test_the_page_lists_filters_and_pages(organiser: Client, edition: Edition) -> None:
    other = UserFactory(organisation=edition.lead_organisation, username="piet")
    anna = RegistrationFactory(edition=edition, name="Anna de Vries")
    registration_services.registration_set_status(
        registration=anna, status="waitlisted", by="organiser"
    )
    for n in range(51):
        audit_record(
            edition=edition,
            part=AuditPart.PROGRAMME,
            action="change",
            by=other,
            before={"capacity": n},
            after={"capacity": n + 1},
        )
    page = organiser.get("/organise/keten/audit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "52 changes" in html
    assert "Page 1 of 2" in html
    assert 'href="?page=2"' in html

    mine = organiser.get("/organise/keten/audit/", {"part": "registrations"}).content.decode()
    assert "1 change<" in mine
    assert "Status changed: Anna de Vries" in mine
    assert "system" in mine
    assert "registered</del>" in mine and "on the waiting list</ins>" in mine

    piet = organiser.get("/organise/keten/audit/", {"who": f"u{other.pk}"}).content.decode()
    assert "51 changes" in piet
    assert f'href="?who=u{other.pk}&amp;page=2"' in piet
    assert "Anna de Vries" not in piet

    bad = organiser.get("/organise/keten/audit/", {"part": "nonsense"})
    assert bad.status_code == 422
    assert "Select a valid choice" in bad.content.decode()
    # The navigation has the part.
    assert 'href="/organise/keten/audit/" aria-current="page"' in html


def test_the_page_is_for_the_edition_s_organisers_only(client: Client, edition: Edition) -> None:
    assert client.get("/organise/keten/audit/").status_code == 302  # to the login
    client.force_login(UserFactory(organisation=OrganisationFactory()))
    assert client.get("/organise/keten/audit/").status_code == 404
    door = UserFactory(organisation=OrganisationFactory())
    EditionRole.objects.create(edition=edition, user=door, role=Role.DOOR)
    client.force_login(door)
    assert client.get("/organise/keten/audit/").status_code == 403


def test_the_page_reads_as_many_queries_for_one_entry_as_for_three(
    organiser: Client, edition: Edition
) -> None:
    def queries_with(count: int) -> int:
        with scopes_disabled():
            AuditEntry.objects.all().delete()
        for _n in range(count):
            anna = RegistrationFactory(edition=edition)
            registration_services.registration_set_status(
                registration=anna, status="waitlisted", by="organiser"
            )
        with CaptureQueriesContext(connection) as queries:
            response = organiser.get("/organise/keten/audit/")
        assert response.content.decode().count('class="kc-row kc-audit"') == count
        return len(queries)

    organiser.get("/organise/keten/audit/")  # the session read once
    assert queries_with(1) == queries_with(3)


def test_a_participant_with_their_personal_link_is_named_as_such(edition: Edition) -> None:
    from tests.registration.test_pages import logged_in

    anna = RegistrationFactory(edition=edition, name="Anna de Vries")
    client = logged_in(anna)
    assert client.post("/keten/me/cancel/").status_code == 302
    [entry] = entries(edition=edition)
    assert (entry.actor_kind, entry.user, entry.registration, entry.before, entry.after) == (
        "participant",
        None,
        anna,
        {"status": "registered"},
        {"status": "cancelled"},
    )


def test_tokens_check_ins_by_hand_and_messages_are_recorded(
    organiser: Client, edition: Edition
) -> None:
    from ketenconf.checkin import services as checkin_services
    from ketenconf.messaging import services as messaging_services

    olga = UserFactory(organisation=edition.lead_organisation, username="olga2", first_name="O")
    anna = RegistrationFactory(edition=edition, name="Anna de Vries")
    response = organiser.post("/organise/keten/api/", {"name": "website"})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    organiser.post(f"/organise/keten/api/{token.pk}/revoke/")
    checkin_services.checkin_registration(
        edition=edition, registration=anna, door="1", nonce="desk-0001", by=olga
    )
    messaging_services.message_send(
        edition=edition,
        group="registered",
        subject_nl="Welkom",
        subject_en="Welcome",
        body_nl="Tot morgen.",
        body_en="See you tomorrow.",
        by=olga,
    )
    found = [
        (e.part, e.action, e.user.username if e.user else None, e.target_label, e.after)
        for e in entries(edition=edition)
    ]
    assert found == [
        (
            "api_tokens",
            "create",
            "olga",
            f"website ({token.prefix}…)",
            {"user": "olga", "name": "website"},
        ),
        (
            "api_tokens",
            "revoke",
            "olga",
            f"website ({token.prefix}…)",
            {"user": "olga", "name": "website"},
        ),
        ("checkin", "check_in", "olga2", "Anna de Vries", {"door": "1", "session": None}),
        (
            "messages",
            "send",
            "olga2",
            "Welkom",
            {
                "kind": "message",
                "group": "registered",
                "group_value": "",
                "recipients": 1,
                "subject_nl": "Welkom",
                "subject_en": "Welcome",
            },
        ),
    ]

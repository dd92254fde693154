"""The organisers' participant list in the back-office."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.test import Client

from ketenconf.events.models import Edition, EditionStatus, OrganisationKind
from ketenconf.mail.models import OutboxMessage
from ketenconf.registration import services
from ketenconf.registration.models import Registration
from ketenconf.team.services import edition_roles_from_organisations
from tests.factories import (
    EditionFactory,
    OrganisationFactory,
    SeriesPartnerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/admin/registration/registration/"


@pytest.fixture
def english(settings) -> None:
    """The back-office in English, so messages can be asserted before they are translated."""
    settings.LANGUAGE_CODE = "en"


def register(edition, name: str, organisation: str, **extra: Any) -> Registration:
    return services.registration_create(
        edition=edition,
        name=name,
        email=f"{name.split()[0].lower()}@example.org",
        organisation_name=organisation,
        even_if_closed=True,
        **extra,
    ).registration


@pytest.fixture
def world() -> dict[str, Any]:
    lead = OrganisationFactory(
        name="Dienst Terugkeer en Vertrek", short_name="DT&V", kind=OrganisationKind.NATIONAL_AGENCY
    )
    partner = OrganisationFactory(
        name="Gemeente Utrecht", short_name="Utrecht", kind=OrganisationKind.MUNICIPALITY
    )
    outsider = OrganisationFactory(
        name="VluchtelingenWerk", short_name="VWN", kind=OrganisationKind.NGO
    )
    edition = EditionFactory(
        slug="keten",
        lead_organisation=lead,
        status=EditionStatus.REGISTRATION_OPEN,
        capacity=2,
        title_nl="Keten 2027",
        title_en="Chain 2027",
    )
    SeriesPartnerFactory(series=edition.series, organisation=lead, position=0)
    SeriesPartnerFactory(series=edition.series, organisation=partner, position=1)
    other = EditionFactory(
        slug="elders", lead_organisation=outsider, status=EditionStatus.REGISTRATION_OPEN
    )
    SeriesPartnerFactory(series=other.series, organisation=outsider, position=0)
    anna = register(edition, "Anna Jansen", "DT&V")
    bram = register(edition, "Bram Bakker", "Gemeente Utrecht")
    cor = register(edition, "Cor de Wit", "DT&V")
    dina = register(edition, "Dina Smit", "VWN")
    secret = register(other, "Geheim Persoon", "VWN")
    return {
        "edition": edition,
        "other": other,
        "anna": anna,
        "bram": bram,
        "cor": cor,
        "dina": dina,
        "secret": secret,
        "lead": UserFactory(organisation=lead),
        "partner": UserFactory(organisation=partner),
        "outsider": UserFactory(organisation=outsider),
        "nobody": UserFactory(organisation=OrganisationFactory(name="Politie")),
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def names(response) -> list[str]:
    return [r.name for r in response.context["cl"].result_list]


def test_organisers_of_the_edition_see_its_registrations_with_waiting_list_places(world) -> None:
    for who in ("lead", "partner"):
        response = client_for(world[who]).get(LIST)
        assert response.status_code == 200
        rows = response.context["cl"].result_list
        assert [(r.name, r.status, r.position) for r in rows] == [
            ("Dina Smit", "waitlisted", 2),
            ("Cor de Wit", "waitlisted", 1),
            ("Bram Bakker", "registered", None),
            ("Anna Jansen", "registered", None),
        ]


def test_staff_of_another_organisation_get_no_personal_data(world) -> None:
    client = client_for(world["nobody"])
    response = client.get(LIST)
    assert response.status_code == 200
    assert names(response) == []
    assert b"Anna" not in response.content
    assert b"anna@example.org" not in response.content
    assert client.get(f"{LIST}{world['anna'].pk}/change/").status_code == 302
    export = client.get(f"{LIST}export/csv/")
    assert export.status_code == 200
    assert len(list(csv.reader(io.StringIO(export.content.decode())))) == 1  # the header only
    # The organisers of the other edition see theirs, and nothing of this one.
    outsider = client_for(world["outsider"])
    assert names(outsider.get(LIST)) == ["Geheim Persoon"]
    assert outsider.get(f"{LIST}{world['anna'].pk}/change/").status_code == 302
    assert names(client_for(world["lead"]).get(f"{LIST}?q=Geheim")) == []


def test_a_user_who_is_not_staff_is_sent_to_the_login(world) -> None:
    user = UserFactory(is_staff=False, organisation=world["edition"].lead_organisation)
    for url in (LIST, f"{LIST}export/xlsx/", f"{LIST}add/"):
        response = client_for(user).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_search_by_name_email_and_organisation(world) -> None:
    client = client_for(world["lead"])
    assert names(client.get(f"{LIST}?q=bakker")) == ["Bram Bakker"]
    assert names(client.get(f"{LIST}?q=cor@example")) == ["Cor de Wit"]
    assert names(client.get(f"{LIST}?q=Utrecht")) == ["Bram Bakker"]
    assert names(client.get(f"{LIST}?q=DT%26V")) == ["Cor de Wit", "Anna Jansen"]


def test_filters_and_the_waiting_list_in_its_own_order(world) -> None:
    client = client_for(world["lead"])
    waiting = client.get(f"{LIST}?status__exact=waitlisted").context["cl"].result_list
    assert [(r.name, r.position) for r in waiting] == [("Cor de Wit", 1), ("Dina Smit", 2)]
    assert names(client.get(f"{LIST}?organisation__kind__exact=ngo")) == ["Dina Smit"]
    assert names(client.get(f"{LIST}?organisation__id__exact={world['bram'].organisation_id}")) == [
        "Bram Bakker"
    ]
    assert names(client.get(f"{LIST}?edition__id__exact={world['edition'].pk}")) == [
        "Dina Smit",
        "Cor de Wit",
        "Bram Bakker",
        "Anna Jansen",
    ]


def test_filters_offer_only_what_the_organiser_may_see(world, english) -> None:
    client = client_for(world["lead"])
    next_year = EditionFactory(
        slug="volgend-jaar",
        series=world["edition"].series,
        lead_organisation=world["edition"].lead_organisation,
        title_en="Chain 2028",
        start_date=dt.date(2028, 4, 13),
    )
    EditionFactory(slug="leeg", series=world["edition"].series, title_en="Chain 2029")
    # Made after the accounts: its lead organisation's staff get their roles as a next edition's do.
    edition_roles_from_organisations(edition=next_year)
    register(next_year, "Eva Visser", "DT&V")
    changelist = client.get(LIST).context["cl"]
    filters = {
        str(spec.title): [str(choice["display"]) for choice in spec.choices(changelist)]
        for spec in changelist.filter_specs
    }
    assert list(filters) == ["edition", "status", "organisation kind", "organisation"]
    # Only editions with registrations this organiser may see: not "elders", not the empty one.
    # Latest first, as editions are ordered everywhere.
    assert filters["edition"] == ["All", "Chain 2028", "Chain 2027"]
    assert filters["organisation"] == ["All", "DT&V", "Utrecht", "VWN"]
    assert filters["status"] == [
        "All",
        "registered",
        "on the waiting list",
        "cancelled",
        "released (email not confirmed in time)",
    ]


def test_counts_by_kind_and_organisation_follow_the_filter(world, english) -> None:
    client = client_for(world["lead"])
    counts = client.get(LIST).context["registration_counts"]
    assert [(r.label, r.registered, r.waitlisted, r.total) for r in counts["by_kind"]] == [
        ("national agency", 1, 1, 2),
        ("municipality", 1, 0, 1),
        ("NGO", 0, 1, 1),
    ]
    assert [(r.label, r.registered, r.waitlisted, r.total) for r in counts["by_organisation"]] == [
        ("Dienst Terugkeer en Vertrek", 1, 1, 2),
        ("Gemeente Utrecht", 1, 0, 1),
        ("VluchtelingenWerk", 0, 1, 1),
    ]
    filtered = client.get(f"{LIST}?status__exact=registered").context["registration_counts"]
    assert [(r.label, r.total) for r in filtered["by_organisation"]] == [
        ("Dienst Terugkeer en Vertrek", 1),
        ("Gemeente Utrecht", 1),
    ]
    html = client.get(LIST).content.decode()
    assert '<tr><th scope="row">Gemeente Utrecht</th><td>1</td><td>0</td><td>1</td></tr>' in html
    assert f'href="{LIST}export/csv/"' in html
    assert (
        f'href="{LIST}export/xlsx/?status__exact=registered"'
        in client.get(f"{LIST}?status__exact=registered").content.decode()
    )


def test_changelist_queries_do_not_grow_with_the_rows(django_assert_num_queries) -> None:
    lead = OrganisationFactory()
    edition = EditionFactory(lead_organisation=lead, status=EditionStatus.REGISTRATION_OPEN)
    SeriesPartnerFactory(series=edition.series, organisation=lead, position=0)
    client = client_for(UserFactory(organisation=lead))
    register(edition, "Een Deelnemer", "IND")
    with django_assert_num_queries(QUERIES_FOR_THE_LIST):
        assert len(names(client.get(LIST))) == 1
    register(edition, "Twee Deelnemer", "COA")
    register(edition, "Drie Deelnemer", "Gemeente Oss")
    with django_assert_num_queries(QUERIES_FOR_THE_LIST):
        assert len(names(client.get(LIST))) == 3


QUERIES_FOR_THE_LIST = 11


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_organisers_add_a_participant_even_when_registration_is_closed(world, english) -> None:
    edition = world["edition"]
    Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.REGISTRATION_CLOSED)
    client = client_for(world["lead"])
    form = client.get(f"{LIST}add/")
    assert form.status_code == 200
    assert [str(e) for e in form.context["form"].fields["edition"].queryset] == ["Chain 2027"]
    response = client.post(
        f"{LIST}add/",
        {
            "edition": edition.pk,
            "name": "Fleur Mulder",
            "email": "Fleur@Example.org",
            "organisation": world["bram"].organisation_id,
            "language": "en",
        },
    )
    fleur = Registration.objects.get(email="fleur@example.org")
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}{fleur.pk}/change/"
    assert message_texts(response) == ["Fleur Mulder is added to Chain 2027: on the waiting list."]
    assert (fleur.status, fleur.organisation.name, fleur.language) == (
        "waitlisted",
        "Gemeente Utrecht",
        "en",
    )
    assert list(OutboxMessage.objects.filter(to="fleur@example.org").values_list("subject")) == [
        ("You are on the waiting list for Chain 2027",)
    ]
    assert LogEntry.objects.get(object_id=str(fleur.pk)).user == world["lead"]


def test_adding_checks_the_input_and_the_edition_scope(world, english) -> None:
    client = client_for(world["lead"])
    response = client.post(
        f"{LIST}add/",
        {
            "edition": world["other"].pk,
            "name": "<b>Fleur</b>",
            "email": "fleur@example.org",
            "language": "nl",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "edition": ["Select a valid choice. That choice is not one of the available choices."],
        "name": ["Angle brackets (< and >) are not allowed here."],
    }
    # No organisation chosen or typed: the service's message, on the organisation field.
    response = client.post(
        f"{LIST}add/",
        {
            "edition": world["edition"].pk,
            "name": "Fleur",
            "email": "fleur@example.org",
            "language": "nl",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "organisation": ["Choose your organisation or type its name."]
    }
    assert not Registration.objects.filter(email="fleur@example.org").exists()


def test_adding_an_address_that_is_registered_already_says_so(world, english) -> None:
    response = client_for(world["lead"]).post(
        f"{LIST}add/",
        {
            "edition": world["edition"].pk,
            "name": "Anna Anders",
            "email": "anna@example.org",
            "organisation_name": "Nieuwe Organisatie",
            "language": "nl",
        },
    )
    assert response["Location"] == f"{LIST}{world['anna'].pk}/change/"
    assert message_texts(response) == [
        "Anna Jansen was registered for Chain 2027 already (registered); "
        "the personal link has been mailed again."
    ]
    assert Registration.objects.filter(email="anna@example.org").count() == 1


def act(client: Client, action: str, *registrations: Registration) -> Any:
    return client.post(
        LIST, {"action": action, "_selected_action": [r.pk for r in registrations]}, follow=True
    )


def test_status_changes_go_through_the_service_and_keep_the_seats_right(world, english) -> None:
    client = client_for(world["lead"])
    edition = world["edition"]
    # Full: Cor cannot get a seat, and nothing changes.
    response = act(client, "give_seat", world["cor"])
    assert message_texts(response) == [
        "Cor de Wit: There is no seat left in this edition.",
        "0 registrations changed to: registered.",
    ]
    world["cor"].refresh_from_db()
    assert world["cor"].status == "waitlisted"
    # Cancelling Anna gives her seat to Cor, the first on the waiting list.
    response = act(client, "cancel", world["anna"])
    assert message_texts(response) == [
        "1 registration changed to: cancelled.",
        "Seats went to the waiting list: Cor de Wit.",
    ]
    assert dict(Registration.objects.filter(edition=edition).values_list("name", "status")) == {
        "Anna Jansen": "cancelled",
        "Bram Bakker": "registered",
        "Cor de Wit": "registered",
        "Dina Smit": "waitlisted",
    }
    edition.refresh_from_db()
    assert edition.seats_taken == 2
    # Bram steps back to the waiting list: his seat is free and Dina may have it.
    act(client, "put_on_waitlist", world["bram"])
    act(client, "give_seat", world["dina"])
    edition.refresh_from_db()
    assert edition.seats_taken == 2
    assert list(
        Registration.objects.filter(edition=edition, status="registered")
        .order_by("name")
        .values_list("name", flat=True)
    ) == ["Cor de Wit", "Dina Smit"]


def test_organisers_cannot_act_on_registrations_outside_their_editions(world) -> None:
    act(client_for(world["lead"]), "cancel", world["secret"])
    world["secret"].refresh_from_db()
    assert world["secret"].status == "registered"


def test_the_change_form_edits_details_but_never_the_status(world) -> None:
    client = client_for(world["lead"])
    anna = world["anna"]
    response = client.post(
        f"{LIST}{anna.pk}/change/",
        {
            "name": "Anna  Jansen-de Boer ",
            "job_title": "Teamleider",
            "dietary_needs": "",
            "accessibility_needs": "",
            "language": "en",
            "status": "cancelled",
            "email": "kaper@example.org",
        },
    )
    assert response.status_code == 302
    anna.refresh_from_db()
    assert (anna.name, anna.job_title, anna.language, anna.status, anna.email) == (
        "Anna Jansen-de Boer",
        "Teamleider",
        "en",
        "registered",
        "anna@example.org",
    )


def test_registrations_are_not_deleted_in_the_back_office(world) -> None:
    client = client_for(world["lead"])
    assert client.get(f"{LIST}{world['anna'].pk}/delete/").status_code == 403
    assert "delete_selected" not in client.get(LIST).context["cl"].model_admin.get_actions(
        client.get(LIST).wsgi_request
    )


EXPECTED_HEADERS = [
    "Number",
    "Edition",
    "Name",
    "Email address",
    "Organisation",
    "Organisation kind",
    "Job title",
    "Status",
    "Place on the waiting list",
    "Needs step-free rooms",
    "Visible for networking",
    "Language",
    "Registered at",
    "Email confirmed at",
]


def test_csv_export_of_the_filtered_list(world, english) -> None:
    Registration.objects.filter(pk=world["dina"].pk).update(name='=HYPERLINK("http://x")')
    response = client_for(world["lead"]).get(f"{LIST}export/csv/?status__exact=waitlisted")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="registrations-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == EXPECTED_HEADERS
    cor, dina = (Registration.objects.get(pk=world[k].pk) for k in ("cor", "dina"))
    local = lambda value: value.astimezone(ZoneInfo("Europe/Amsterdam")).strftime(  # noqa: E731
        "%Y-%m-%d %H:%M"
    )
    assert rows[1:] == [
        [str(cor.pk), "Chain 2027", "Cor de Wit", "cor@example.org", "Dienst Terugkeer en Vertrek",
         "national agency", "", "on the waiting list", "1", "no", "no", "Nederlands",
         local(cor.created_at), ""],
        [str(dina.pk), "Chain 2027", "'=HYPERLINK(\"http://x\")", "dina@example.org",
         "VluchtelingenWerk", "NGO", "", "on the waiting list", "2", "no", "no",
         "Nederlands", local(dina.created_at), ""],
    ]  # fmt: skip


def test_xlsx_export_keeps_text_as_text(world, english) -> None:
    Registration.objects.filter(pk=world["dina"].pk).update(name="=1+1")
    response = client_for(world["lead"]).get(f"{LIST}export/xlsx/?q=VluchtelingenWerk")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == EXPECTED_HEADERS
    assert len(rows) == 2
    assert rows[1][:9] == [
        world["dina"].pk, "Chain 2027", "=1+1", "dina@example.org", "VluchtelingenWerk", "NGO",
        None, "on the waiting list", 2,
    ]  # fmt: skip
    assert sheet.cell(row=2, column=3).data_type == "s"
    assert rows[1][12] == world["dina"].created_at.astimezone(ZoneInfo("Europe/Amsterdam")).replace(
        tzinfo=None, microsecond=0
    )


def test_export_action_on_selected_rows_in_the_organisers_language(world) -> None:
    response = client_for(world["lead"]).post(
        LIST, {"action": "export_csv", "_selected_action": [world["bram"].pk, world["secret"].pk]}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    # The back-office speaks Dutch: the headers too (and the other edition's row is not there).
    assert rows[0][2:4] == ["Naam", "E-mailadres"]
    assert [row[2] for row in rows[1:]] == ["Bram Bakker"]

"""Every rule of the roles, through what a person notices: the workspace's pages, the
organisers' API and what each may change."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from ketenconf.api.services import api_token_create
from ketenconf.events.permissions import editions_editable_by, topics_editable_by
from ketenconf.team import services
from ketenconf.team.models import EditionRole, Role
from ketenconf.workspace.access import Part, editions_for
from tests.team.conftest import Team

pytestmark = pytest.mark.django_db

SLUG = "ketenconferentie-2027"


def status(user, path: str) -> int:
    client = Client()
    client.force_login(user)
    return client.get(f"/organise/{SLUG}/{path}").status_code


@pytest.mark.parametrize(
    ("who", "wanted"),
    [
        # dashboard, programme, registrations, check-in, people, settings, your sessions
        ("lead", [200, 200, 200, 200, 200, 200, 403]),
        ("partner", [200, 200, 200, 200, 403, 403, 403]),
        ("host", [403, 403, 403, 403, 403, 403, 200]),
        ("door", [403, 403, 403, 200, 403, 403, 403]),
        ("outsider", [404, 404, 404, 404, 404, 404, 404]),
    ],
)
def test_each_role_opens_its_parts_of_the_workspace(team: Team, who: str, wanted: list[int]):
    paths = ["", "programme/", "registrations/", "checkin/", "team/", "settings/", "sessions/"]
    assert [status(getattr(team, who), path) for path in paths] == wanted


def test_a_refused_part_says_which_role_the_person_has(team: Team):
    client = Client(headers={"Accept-Language": "nl"})
    client.force_login(team.door)
    response = client.get(f"/organise/{SLUG}/registrations/")
    assert response.status_code == 403


def test_the_api_lets_in_the_organisers_only_and_says_which_sessions_each_may_change(
    team: Team,
):
    client = Client()
    editable = {}
    for who in ("lead", "partner", "host", "door", "outsider"):
        token = api_token_create(user=getattr(team, who), name="t")[1]
        response = client.get(
            f"/api/v1/organiser/editions/{SLUG}/sessions",
            headers={"Authorization": f"Bearer {token}"},
        )
        editable[who] = (
            response.status_code,
            sorted(s["title"] for s in response.json().get("items", []) if s["editable"]),
        )
    assert editable == {
        "lead": (200, ["Arbeidsmigratie", "Huisvesting", "Terugkeer", "Welkom"]),
        "partner": (200, ["Terugkeer"]),  # the workshop its organisation hosts
        "host": (404, []),
        "door": (404, []),
        "outsider": (404, []),
    }


def test_the_rule_answers_the_same_for_the_admin_and_the_exports(team: Team):
    edition = team.edition
    assert set(editions_editable_by(user=team.lead)) == {edition}
    assert set(editions_editable_by(user=team.partner)) == {edition}
    assert set(editions_editable_by(user=team.host)) == set()
    assert set(editions_editable_by(user=team.door)) == set()
    assert set(editions_for(user=team.door, part=Part.CHECKIN)) == {edition}
    assert set(editions_for(user=team.door, part=Part.EXPORTS)) == set()
    assert set(editions_for(user=team.host, part=Part.SESSIONS)) == {edition}
    assert set(topics_editable_by(user=team.host)) == {team.hosts_topic}
    assert set(topics_editable_by(user=team.partner)) == {team.partners_topic}
    assert set(topics_editable_by(user=team.door)) == set()


def test_a_host_sees_their_own_sessions_and_who_is_in_them(team: Team):
    from ketenconf.allocation import services as allocation
    from ketenconf.registration.models import Preference
    from tests.factories import RegistrationFactory

    people = [RegistrationFactory(edition=team.edition, name=n) for n in ("Bram", "Anna")]
    for person in people:
        Preference.objects.create(registration=person, topic=team.hosts_topic, rank=1)
    client = Client()
    client.force_login(team.host)
    page = client.get(f"/organise/{SLUG}/sessions/")
    assert [h.session.topic.title for h in page.context["hosted"]] == ["Huisvesting"]
    assert page.context["hosted"][0].participants == []
    run = allocation.assignment_run_start(edition=team.edition, by=team.lead)
    allocation.assignment_run_publish(run=run, by=team.lead)
    page = client.get(f"/organise/{SLUG}/sessions/")
    seated = page.context["hosted"][0].participants
    assert [name.split(" (")[0] for name in seated] == ["Anna", "Bram"]
    assert "Anna" in page.content.decode()


def test_only_a_lead_organiser_manages_people(team: Team):
    row = EditionRole.objects.get(edition=team.edition, user=team.door)
    for who in (team.partner, team.host, team.door, team.outsider):
        with pytest.raises(PermissionDenied):
            services.edition_role_change(row=row, role=Role.LEAD, by=who)
        with pytest.raises(PermissionDenied):
            services.invitation_send(
                edition=team.edition, email="x@example.org", role=Role.DOOR, by=who
            )
    with pytest.raises(ValidationError):  # door staff without an organisation: no partner
        services.edition_role_change(row=row, role=Role.PARTNER, by=team.lead)
    services.edition_role_change(row=row, role=Role.LEAD, by=team.lead)
    row.refresh_from_db()
    assert row.role == Role.LEAD


def test_an_edition_keeps_at_least_one_lead_organiser(team: Team):
    mine = EditionRole.objects.get(edition=team.edition, user=team.lead)
    with pytest.raises(ValidationError):
        services.edition_role_remove(row=mine, by=team.lead)
    with pytest.raises(ValidationError):
        services.edition_role_change(row=mine, role=Role.PARTNER, by=team.lead)
    partner = EditionRole.objects.get(edition=team.edition, user=team.partner)
    services.edition_role_change(row=partner, role=Role.LEAD, by=team.lead)
    services.edition_role_remove(row=mine, by=team.lead)
    assert status(team.lead, "") == 404


def test_a_host_needs_a_session_and_a_partner_an_organisation(team: Team):
    with pytest.raises(ValidationError) as error:
        services.invitation_send(
            edition=team.edition, email="h@example.org", role=Role.HOST, by=team.lead
        )
    assert "topics" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.invitation_send(
            edition=team.edition, email="p@example.org", role=Role.PARTNER, by=team.lead
        )
    assert "organisation" in error.value.message_dict


def test_a_next_edition_gives_the_organisations_staff_their_roles(team: Team):
    from ketenconf.events.services import edition_create_next

    following = edition_create_next(series=team.edition.series, slug="ketenconferentie-2028")
    roles = dict(
        EditionRole.objects.filter(edition=following).values_list("user__username", "role")
    )
    # The lead passes to the next partner: the COA's staff lead, the DT&V's are partners.
    assert roles == {"partner": Role.LEAD, "lead": Role.PARTNER}

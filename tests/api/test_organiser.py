"""The organisers' API under /api/v1/organiser/: tokens, scope, and each endpoint."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ketenconf.allocation import services as allocation
from ketenconf.allocation.models import AssignmentRun
from ketenconf.api import services
from ketenconf.api.models import ApiToken
from ketenconf.events.models import Edition, EditionStatus
from ketenconf.mail.models import OutboxMessage
from ketenconf.registration.models import Preference, Registration
from tests.allocation.test_adapter import Small, make_edition
from tests.factories import EditionFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/organiser"


@pytest.fixture
def small() -> Small:
    small = make_edition()
    Edition.objects.filter(pk=small.edition.pk).update(slug="keten-2027", capacity=4, seats_taken=4)
    small.edition.refresh_from_db()
    return small


def token_for(user: Any) -> str:
    return services.api_token_create(user=user, name="test")[1]


@pytest.fixture
def api(client: Client, small: Small) -> Any:
    """A client that sends the organiser's token with every request."""
    headers = {"Authorization": f"Bearer {token_for(small.organiser)}", "Accept-Language": "en"}

    class Api:
        def get(self, path: str, **params: Any) -> Any:
            return client.get(BASE + path, params, headers=headers)

        def post(self, path: str, body: Any) -> Any:
            return client.post(BASE + path, body, content_type="application/json", headers=headers)

        def put(self, path: str, body: Any) -> Any:
            return client.put(BASE + path, body, content_type="application/json", headers=headers)

    return Api()


def endpoints(small: Small, run: AssignmentRun) -> list[tuple[str, str, dict[str, Any] | None]]:
    anna = small.people["Anna"].pk
    e = "/editions/keten-2027"
    return [
        ("get", "/editions", None),
        ("get", e, None),
        ("get", f"{e}/blocks", None),
        ("get", f"{e}/sessions", None),
        ("get", f"{e}/registrations", None),
        (
            "post",
            f"{e}/registrations",
            {"name": "X", "email": "x@example.org", "organisation": "IND"},
        ),
        ("get", f"{e}/registrations/{anna}", None),
        ("post", f"{e}/registrations/{anna}/status", {"status": "cancelled"}),
        ("get", f"{e}/registrations/{anna}/preferences", None),
        ("put", f"{e}/registrations/{anna}/preferences", {"topic_ids": []}),
        ("get", f"{e}/preferences", None),
        ("get", f"{e}/runs", None),
        ("post", f"{e}/runs", {"time_limit": 5}),
        ("get", f"{e}/runs/{run.pk}", None),
        ("get", f"{e}/runs/{run.pk}/assignments", None),
        ("get", f"{e}/assignments", None),
        ("get", f"{e}/exports/programme.csv", None),
        ("post", f"{e}/checkins", {"registration_id": anna, "door": "1", "nonce": "api-scan-1"}),
        ("post", f"{e}/reoffers", {"before_round": 1, "dry_run": False}),
    ]


def call(client: Client, method: str, path: str, body: Any, **headers: str) -> Any:
    if method == "get":
        return client.get(BASE + path, headers=headers)
    return getattr(client, method)(
        BASE + path, body, content_type="application/json", headers=headers
    )


def test_every_endpoint_wants_a_token_and_refuses_other_organisations(
    client: Client, small: Small
) -> None:
    run = allocation.assignment_run_start(edition=small.edition, by=small.organiser)
    allocation.assignment_run_publish(run=run, by=small.organiser)
    stranger = token_for(UserFactory(organisation=OrganisationFactory(name="Politie")))
    revoked_token, revoked = services.api_token_create(user=small.organiser, name="old")
    services.api_token_revoke(token=revoked_token)
    not_staff = token_for(UserFactory(organisation=small.edition.lead_organisation, is_staff=False))
    mails = OutboxMessage.objects.count()
    for method, path, body in endpoints(small, run):
        for header in (
            {},
            {"Authorization": "Bearer nonsense"},
            {"Authorization": f"Bearer {revoked}"},
            {"Authorization": f"Bearer {not_staff}"},
        ):
            response = call(client, method, path, body, **header)
            assert response.status_code == 401, (method, path, header)
            assert response["WWW-Authenticate"] == "Bearer"
        response = call(
            client, method, path, body, Authorization=f"Bearer {stranger}", Accept_Language="en"
        )
        if path == "/editions":
            assert (response.status_code, response.json()) == (200, {"items": [], "count": 0})
        else:
            assert (response.status_code, response.json()) == (
                404,
                {"message": "There is no edition keten-2027 that you organise."},
            ), (method, path)
    # Nothing changed on the way.
    assert Registration.objects.filter(edition=small.edition).count() == 4
    assert Registration.objects.get(pk=small.people["Anna"].pk).status == "registered"
    assert Preference.objects.filter(registration=small.people["Anna"]).count() == 3
    assert AssignmentRun.objects.count() == 1
    assert OutboxMessage.objects.count() == mails


def test_a_token_acts_for_its_user_and_records_its_use(api: Any, small: Small) -> None:
    assert ApiToken.objects.get(name="test").last_used_at is None
    response = api.get("/editions")
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "id": small.edition.pk,
                "slug": "keten-2027",
                "title": "Chain Conference 2027",
                "start_date": "2027-04-15",
                "end_date": "2027-04-15",
                "status": "published",
                "capacity": 4,
                "seats_taken": 4,
                "lead_organisation": "Immigratie- en Naturalisatiedienst",
            }
        ],
        "count": 1,
    }
    used = ApiToken.objects.get(name="test").last_used_at
    assert used is not None and (timezone.now() - used).total_seconds() < 60
    assert ApiToken.objects.get(name="test").secret_hash != ""


def test_blocks_and_sessions_with_pagination(api: Any, small: Small) -> None:
    blocks = api.get("/editions/keten-2027/blocks").json()
    assert [(b["kind"], b["title"]) for b in blocks["items"]] == [
        ("plenary", "Opening"),
        ("round", "Round 1"),
        ("round", "Round 2"),
    ]
    page = api.get("/editions/keten-2027/sessions", limit=2, offset=1).json()
    assert page["count"] == 5
    s = small.sessions
    assert [
        (x["id"], x["title"], x["room"], x["capacity"], x["editable"]) for x in page["items"]
    ] == [
        (s["1H"].pk, "Housing", "Zaal B", 2, True),
        (s["1T"].pk, "Return", "Zaal A", 2, True),
    ]
    assert api.get("/editions/keten-2027/sessions", limit=501).status_code == 422


def test_a_partner_sees_which_topics_it_may_change(client: Client, small: Small) -> None:
    partner = OrganisationFactory(name="Partner")
    small.edition.series.partnerships.create(organisation=partner, position=2)
    token = token_for(UserFactory(organisation=partner))
    response = client.get(
        f"{BASE}/editions/keten-2027/sessions", headers={"Authorization": f"Bearer {token}"}
    )
    assert {x["editable"] for x in response.json()["items"]} == {False}


def test_registrations_list_create_and_status(api: Any, small: Small) -> None:
    listed = api.get("/editions/keten-2027/registrations", status="registered").json()
    assert [r["name"] for r in listed["items"]] == ["Anna", "Bram", "Chris", "Dirk"]
    assert listed["count"] == 4

    created = api.post(
        "/editions/keten-2027/registrations",
        {
            "name": "Eva",
            "email": "eva@example.org",
            "organisation": "COA",
            "notify": False,
            "confirmed": True,
        },
    )
    assert created.status_code == 201
    eva = created.json()
    assert (eva["status"], eva["waitlist_position"], eva["organisation"]) == (
        "waitlisted",
        1,
        "Centraal Orgaan opvang asielzoekers",
    )
    assert eva["confirmed_at"] is not None
    assert not OutboxMessage.objects.filter(to="eva@example.org").exists()
    again = api.post(
        "/editions/keten-2027/registrations",
        {"name": "Eva", "email": "EVA@example.org", "organisation": "COA", "notify": False},
    )
    assert (again.status_code, again.json()["id"]) == (200, eva["id"])

    bad = api.post(
        "/editions/keten-2027/registrations",
        {"name": "<b>", "email": "x", "organisation": "COA", "notify": "yes"},
    )
    assert (bad.status_code, bad.json()) == (
        422,
        {"errors": {"notify": ["Give this as true or false."]}},
    )
    bad = api.post(
        "/editions/keten-2027/registrations", {"name": "<b>", "email": "x", "organisation": "COA"}
    )
    assert bad.json() == {
        "errors": {
            "name": ["Angle brackets (< and >) are not allowed here."],
            "email": ["Enter a valid email address."],
        }
    }

    anna = small.people["Anna"].pk
    changed = api.post(f"/editions/keten-2027/registrations/{anna}/status", {"status": "cancelled"})
    assert changed.status_code == 200
    assert (changed.json()["registration"]["status"], changed.json()["promoted"]) == (
        "cancelled",
        [eva["id"]],
    )
    assert Registration.objects.get(pk=eva["id"]).status == "registered"
    full = api.post(f"/editions/keten-2027/registrations/{anna}/status", {"status": "registered"})
    assert (full.status_code, full.json()) == (
        422,
        {"errors": {"status": ["There is no seat left in this edition."]}},
    )
    unknown = api.post(f"/editions/keten-2027/registrations/{anna}/status", {"status": "gone"})
    assert unknown.status_code == 422
    assert list(unknown.json()["errors"]) == ["status"]
    assert api.get("/editions/keten-2027/registrations/999999").json() == {
        "message": "This edition has no registration 999999."
    }


def test_preferences_read_and_replace(api: Any, small: Small) -> None:
    bram = small.people["Bram"].pk
    t = small.topics
    assert [
        (p["topic"], p["rank"])
        for p in api.get(f"/editions/keten-2027/registrations/{bram}/preferences").json()
    ] == [
        ("Return", 1),
        ("Labour migration", 2),
        ("Housing", 3),
    ]
    replaced = api.put(
        f"/editions/keten-2027/registrations/{bram}/preferences",
        {"topic_ids": [t["H"].pk, t["T"].pk]},
    )
    assert [(p["topic_id"], p["rank"]) for p in replaced.json()] == [(t["H"].pk, 1), (t["T"].pk, 2)]
    keynote = api.put(
        f"/editions/keten-2027/registrations/{bram}/preferences", {"topic_ids": [t["K"].pk]}
    )
    assert (keynote.status_code, keynote.json()) == (
        422,
        {"errors": {"preferences": [f"These are not workshops of this edition: {t['K'].pk}."]}},
    )
    everyone = api.get("/editions/keten-2027/preferences").json()
    assert everyone["count"] == 3 + 2 + 2 + 2


def test_runs_start_read_and_their_seats(api: Any, small: Small) -> None:
    assert api.get("/editions/keten-2027/assignments").json() == {
        "message": "Nothing of Chain Conference 2027 is published yet."
    }
    started = api.post("/editions/keten-2027/runs", {"time_limit": 10})
    assert started.status_code == 201
    run = started.json()
    assert (run["status"], run["participant_count"], run["objective"]) == ("done", 4, 32)
    metrics = run["metrics"]
    assert (
        metrics["participants"],
        metrics["seats_given"],
        metrics["first_choice"],
        metrics["worst_rank"],
    ) == (4, 8, 4, 2)
    assert api.get(f"/editions/keten-2027/runs/{run['id']}").json() == run
    assert [r["id"] for r in api.get("/editions/keten-2027/runs").json()["items"]] == [run["id"]]
    seats = api.get(f"/editions/keten-2027/runs/{run['id']}/assignments").json()
    assert seats["count"] == 8
    assert [(a["name"], a["session"], a["rank"]) for a in seats["items"][:2]] == [
        ("Anna", "Housing", 2),
        ("Anna", "Return", 1),
    ]
    allocation.assignment_run_publish(
        run=AssignmentRun.objects.get(pk=run["id"]), by=small.organiser
    )
    assert api.get("/editions/keten-2027/assignments").json() == seats

    bad = api.post("/editions/keten-2027/runs", {"time_limit": 0})
    assert (bad.status_code, list(bad.json()["errors"])) == (422, ["time_limit"])


def test_spreadsheets_through_the_api(api: Any, small: Small) -> None:
    response = api.get("/editions/keten-2027/exports/programme.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 6
    assert api.get("/editions/keten-2027/exports/assignments.csv").json() == {
        "message": "No assignment of Chain Conference 2027 is published yet; choose a run."
    }
    assert api.get("/editions/keten-2027/exports/nothing.csv").status_code == 404


def test_the_public_registration_stays_open_to_anyone(client: Client) -> None:
    EditionFactory(slug="open", status=EditionStatus.REGISTRATION_OPEN)
    response = client.post(
        "/api/v1/editions/open/registrations",
        {"name": "Anna", "email": "anna@example.org", "organisation": "IND"},
        content_type="application/json",
    )
    assert response.status_code == 201

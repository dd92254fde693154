"""From accepted proposals to sessions: demand, the scheduler on an edition, pins, applying."""

from __future__ import annotations

import pytest
from django.test import Client

from ketenconf.programme.models import Session
from ketenconf.proposals import adapter, services
from ketenconf.proposals.models import InterestVote, Proposal, ScheduleRun
from ketenconf.registration.links import access_token_create
from ketenconf.team.services import edition_roles_from_organisations
from tests.factories import (
    EditionFactory,
    HostFactory,
    RegistrationFactory,
    SessionFactory,
    TopicFactory,
)
from tests.proposals.conftest import CallEdition
from tests.proposals.helpers import propose

pytestmark = pytest.mark.django_db


def accepted(call_edition: CallEdition, **kwargs: object) -> Proposal:
    proposal = propose(call_edition.call, **kwargs)  # type: ignore[arg-type]
    services.proposal_decide(proposal=proposal, by=call_edition.lead_reviewer, accept=True)
    proposal.refresh_from_db()
    return proposal


def three_topics(call_edition: CallEdition) -> list[Proposal]:
    """Only one schedule seats everybody: the reasons are in the comments."""
    first, second = call_edition.rounds
    edition = call_edition.edition
    # Another topic already holds Zaal A in round 1.
    opening = TopicFactory(edition=edition, title_nl="Open space", kind="sub_session")
    HostFactory(topic=opening, name="Dagvoorzitter")
    SessionFactory(edition=edition, topic=opening, block=first, room=call_edition.rooms[0])
    housing = accepted(
        call_edition,
        title="Huisvesting",
        needs_step_free=True,
        needs_projector=True,
        wanted_size=60,
    )  # only Zaal A has both: round 2
    returning = accepted(
        call_edition, title="Terugkeer", wanted_size=30, needs_projector=True
    )  # Anna hosts both: round 1, and with a projector: Zaal B
    labour = accepted(
        call_edition,
        title="Arbeid",
        email="els@utrecht.nl",
        wanted_size=20,
        needs_step_free=True,
        needs_projector=False,
        rounds=(second.pk,),
    )  # round 2 only, step-free, Zaal A is taken: Zaal C
    for proposal, demand in ((housing, 50), (returning, 30), (labour, 20)):
        services.proposal_set_demand(
            proposal=proposal, by=call_edition.lead_reviewer, demand=demand
        )
    return [housing, returning, labour]


def test_the_scheduler_places_accepted_topics_and_applying_makes_sessions(
    call_edition: CallEdition,
) -> None:
    three_topics(call_edition)
    client = Client()
    client.force_login(call_edition.partner_reviewer)
    base = f"/organise/{call_edition.edition.slug}/call/schedule/"
    response = client.post(base, {"action": "run", "time_limit": "10"})
    run = ScheduleRun.objects.get()
    assert response["Location"] == f"{base}runs/{run.pk}/"
    assert (run.status, run.objective, run.lower_bound) == ("done", 0, 0)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Huisvesting (50)" in page.content.decode()

    applied = client.post(response["Location"])
    assert applied.status_code == 302
    sessions = Session.objects.filter(edition=call_edition.edition).order_by(
        "block__start", "room__name"
    )
    assert [(s.block.title_nl, s.room.name, s.topic.title_nl, s.capacity) for s in sessions] == [
        ("Ronde 1", "Zaal A", "Open space", None),
        ("Ronde 1", "Zaal B", "Terugkeer", None),
        ("Ronde 2", "Zaal A", "Huisvesting", None),
        ("Ronde 2", "Zaal C", "Arbeid", None),
    ]
    run.refresh_from_db()
    assert run.applied_at is not None
    # Applying again replaces, never doubles.
    client.post(response["Location"])
    assert Session.objects.filter(edition=call_edition.edition).count() == 4


def test_a_pin_that_breaks_a_need_is_reported_by_name(call_edition: CallEdition) -> None:
    _housing, _returning, labour = three_topics(call_edition)
    assert labour.topic is not None
    services.schedule_pin_add(
        edition=call_edition.edition,
        by=call_edition.lead_reviewer,
        topic=labour.topic,
        block=call_edition.rounds[1],
        room=call_edition.rooms[1],
    )
    run = services.schedule_run(edition=call_edition.edition, by=call_edition.lead_reviewer)
    assert run.status == "failed"
    assert run.problems == ["room “Zaal B” lacks what “Arbeid” needs: step_free"]


def test_a_pin_is_kept_by_the_scheduler(call_edition: CallEdition) -> None:
    housing, returning, _labour = three_topics(call_edition)
    assert returning.topic is not None
    client = Client()
    client.force_login(call_edition.lead_reviewer)
    base = f"/organise/{call_edition.edition.slug}/call/schedule/"
    pinned = client.post(
        base,
        {
            "action": "pin",
            "topic": returning.topic.pk,
            "block": call_edition.rounds[1].pk,
            "room": call_edition.rooms[1].pk,
        },
    )
    assert pinned.status_code == 302
    run = services.schedule_run(edition=call_edition.edition, by=call_edition.lead_reviewer)
    placements = {(p["topic"], p["round"], p["room"]) for p in run.result["placements"]}
    assert (
        f"topic-{returning.topic.pk}",
        f"round-{call_edition.rounds[1].pk}",
        f"room-{call_edition.rooms[1].pk}",
    ) in placements
    # Anna cannot host Huisvesting in round 2 now, and round 1 has no Zaal A free: it waits.
    assert run.result["unscheduled"] == [f"topic-{housing.topic_id}"]


def test_interest_votes_become_demand_and_pairs(call_edition: CallEdition) -> None:
    housing = accepted(call_edition, title="Huisvesting")
    returning = accepted(call_edition, title="Terugkeer", email="piet@ind.nl")
    edition = call_edition.edition
    people = [RegistrationFactory(edition=edition) for _ in range(3)]
    client = Client()
    token = access_token_create(registration=people[0])
    client.post(f"/ketenconferentie-2027/me/link/{token}/")
    page = client.get("/ketenconferentie-2027/call/interest/")
    assert page.status_code == 200
    saved = client.post(
        "/ketenconferentie-2027/call/interest/",
        {"topics": [housing.topic_id, returning.topic_id]},
    )
    assert saved.status_code == 302
    services.interest_votes_set(registration=people[1], topic_ids=[housing.topic_id])
    assert InterestVote.objects.count() == 3
    demand, together = adapter.demand_for_edition(edition=edition)
    # Two of three registered people voted: each vote counts for 1.5 people.
    assert housing.topic_id is not None and returning.topic_id is not None
    assert (demand[housing.topic_id].demand, demand[housing.topic_id].source) == (3, "votes")
    assert (demand[returning.topic_id].demand, demand[returning.topic_id].votes) == (2, 1)
    assert together == {(housing.topic_id, returning.topic_id): 2}


def test_interest_needs_a_participants_link(call_edition: CallEdition) -> None:
    response = Client().get("/ketenconferentie-2027/call/interest/")
    assert response["Location"] == "/ketenconferentie-2027/me/new-link/"


def test_the_public_programme_shows_an_applied_schedule_at_once(
    call_edition: CallEdition,
) -> None:
    """The sessions of a schedule are written in bulk, which sends no signal: the cached page
    must still show them on the very next visit."""
    three_topics(call_edition)
    visitor = Client()
    page = f"/{call_edition.edition.slug}/programme/"
    before = visitor.get(page).content.decode()
    assert ("Open space" in before, "Huisvesting" in before) == (True, False)
    assert visitor.get(page).content.decode() == before  # now from the cache
    run = services.schedule_run(edition=call_edition.edition, by=call_edition.lead_reviewer)
    assert services.schedule_apply(run=run, by=call_edition.lead_reviewer) == 3
    after = visitor.get(page).content.decode()
    assert [title in after for title in ("Open space", "Terugkeer", "Huisvesting", "Arbeid")] == [
        True,
        True,
        True,
        True,
    ]


def test_runs_are_numbered_within_their_edition(call_edition: CallEdition) -> None:
    """'Run 1' is the first run of each edition, on its page and in the runs list (the pages
    showed the database's key, counted across all editions)."""
    three_topics(call_edition)
    other = EditionFactory(
        slug="elders-2027", lead_organisation=call_edition.edition.lead_organisation
    )
    edition_roles_from_organisations(edition=other)  # made after the accounts: no roles yet
    elsewhere = services.schedule_run(edition=other, by=call_edition.lead_reviewer)
    first = services.schedule_run(edition=call_edition.edition, by=call_edition.lead_reviewer)
    second = services.schedule_run(edition=call_edition.edition, by=call_edition.lead_reviewer)
    assert (elsewhere.number, first.number, second.number) == (1, 1, 2)
    assert first.pk != first.number
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(call_edition.lead_reviewer)
    base = f"/organise/{call_edition.edition.slug}/call/schedule/"
    page = client.get(f"{base}runs/{second.pk}/").content.decode()
    assert "Schedule run 2 of Chain Conference 2027" in page
    runs = client.get(base).content.decode()
    assert ">Run 1</a>" in runs and ">Run 2</a>" in runs
    assert f">Run {second.pk}</a>" not in runs  # its key is 3 or more

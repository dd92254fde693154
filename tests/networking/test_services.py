"""The matching rules through the services, on a real database: consent, organisations,
tables and slots, requests first, declines that free a place."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ketenconf.events.models import Edition, OrganisationKind
from ketenconf.mail.models import OutboxMessage
from ketenconf.networking import selectors, services
from ketenconf.networking.models import Meeting, MeetingRequest, MeetingStatus, RequestStatus

from .conftest import add_tables, organisation, person

pytestmark = pytest.mark.django_db


def pairs(edition: Edition, *statuses: str) -> set[tuple[str, str]]:
    rows = Meeting.objects.filter(edition=edition, status__in=statuses or ["proposed"])
    found = set()
    for m in rows.select_related("first", "second"):
        a, b = sorted((m.first.name, m.second.name))
        found.add((a, b))
    return found


def test_colleagues_never_meet_and_people_without_consent_are_left_out(edition: Edition) -> None:
    ind, coa = organisation("IND"), organisation("COA")
    person(edition, "Anna IND", ind, "return", "housing")
    person(edition, "Bas IND", ind, "return", "housing")
    person(edition, "Carla COA", coa, "return", "housing")
    person(edition, "Daan COA", coa, "return", "housing", consent=False)
    add_tables(edition, 5)
    run = services.meetings_propose(edition=edition)
    assert run.proposed == 2
    assert pairs(edition) == {("Anna IND", "Carla COA"), ("Bas IND", "Carla COA")}


def test_tables_and_slots_limit_the_meetings(edition: Edition) -> None:
    # Six people of six organisations with the same interest could have three meetings in
    # each of the three slots; one table of two seats holds one meeting per slot.
    for n in range(6):
        person(edition, f"P{n} X", organisation(f"O{n}"), "return")
    add_tables(edition, 1)
    services.meetings_propose(edition=edition)
    meetings = list(Meeting.objects.filter(edition=edition).select_related("slot", "table"))
    assert len(meetings) == 3
    assert sorted(m.slot_id for m in meetings) == sorted(
        edition.networking_slots.values_list("pk", flat=True)
    )
    assert {m.table.number for m in meetings} == {1}


def test_at_most_the_maximum_per_person(edition: Edition) -> None:
    for n in range(4):
        person(edition, f"P{n} X", organisation(f"O{n}"), "return")
    add_tables(edition, 10)
    services.meetings_propose(edition=edition, max_meetings=1)
    assert Meeting.objects.filter(edition=edition).count() == 2


def test_a_request_must_be_accepted_and_is_then_placed_first(edition: Edition) -> None:
    anna = person(edition, "Anna A", organisation("IND"), "return")
    bas = person(edition, "Bas B", organisation("COA"), "housing")
    person(edition, "Carla C", organisation("VNG"), "minors")
    person(edition, "Daan D", organisation("VWN"), "minors")
    add_tables(edition, 1)
    bas.language = "en"
    bas.save()
    request = services.meeting_request_create(requester=anna, target=bas)
    mail = OutboxMessage.objects.get(to=bas.email)
    assert mail.subject == "Anna A would like to meet you at Chain Conference 2027"
    with pytest.raises(ValidationError):
        services.meeting_request_answer(request=request, by=anna, accept=True)
    # Not yet accepted: the one table goes to the pair with a shared interest.
    services.meetings_propose(edition=edition)
    assert pairs(edition) == {("Carla C", "Daan D")}
    services.meeting_request_answer(request=request, by=bas, accept=True)
    services.meetings_propose(edition=edition)
    placed = Meeting.objects.get(first=anna, second=bas)
    assert placed.from_request is True
    # The earliest slot with a free table: the first holds Carla and Daan's meeting.
    assert placed.slot == list(edition.networking_slots.all())[1]


def test_a_request_to_a_colleague_or_someone_without_consent_is_refused(edition: Edition) -> None:
    ind = organisation("IND")
    anna = person(edition, "Anna A", ind, "return")
    bas = person(edition, "Bas B", ind, "return")
    carla = person(edition, "Carla C", organisation("COA"), "return", consent=False)
    with translation.override("en"), pytest.raises(ValidationError) as colleague:
        services.meeting_request_create(requester=anna, target=bas)
    assert colleague.value.messages == [
        "Bas B works at your own organisation: networking here is across organisations."
    ]
    with pytest.raises(ValidationError):
        services.meeting_request_create(requester=anna, target=carla)
    with pytest.raises(ValidationError):
        services.meeting_request_create(requester=carla, target=anna)
    assert MeetingRequest.objects.count() == 0


def test_asking_someone_who_asked_you_accepts_their_request(edition: Edition) -> None:
    anna = person(edition, "Anna A", organisation("IND"), "return")
    bas = person(edition, "Bas B", organisation("COA"), "return")
    services.meeting_request_create(requester=anna, target=bas)
    services.meeting_request_create(requester=bas, target=anna)
    assert list(MeetingRequest.objects.values_list("status", flat=True)) == [RequestStatus.ACCEPTED]


def test_a_decline_frees_the_place_and_the_pair_is_not_proposed_again(edition: Edition) -> None:
    anna = person(edition, "Anna A", organisation("IND"), "return", "housing", "minors")
    bas = person(edition, "Bas B", organisation("COA"), "return", "housing")
    person(edition, "Carla C", organisation("VNG"), "minors")
    add_tables(edition, 1)
    services.meetings_propose(edition=edition, max_meetings=1)
    meeting = Meeting.objects.get()
    assert (meeting.first, meeting.second) == (anna, bas)
    services.meeting_answer(meeting=meeting, registration=bas, accept=False)
    assert Meeting.objects.get().status == MeetingStatus.DECLINED
    run = services.meetings_propose(edition=edition, max_meetings=1)
    assert run.proposed == 1
    assert pairs(edition) == {("Anna A", "Carla C")}
    assert Meeting.objects.get(status=MeetingStatus.PROPOSED).slot == meeting.slot


def test_both_accept_and_the_meeting_is_accepted(edition: Edition) -> None:
    anna = person(edition, "Anna A", organisation("IND"), "return")
    bas = person(edition, "Bas B", organisation("COA"), "return")
    add_tables(edition, 1)
    services.meetings_propose(edition=edition)
    meeting = Meeting.objects.get()
    services.meeting_answer(meeting=meeting, registration=anna, accept=True)
    assert Meeting.objects.get().status == MeetingStatus.PROPOSED
    services.meeting_answer(meeting=meeting, registration=bas, accept=True)
    assert Meeting.objects.get().status == MeetingStatus.ACCEPTED
    assert OutboxMessage.objects.filter(to__in=[anna.email, bas.email]).count() == 2


def test_a_meeting_of_someone_who_withdrew_consent_is_hidden_then_cancelled(
    edition: Edition,
) -> None:
    anna = person(edition, "Anna A", organisation("IND"), "return")
    bas = person(edition, "Bas B", organisation("COA"), "return")
    add_tables(edition, 1)
    services.meetings_propose(edition=edition)
    assert [m.other(anna).name for m in selectors.meetings_for(registration=anna)] == ["Bas B"]
    bas.networking_consent = False
    bas.save()
    assert selectors.meetings_for(registration=anna) == []
    services.meetings_propose(edition=edition)
    assert Meeting.objects.get().status == MeetingStatus.CANCELLED


def test_unknown_interests_are_refused(edition: Edition) -> None:
    anna = person(edition, "Anna A", organisation("IND"), "return")
    with pytest.raises(ValidationError) as raised:
        services.networking_set_profile(registration=anna, interests=["golf"], wanted_kinds=[])
    assert list(raised.value.message_dict) == ["interests"]


def test_no_tables_is_a_clear_message(edition: Edition) -> None:
    person(edition, "Anna A", organisation("IND"), "return")
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.meetings_propose(edition=edition)
    assert raised.value.messages == ["Add networking tables to the edition first."]


def test_metrics_for_organisers(edition: Edition) -> None:
    ind = organisation("IND", links=("asylum_procedure",))
    coa = organisation("COA", links=("reception",))
    ngo = organisation("VWN", kind=OrganisationKind.NGO, links=("integration",))
    person(edition, "Anna A", ind, "return", "housing")
    person(edition, "Bas B", coa, "return", "housing")
    person(edition, "Carla C", ngo, "return")
    add_tables(edition, 3)
    services.meetings_propose(edition=edition)
    summary = selectors.edition_networking(edition=edition)
    assert summary.metrics.meetings == 3
    assert summary.metrics.meetings_per_person == 2.0
    assert summary.metrics.organisation_pairs == 3
    assert summary.metrics.cross_kind_share == pytest.approx(2 / 3)
    assert summary.places_per_slot == 3
    assert summary.by_status == {"proposed": 3, "accepted": 0, "declined": 0, "cancelled": 0}


def test_a_large_edition_gets_its_meetings_from_the_worker(
    edition: Edition, django_capture_on_commit_callbacks
) -> None:
    from django_tasks_db.models import DBTaskResult

    from ketenconf.networking.models import MatchRunStatus
    from ketenconf.networking.tasks import execute_match_run

    person(edition, "Anna IND", organisation("IND"), "return")
    person(edition, "Carla COA", organisation("COA"), "return")
    add_tables(edition, 2)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.meetings_propose_start(edition=edition, background=True)
    assert run.status == MatchRunStatus.QUEUED
    assert not Meeting.objects.filter(edition=edition).exists()
    task = DBTaskResult.objects.get(task_path="ketenconf.networking.tasks.execute_match_run")
    assert task.args_kwargs == {"args": [run.pk], "kwargs": {}}
    # Asking again while it is queued is refused, with the reason.
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.meetings_propose_start(edition=edition, background=True)
    assert raised.value.messages == [
        "Meetings are being proposed for this edition; wait until that has finished."
    ]

    assert execute_match_run.call(run.pk) == "done"
    assert execute_match_run.call(run.pk) == "skipped"  # solved once, whoever calls again
    run.refresh_from_db()
    assert (run.status, run.proposed) == (MatchRunStatus.DONE, 1)
    assert pairs(edition) == {("Anna IND", "Carla COA")}
    assert OutboxMessage.objects.filter(edition=edition).count() == 2


def test_a_failing_background_run_says_why_and_changes_nothing(edition: Edition) -> None:
    from ketenconf.networking.models import MatchRunStatus

    person(edition, "Anna IND", organisation("IND"), "return")
    person(edition, "Carla COA", organisation("COA"), "return")
    # No tables: the set-up cannot be solved.
    with translation.override("en"):
        run = services.meetings_propose_start(edition=edition, background=True)
        assert services.meetings_propose_execute(run_id=run.pk) == "failed"
    run.refresh_from_db()
    assert run.status == MatchRunStatus.FAILED
    assert run.error == "Add networking tables to the edition first."
    assert not Meeting.objects.filter(edition=edition).exists()
    # A failed run does not block the next one.
    add_tables(edition, 1)
    assert services.meetings_propose_start(edition=edition).status == MatchRunStatus.DONE

"""Between the database and the matchmaking engine.

:func:`problem_build` makes the engine's input of an edition (ids are primary keys as
strings); :func:`result_apply` writes the meetings a run proposes. The engine never sees
the database; this module never solves and never mails.
"""

from __future__ import annotations

from collections import defaultdict

from ketenconf.events.models import Edition

from . import selectors
from .engine import Meeting as EngineMeeting
from .engine import Person, Problem, Result, Rules, Slot, Table, pair, pair_weight, shared_interests
from .models import (
    MatchRun,
    Meeting,
    MeetingRequest,
    MeetingStatus,
    NetworkingSlot,
    NetworkingTable,
    RequestStatus,
)


def problem_build(*, edition: Edition, max_meetings: int) -> Problem:
    """The engine's input, built from the edition; ids are primary keys as strings.

    Meetings still proposed or accepted are fixed; pairs declined (a meeting or a request)
    are excluded; accepted requests are placed first.
    """
    people = list(
        selectors.networking_participants(edition=edition).select_related(
            "organisation", "networking_profile"
        )
    )
    ids = {r.pk for r in people}
    persons = []
    for registration in people:
        profile = getattr(registration, "networking_profile", None)
        persons.append(
            Person(
                id=str(registration.pk),
                organisation=str(registration.organisation_id),
                kind=registration.organisation.kind,
                chain_links=tuple(registration.organisation.chain_links),
                interests=tuple(profile.interests) if profile else (),
                wanted_kinds=tuple(profile.wanted_kinds) if profile else (),
            )
        )
    slots = list(NetworkingSlot.objects.filter(edition=edition))
    tables = list(NetworkingTable.objects.filter(edition=edition))
    fixed = []
    excluded = set()
    for meeting in Meeting.objects.filter(edition=edition).order_by("pk"):
        pair = (str(meeting.first_id), str(meeting.second_id))
        if meeting.status in (MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED):
            if meeting.first_id in ids and meeting.second_id in ids:
                fixed.append(
                    EngineMeeting(pair[0], pair[1], str(meeting.slot_id), str(meeting.table_id))
                )
        else:
            excluded.add(pair)
    requests = []
    for request in MeetingRequest.objects.filter(edition=edition).order_by("answered_at", "pk"):
        if request.requester_id not in ids or request.target_id not in ids:
            continue
        low, high = sorted((request.requester_id, request.target_id))
        if request.status == RequestStatus.DECLINED:
            excluded.add((str(low), str(high)))
        elif request.status == RequestStatus.ACCEPTED:
            requests.append((str(request.requester_id), str(request.target_id)))
    requests = [
        (a, b) for a, b in requests if (min(a, b, key=int), max(a, b, key=int)) not in excluded
    ]
    excluded_in = sorted(p for p in excluded if int(p[0]) in ids and int(p[1]) in ids)
    return Problem(
        slots=tuple(Slot(str(s.pk), str(s)) for s in slots),
        tables=tuple(Table(str(t.pk), t.number, t.seats) for t in tables),
        people=tuple(persons),
        rules=Rules(max_meetings=max_meetings),
        requests=tuple(dict.fromkeys(requests)),
        fixed=tuple(fixed),
        excluded=tuple(excluded_in),
    )


def result_apply(*, run: MatchRun, problem: Problem, result: Result) -> dict[int, int]:
    """Write the run's new meetings; per registration id, how many new meetings it got."""
    problem_people = {person.id: person for person in problem.people}
    requested = {pair(a, b) for a, b in problem.requests}
    rows = []
    for meeting in result.meetings:
        a, b = sorted((meeting.first, meeting.second), key=int)
        rows.append(
            Meeting(
                edition_id=run.edition_id,
                run=run,
                slot_id=int(meeting.slot),
                table_id=int(meeting.table),
                first_id=int(a),
                second_id=int(b),
                from_request=pair(a, b) in requested,
                weight=pair_weight(problem_people[a], problem_people[b], problem.rules),
                shared_interests=shared_interests(problem_people[a], problem_people[b]),
            )
        )
    Meeting.objects.bulk_create(rows)
    new_for: dict[int, int] = defaultdict(int)
    for row in rows:
        new_for[row.first_id] += 1
        new_for[row.second_id] += 1
    return dict(new_for)

"""Who sat in which session, and who met whom at a networking table: read once for an edition.

A session counts as attended when the participant was checked in at its room door. Editions
that did not check people in at the rooms fall back to the seats of the published workshop
assignment, and then only for participants who came in at the entrance, when the entrance was
used. Networking meetings count when both accepted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ketenconf.allocation.models import Assignment
from ketenconf.allocation.selectors import published_run
from ketenconf.checkin.models import CheckIn, CheckInKind
from ketenconf.events.models import Edition
from ketenconf.networking.models import Meeting, MeetingStatus


@dataclass(frozen=True)
class Attendance:
    #: "rooms": room check-ins; "assignment": published seats; "none": neither is known.
    source: str
    #: session id -> registration ids of those who attended it
    by_session: dict[int, frozenset[int]]
    #: registration id -> session ids they attended
    by_registration: dict[int, frozenset[int]]


def _invert(pairs: list[tuple[int, int]]) -> tuple[dict[int, frozenset[int]], ...]:
    by_session: defaultdict[int, set[int]] = defaultdict(set)
    by_registration: defaultdict[int, set[int]] = defaultdict(set)
    for registration_id, session_id in pairs:
        by_session[session_id].add(registration_id)
        by_registration[registration_id].add(session_id)
    return (
        {key: frozenset(value) for key, value in by_session.items()},
        {key: frozenset(value) for key, value in by_registration.items()},
    )


def edition_attendance(*, edition: Edition) -> Attendance:
    room_pairs = list(
        CheckIn.objects.filter(edition=edition, kind=CheckInKind.ROOM).values_list(
            "registration_id", "session_id"
        )
    )
    if room_pairs:
        by_session, by_registration = _invert([(r, s) for r, s in room_pairs if s is not None])
        return Attendance("rooms", by_session, by_registration)
    run = published_run(edition=edition)
    if run is None:
        return Attendance("none", {}, {})
    seats = Assignment.objects.filter(run=run, registration__status="registered")
    entries = CheckIn.objects.filter(edition=edition, kind=CheckInKind.ENTRY)
    if entries.exists():
        seats = seats.filter(registration__in=entries.values("registration_id"))
    by_session, by_registration = _invert(list(seats.values_list("registration_id", "session_id")))
    return Attendance("assignment", by_session, by_registration)


def sessions_attended(*, edition: Edition, registration_id: int) -> frozenset[int]:
    """The sessions one participant attended, by the same rules as the whole edition, reading
    only this participant's rows (the survey page and every submit ask this)."""
    rooms = CheckIn.objects.filter(edition=edition, kind=CheckInKind.ROOM)
    mine = frozenset(
        rooms.filter(registration_id=registration_id, session__isnull=False).values_list(
            "session_id", flat=True
        )
    )
    if mine or rooms.exists():
        return mine
    run = published_run(edition=edition)
    if run is None:
        return frozenset()
    entries = CheckIn.objects.filter(edition=edition, kind=CheckInKind.ENTRY)
    if entries.exists() and not entries.filter(registration_id=registration_id).exists():
        return frozenset()
    return frozenset(
        Assignment.objects.filter(
            run=run, registration_id=registration_id, registration__status="registered"
        ).values_list("session_id", flat=True)
    )


def meeting_pairs(*, edition: Edition) -> list[tuple[int, int]]:
    """Registration ids of both sides of every accepted networking meeting."""
    return list(
        Meeting.objects.filter(edition=edition, status=MeetingStatus.ACCEPTED).values_list(
            "first_id", "second_id"
        )
    )

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


def _attended(
    *, edition: Edition, registration_id: int | None
) -> tuple[str, list[tuple[int, int]]]:
    """(source, [(registration id, session id)]) by the rules above: everyone's, or one
    participant's read from their own rows only."""
    rooms = CheckIn.objects.filter(edition=edition, kind=CheckInKind.ROOM)
    mine = rooms if registration_id is None else rooms.filter(registration_id=registration_id)
    room_pairs = list(mine.values_list("registration_id", "session_id"))
    if room_pairs or (registration_id is not None and rooms.exists()):
        return "rooms", [(r, s) for r, s in room_pairs if s is not None]
    run = published_run(edition=edition)
    if run is None:
        return "none", []
    seats = Assignment.objects.filter(run=run, registration__status="registered")
    if registration_id is not None:
        seats = seats.filter(registration_id=registration_id)
    entries = CheckIn.objects.filter(edition=edition, kind=CheckInKind.ENTRY)
    if entries.exists():
        seats = seats.filter(registration__in=entries.values("registration_id"))
    return "assignment", list(seats.values_list("registration_id", "session_id"))


def edition_attendance(*, edition: Edition) -> Attendance:
    source, pairs = _attended(edition=edition, registration_id=None)
    by_session, by_registration = _invert(pairs)
    return Attendance(source, by_session, by_registration)


def sessions_attended(*, edition: Edition, registration_id: int) -> frozenset[int]:
    """The sessions one participant attended, by the same rules as the whole edition, reading
    only this participant's rows (the survey page and every submit ask this)."""
    _source, pairs = _attended(edition=edition, registration_id=registration_id)
    return frozenset(session_id for _, session_id in pairs)


def meeting_pairs(*, edition: Edition) -> list[tuple[int, int]]:
    """Registration ids of both sides of every accepted networking meeting."""
    return list(
        Meeting.objects.filter(edition=edition, status=MeetingStatus.ACCEPTED).values_list(
            "first_id", "second_id"
        )
    )

"""Reads for networking: what a participant sees, who they may ask, what organisers see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ketenconf.core.personal_data import when
from ketenconf.events.models import Edition
from ketenconf.registration.models import Registration, RegistrationStatus

from .engine import Meeting as EngineMeeting
from .engine import Metrics, Person, Problem, Slot, Table, metrics
from .models import (
    ACTIVE_MEETING,
    Meeting,
    MeetingRequest,
    MeetingStatus,
    NetworkingProfile,
    NetworkingSlot,
    NetworkingTable,
    RequestStatus,
)

#: People shown for one search: enough to find someone, too few to list the crowd.
SEARCH_LIMIT = 20


def networking_participants(*, edition: Edition) -> QuerySet[Registration]:
    """Who takes part in networking: a seat, consent, and personal data still there."""
    return Registration.objects.filter(
        edition=edition,
        status=RegistrationStatus.REGISTERED,
        networking_consent=True,
        anonymised_at__isnull=True,
    )


def registration_in_networking(*, registration: Registration) -> bool:
    return (
        registration.status == RegistrationStatus.REGISTERED
        and registration.networking_consent
        and registration.anonymised_at is None
    )


def profile_for(*, registration: Registration) -> NetworkingProfile | None:
    return NetworkingProfile.objects.filter(registration=registration).first()


def _visible(queryset: QuerySet[Meeting], registration: Registration) -> QuerySet[Meeting]:
    """A person's meetings whose other person still takes part (else their name stays hidden)."""
    others = networking_participants(edition=registration.edition).values("pk")
    return queryset.filter(
        (Q(first=registration) & Q(second__in=others))
        | (Q(second=registration) & Q(first__in=others))
    )


def meetings_for(*, registration: Registration) -> list[Meeting]:
    """The participant's proposed and accepted meetings, by time."""
    return list(
        _visible(Meeting.objects.filter(ACTIVE_MEETING), registration)
        .select_related("slot", "table", "first__organisation", "second__organisation")
        .order_by("slot__start", "table__number", "pk")
    )


def meeting_for(*, registration: Registration, pk: int) -> Meeting | None:
    return (
        Meeting.objects.filter(Q(first=registration) | Q(second=registration), pk=pk)
        .select_related("slot", "table", "first__organisation", "second__organisation")
        .first()
    )


def requests_received(*, registration: Registration) -> list[MeetingRequest]:
    others = networking_participants(edition=registration.edition).values("pk")
    return list(
        MeetingRequest.objects.filter(
            target=registration, status=RequestStatus.PENDING, requester__in=others
        ).select_related("requester__organisation")
    )


def requests_made(*, registration: Registration) -> list[MeetingRequest]:
    """The participant's own requests. The other's name shows: they consented to networking."""
    others = networking_participants(edition=registration.edition).values("pk")
    return list(
        MeetingRequest.objects.filter(requester=registration, target__in=others).select_related(
            "target__organisation"
        )
    )


def people_search(*, registration: Registration, query: str) -> list[Registration]:
    """Participants who consented to networking, by name or organisation, not colleagues."""
    words = query.split()
    if not words or len(query.strip()) < 2:
        return []
    found = networking_participants(edition=registration.edition).exclude(
        organisation=registration.organisation
    )
    for word in words:
        found = found.filter(
            Q(name__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(organisation__short_name__iexact=word)
        )
    return list(found.select_related("organisation").order_by("name", "pk")[:SEARCH_LIMIT])


# --- Organisers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EditionNetworking:
    slots: list[NetworkingSlot]
    tables: int
    places_per_slot: int
    participants: int
    with_profile: int
    requests_pending: int
    requests_accepted: int
    by_status: dict[str, int]
    metrics: Metrics


def problem_for_edition(*, edition: Edition, max_meetings: int) -> Problem:
    """The engine's input, built from the edition; ids are primary keys as strings.

    Meetings still proposed or accepted are fixed; pairs declined (a meeting or a request)
    are excluded; accepted requests are placed first.
    """
    from .engine import Rules

    people = list(
        networking_participants(edition=edition).select_related(
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


def edition_networking(*, edition: Edition) -> EditionNetworking:
    """The figures on the organisers' page: set-up, answers, and the metrics of the meetings."""
    problem = problem_for_edition(edition=edition, max_meetings=3)
    slots = list(NetworkingSlot.objects.filter(edition=edition).select_related("block"))
    tables = list(NetworkingTable.objects.filter(edition=edition))
    by_status = dict.fromkeys(MeetingStatus.values, 0)
    for status in Meeting.objects.filter(edition=edition).values_list("status", flat=True):
        by_status[status] += 1
    requests = MeetingRequest.objects.filter(edition=edition)
    return EditionNetworking(
        slots=slots,
        tables=len(tables),
        places_per_slot=sum(t.seats // 2 for t in tables),
        participants=len(problem.people),
        # Those who chose something: an empty profile pairs nobody.
        with_profile=sum(1 for person in problem.people if person.interests or person.wanted_kinds),
        requests_pending=requests.filter(status=RequestStatus.PENDING).count(),
        requests_accepted=requests.filter(status=RequestStatus.ACCEPTED).count(),
        by_status=by_status,
        metrics=metrics(problem, problem.fixed),
    )


def networking_missing(*, summary: EditionNetworking) -> list[str]:
    """What keeps the engine from proposing any meeting, in the organisers' words; empty when
    nothing is missing. The engine pairs people of different organisations who share an
    interest or want to meet the other's kind (or whose request was accepted), in a slot, at a
    table."""
    missing = []
    if not summary.slots:
        missing.append(_("There are no networking slots: add slots in a networking block."))
    if not summary.tables:
        missing.append(_("There are no networking tables: add tables."))
    if summary.participants == 0:
        missing.append(_("Nobody takes part: no participant with a seat has agreed to networking."))
    elif summary.participants == 1:
        missing.append(_("Only one participant takes part in networking; a meeting needs two."))
    elif summary.with_profile == 0 and summary.requests_accepted == 0:
        missing.append(
            _(
                "Nobody who takes part has chosen what they want to talk about or whom they "
                "want to meet, and no request was accepted: meetings are proposed to people "
                "with something in common."
            )
        )
    return missing


def personal_data(*, registration: Registration) -> dict[str, Any] | None:
    """What networking keeps about the participant, for the download of their own data: the
    profile, the meetings and the requests (the other's name shows, as on their page)."""
    profile = profile_for(registration=registration)
    meetings = meetings_for(registration=registration)
    made = requests_made(registration=registration)
    received = requests_received(registration=registration)
    if profile is None and not (meetings or made or received):
        return None

    def other(meeting: Meeting) -> Registration:
        return meeting.second if meeting.first_id == registration.pk else meeting.first

    return {
        "profile": (
            {"interests": profile.interests, "wanted_kinds": profile.wanted_kinds}
            if profile is not None
            else None
        ),
        "meetings": [
            {
                "with": other(m).name,
                "organisation": other(m).organisation.name,
                "start": when(m.slot.start),
                "table": m.table.number,
                "status": m.status,
                "your_answer": m.first_answer if m.first_id == registration.pk else m.second_answer,
            }
            for m in meetings
        ],
        "requests_made": [
            {"to": r.target.name, "organisation": r.target.organisation.name, "status": r.status}
            for r in made
        ],
        "requests_received": [
            {
                "from": r.requester.name,
                "organisation": r.requester.organisation.name,
                "status": r.status,
            }
            for r in received
        ],
    }

"""Reads for networking: what a participant sees, who they may ask, what organisers see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ketenconf.core.personal_data import when
from ketenconf.events.models import Edition
from ketenconf.registration.models import Registration, RegistrationStatus

from . import adapter
from .engine import Metrics, metrics
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


def edition_networking(*, edition: Edition) -> EditionNetworking:
    """The figures on the organisers' page: set-up, answers, and the metrics of the meetings."""
    problem = adapter.problem_build(edition=edition, max_meetings=3)
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

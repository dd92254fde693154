"""``{% personal_networking registration as networking %}``: the networking part of the personal page."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from ketenconf.registration.models import Registration

from .. import selectors
from ..models import Meeting

register = template.Library()


@dataclass(frozen=True)
class PersonalMeeting:
    slot: object
    table: object
    other: Registration
    status: str


@dataclass(frozen=True)
class PersonalNetworking:
    meetings: list[PersonalMeeting]
    requests: int


def _row(meeting: Meeting, registration: Registration) -> PersonalMeeting:
    return PersonalMeeting(meeting.slot, meeting.table, meeting.other(registration), meeting.status)


@register.simple_tag
def personal_networking(registration: Registration) -> PersonalNetworking:
    """The participant's meetings and the number of requests awaiting their answer."""
    return PersonalNetworking(
        meetings=[_row(m, registration) for m in selectors.meetings_for(registration=registration)],
        requests=len(selectors.requests_received(registration=registration)),
    )

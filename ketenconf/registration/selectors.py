"""Reads on registrations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ketenconf.core.personal_data import personal_data_sections
from ketenconf.core.personal_data import when as _when
from ketenconf.events.models import Edition
from ketenconf.mail.models import OutboxMessage
from ketenconf.programme.models import Block, BlockKind, Session, Topic

from .hot_path import public_edition as public_edition
from .hot_path import waitlist_position as waitlist_position
from .models import AccessToken, Preference, Registration, RegistrationStatus


def edition_counts(*, edition: Edition) -> dict[str, Any]:
    """The edition's capacity and its registrations counted by status (every status listed)."""
    counted = dict(
        Registration.objects.filter(edition=edition)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "slug": edition.slug,
        "status": edition.status,
        "capacity": edition.capacity,
        "seats_taken": edition.seats_taken,
        "counts": {status: counted.get(status, 0) for status in RegistrationStatus.values},
    }


def registration_personal_data(*, registration: Registration) -> dict[str, Any]:
    """Everything stored about one registration, ready for ``json.dumps``: the participant's copy.

    Details, status and its times, the ranked workshops (titles in the active language),
    the rounds not attended, the personal links (times only, never a secret) and the mails
    the outbox holds for this address in this edition (subject and times, not the text,
    which holds personal links), then what the other parts of ketenconf keep about them
    (the sections the apps register with ``core.personal_data``). Times are ISO 8601 in the
    site's time zone.
    """
    preferences = (
        Preference.objects.filter(registration=registration)
        .select_related("topic")
        .order_by("rank")
    )
    absent = registration.absent_rounds.order_by("start", "end")
    tokens = AccessToken.objects.filter(registration=registration).order_by("created_at", "pk")
    mails = OutboxMessage.objects.filter(
        to=registration.email, edition_id=registration.edition_id
    ).order_by("created_at", "pk")
    return {
        "edition": {"slug": registration.edition.slug, "title": registration.edition.title},
        "registration": {
            "name": registration.name,
            "email": registration.email,
            "organisation": registration.organisation.name,
            "job_title": registration.job_title,
            "needs_step_free": registration.needs_step_free,
            "networking_consent": registration.networking_consent,
            "wants_better_seat": registration.wants_better_seat,
            "arrives_from": str(registration.arrives_from) if registration.arrives_from else None,
            "language": registration.language,
            "status": registration.status,
            "waitlist_position": waitlist_position(registration=registration),
            "registered_at": _when(registration.created_at),
            "email_confirmed_at": _when(registration.confirmed_at),
            "waitlisted_at": _when(registration.waitlisted_at),
            "cancelled_at": _when(registration.cancelled_at),
        },
        "preferences": [{"rank": p.rank, "topic": p.topic.title} for p in preferences],
        "rounds_not_attended": [
            {"round": str(block), "start": _when(block.start), "end": _when(block.end)}
            for block in absent
        ],
        "personal_links": [
            {
                "created_at": _when(token.created_at),
                "expires_at": _when(token.expires_at),
                "used_at": _when(token.used_at),
            }
            for token in tokens
        ],
        "mails": [
            {
                "subject": mail.subject,
                "created_at": _when(mail.created_at),
                "sent_at": _when(mail.sent_at),
            }
            for mail in mails
        ],
        **personal_data_sections(registration=registration),
    }


@dataclass(frozen=True)
class UnattendedChoice:
    """A ranked workshop that runs only in rounds the participant said they do not attend."""

    topic: Topic
    rank: int
    rounds: list[Block]

    @property
    def round_names(self) -> str:
        return ", ".join(str(block) for block in self.rounds)


def choices_in_unattended_rounds(*, registration: Registration) -> list[UnattendedChoice]:
    """The participant's ranked workshops, best first, that they cannot get a seat in: every
    round the workshop runs in is one they unticked. Three queries; none without unticked
    rounds."""
    absent = set(registration.absent_rounds.values_list("pk", flat=True))
    if not absent:
        return []
    preferences = list(
        Preference.objects.filter(registration=registration)
        .select_related("topic")
        .order_by("rank")
    )
    rounds_of: dict[int, dict[int, Block]] = defaultdict(dict)
    sessions = Session.objects.filter(
        topic_id__in=[p.topic_id for p in preferences], block__kind=BlockKind.ROUND
    ).select_related("block")
    for session in sessions.order_by("block__start", "pk"):
        rounds_of[session.topic_id][session.block_id] = session.block
    return [
        UnattendedChoice(topic=p.topic, rank=p.rank, rounds=list(blocks.values()))
        for p in preferences
        if (blocks := rounds_of[p.topic_id]) and set(blocks) <= absent
    ]


class Listed(StrEnum):
    """The filters of the organisers' list of registrations."""

    ALL = "all"
    REGISTERED = "registered"
    UNCONFIRMED = "unconfirmed"
    WAITLISTED = "waitlisted"
    ENDED = "ended"  # cancelled or released


def registrations_for_organisers(
    *, edition: Edition, search: str = "", listed: str = Listed.ALL
) -> QuerySet[Registration]:
    """The organisers' list: searched in name, address and organisation, filtered by status.

    The waiting list comes in its order (first in line first); the rest by name."""
    rows = Registration.objects.filter(edition=edition).select_related("organisation")
    for word in search.split():
        rows = rows.filter(
            Q(name__icontains=word)
            | Q(email__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    if listed == Listed.REGISTERED:
        rows = rows.filter(status=RegistrationStatus.REGISTERED)
    elif listed == Listed.UNCONFIRMED:
        rows = rows.filter(status=RegistrationStatus.REGISTERED, confirmed_at__isnull=True)
    elif listed == Listed.WAITLISTED:
        return rows.filter(status=RegistrationStatus.WAITLISTED).order_by("waitlisted_at", "pk")
    elif listed == Listed.ENDED:
        rows = rows.filter(status__in=[RegistrationStatus.CANCELLED, RegistrationStatus.RELEASED])
    return rows.order_by("name", "pk")


def registration_for_organisers(*, edition: Edition, pk: int) -> Registration:
    """One registration of the edition with what its page shows; 404 when not of this edition."""
    return get_object_or_404(
        Registration.objects.select_related("organisation", "edition").prefetch_related(
            Prefetch("preferences", Preference.objects.select_related("topic").order_by("rank"))
        ),
        edition=edition,
        pk=pk,
    )


def doors_open_at(*, edition: Edition) -> datetime | None:
    """When the doors open: the edition's setting, else the start of its first workshop round
    (``None`` without rounds). Until then participants may change their choices for the day."""
    if edition.doors_open_at is not None:
        return edition.doors_open_at
    return (
        Block.objects.filter(edition=edition, kind=BlockKind.ROUND)
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )


def ranks_for_the_day(*, registration: Registration, now: datetime | None = None) -> bool:
    """Whether a registration may rank the workshops after the ranking closed: it has a seat
    at the conference but none in the published assignment (a walk-in at the desk, or someone
    who registered after the seats were given out), and a workshop round has yet to start, so
    the day's re-offer can seat it by its choices. Two queries."""
    from ketenconf.allocation.models import Assignment
    from ketenconf.allocation.selectors import published_run_id

    if registration.status != RegistrationStatus.REGISTERED:
        return False
    run_id = published_run_id(edition_id=registration.edition_id)
    if run_id is None:
        return False
    now = now or timezone.now()
    return (
        Block.objects.filter(
            edition_id=registration.edition_id, kind=BlockKind.ROUND, start__gt=now
        ).exists()
        and not Assignment.objects.filter(run_id=run_id, registration=registration).exists()
    )


def ranking_open_for(*, registration: Registration, now: datetime | None = None) -> bool:
    """Whether this registration may rank the workshops now: while the edition's ranking is
    open, and after it for the day's re-offer (:func:`ranks_for_the_day`)."""
    now = now or timezone.now()
    return registration.edition.ranking_is_open(now) or ranks_for_the_day(
        registration=registration, now=now
    )


def day_choices_open(*, edition: Edition, now: datetime | None = None) -> bool:
    """Whether a participant may still change a better seat on the day or a later arrival."""
    opens = doors_open_at(edition=edition)
    return opens is None or (now or timezone.now()) < opens

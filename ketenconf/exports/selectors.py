"""Reads for the exports: an edition's schedule, whole or for a chosen set of sessions, and a
participant's calendar address and the sessions it shows."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import override

from ketenconf.allocation.selectors import personal_programme
from ketenconf.core.personal_data import when
from ketenconf.events.models import Edition
from ketenconf.programme.models import Block, BlockKind, Host, Session
from ketenconf.programme.selectors import programme_for_edition
from ketenconf.registration.models import Registration

from .models import CalendarFeed


@dataclass(frozen=True)
class ScheduleData:
    """What an export shows: sessions in time order (largest room first within a block), with
    topic, hosts, room and block loaded; and the blocks no session runs in (arrival, breaks,
    the market, drinks), which are on everyone's day."""

    edition: Edition
    sessions: list[Session]
    open_blocks: list[Block]


def sessions_with_details(*, edition: Edition) -> QuerySet[Session]:
    """The edition's sessions with what an export reads, for a caller to filter (a personal
    calendar: the sessions of one participant) before passing them to ``render()``."""
    hosts = Prefetch("topic__hosts", queryset=Host.objects.select_related("organisation"))
    return (
        Session.objects.filter(edition=edition)
        .select_related("topic", "room", "block")
        .prefetch_related(hosts)
    )


def _session_order(session: Session) -> tuple[object, ...]:
    return (session.block.start, -session.room.capacity, session.room.name, session.pk)


def schedule_data(*, edition: Edition, sessions: Iterable[Session] | None = None) -> ScheduleData:
    """The whole public programme (three queries, whatever its size), or only ``sessions``
    (loaded with :func:`sessions_with_details`) and the open blocks (one query more)."""
    if sessions is None:
        rows = programme_for_edition(edition=edition)
        return ScheduleData(
            edition=edition,
            sessions=[session for row in rows for session in row.sessions],
            open_blocks=[row.block for row in rows if not row.sessions],
        )
    chosen = list(sessions)
    strangers = sorted(s.pk for s in chosen if s.edition_id != edition.pk)
    if strangers:
        raise ValueError(f"Sessions {strangers} are not of edition {edition.slug!r}.")
    open_blocks = Block.objects.filter(edition=edition, sessions__isnull=True).order_by(
        "start", "end"
    )
    return ScheduleData(
        edition=edition, sessions=sorted(chosen, key=_session_order), open_blocks=list(open_blocks)
    )


# A participant's calendar address ----------------------------------------------------------

CALENDAR_SALT = "ketenconf.exports.calendar"
KEY_LENGTH = 20


def _signature(key: str) -> str:
    digest = salted_hmac(CALENDAR_SALT, key, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:27]


def calendar_feed_token(*, feed: CalendarFeed) -> str:
    """The secret part of the address: the stored key and its keyed hash."""
    return f"{feed.key}{_signature(feed.key)}"


def calendar_feed_url(*, registration: Registration) -> str | None:
    """The participant's calendar address in their language, or ``None`` without one. One query."""
    feed = CalendarFeed.objects.filter(registration=registration).first()
    if feed is None:
        return None
    with override(registration.language):
        path = reverse(
            "calendar_feed",
            kwargs={"slug": registration.edition.slug, "token": calendar_feed_token(feed=feed)},
        )
    return f"{settings.BASE_URL}{path}"


def calendar_feed_registration(*, token: str) -> Registration | None:
    """Whose calendar this address is; ``None`` for an unknown, stopped or tampered address and
    for a registration whose data is anonymised."""
    key, signature = token[:KEY_LENGTH], token[KEY_LENGTH:]
    if len(key) != KEY_LENGTH or not secrets.compare_digest(signature, _signature(key)):
        return None
    feed = (
        CalendarFeed.objects.select_related("registration__edition__venue")
        .filter(key=key, registration__anonymised_at__isnull=True)
        .first()
    )
    return feed.registration if feed is not None else None


def personal_calendar_sessions(*, registration: Registration) -> list[Session]:
    """What the participant's calendar shows: with a seat, the sessions outside the workshop
    rounds (everyone's: the opening, the plenary panel, the closing) and their own published
    workshops; without a seat, nothing."""
    if not registration.has_seat:
        return []
    own = [item.session.pk for item in personal_programme(registration=registration)]
    return list(
        sessions_with_details(edition=registration.edition).filter(
            ~Q(block__kind=BlockKind.ROUND) | Q(pk__in=own)
        )
    )


def personal_data(*, registration: Registration) -> dict[str, Any] | None:
    """Whether the participant made a personal calendar address, and when, for their own
    download (the address itself is on their page: a download passed on must not open it)."""
    feed = CalendarFeed.objects.filter(registration=registration).first()
    return {"made_at": when(feed.created_at)} if feed is not None else None

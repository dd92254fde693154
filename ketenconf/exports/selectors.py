"""Reads for the exports: an edition's schedule, whole or for a chosen set of sessions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from ketenconf.events.models import Edition
from ketenconf.programme.models import Block, Host, Session
from ketenconf.programme.selectors import programme_for_edition


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

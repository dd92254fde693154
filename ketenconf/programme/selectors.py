"""Reads on the programme."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from ketenconf.events.models import Edition, Organisation, Room

from .models import Block, Host, Session


@dataclass
class ProgrammeBlock:
    block: Block
    sessions: list[Session] = field(default_factory=list)

    @property
    def is_parallel(self) -> bool:
        return len(self.sessions) > 1 or self.block.is_round


def _sessions_with_details() -> QuerySet[Session]:
    hosts = Prefetch("topic__hosts", queryset=Host.objects.select_related("organisation"))
    return Session.objects.select_related("topic", "room", "block").prefetch_related(hosts)


def programme_for_edition(*, edition: Edition) -> list[ProgrammeBlock]:
    """The day as blocks in time order, each with its sessions ordered by room. Three queries."""
    rows = {
        block.pk: ProgrammeBlock(block=block)
        for block in Block.objects.filter(edition=edition).order_by("start", "end")
    }
    for session in (
        _sessions_with_details()
        .filter(edition=edition)
        .order_by("block__start", "-room__capacity", "room__name")
    ):
        rows[session.block_id].sessions.append(session)
    return list(rows.values())


def session_public_get(*, edition: Edition, pk: int) -> Session:
    return get_object_or_404(_sessions_with_details().filter(edition=edition), pk=pk)


def other_sessions_of_topic(*, session: Session) -> list[Session]:
    """The same topic in other rounds, so a participant sees when else it runs."""
    return list(
        Session.objects.filter(topic_id=session.topic_id)
        .exclude(pk=session.pk)
        .select_related("block", "room")
        .order_by("block__start")
    )


@dataclass(frozen=True)
class ProgrammeFilter:
    """What a visitor chose to see: a theme (as shown in their language) and a host's
    organisation; empty means everything."""

    theme: str = ""
    organisation_id: int | None = None

    @property
    def is_active(self) -> bool:
        return bool(self.theme) or self.organisation_id is not None

    def keeps(self, session: Session) -> bool:
        if self.theme and session.topic.theme != self.theme:
            return False
        return self.organisation_id is None or any(
            host.organisation_id == self.organisation_id for host in session.topic.hosts.all()
        )


@dataclass(frozen=True)
class FilterOptions:
    themes: list[str]
    organisations: list[Organisation]


def programme_filter_options(*, blocks: list[ProgrammeBlock]) -> FilterOptions:
    """The themes and the hosts' organisations in the programme, from blocks already loaded."""
    themes: set[str] = set()
    organisations: dict[int, Organisation] = {}
    for row in blocks:
        for session in row.sessions:
            if session.topic.theme:
                themes.add(session.topic.theme)
            for host in session.topic.hosts.all():
                if host.organisation is not None:
                    organisations[host.organisation.pk] = host.organisation
    return FilterOptions(
        themes=sorted(themes, key=str.casefold),
        organisations=sorted(organisations.values(), key=lambda o: o.name.casefold()),
    )


def programme_filtered(
    *, blocks: list[ProgrammeBlock], chosen: ProgrammeFilter
) -> list[ProgrammeBlock]:
    """Only the sessions the filter keeps, in blocks that still have one."""
    if not chosen.is_active:
        return blocks
    kept = [
        ProgrammeBlock(block=row.block, sessions=[s for s in row.sessions if chosen.keeps(s)])
        for row in blocks
    ]
    return [row for row in kept if row.sessions]


@dataclass(frozen=True)
class GridRow:
    """One block as a row of the wide programme: a cell per room for a round, else one cell."""

    block: Block
    cells: list[Session | None]
    spanning: list[Session]


def programme_grid(*, blocks: list[ProgrammeBlock]) -> tuple[list[Room], list[GridRow]]:
    """The programme as rooms across and time down: the rooms of the parallel blocks, largest
    first, and a row per block."""
    rooms: dict[int, Room] = {}
    for row in blocks:
        if row.is_parallel:
            for session in row.sessions:
                rooms.setdefault(session.room.pk, session.room)
    columns = sorted(rooms.values(), key=lambda r: (-r.capacity, r.name))
    rows = []
    for row in blocks:
        if row.is_parallel:
            by_room = {session.room_id: session for session in row.sessions}
            rows.append(GridRow(row.block, [by_room.get(room.pk) for room in columns], []))
        else:
            rows.append(GridRow(row.block, [], row.sessions))
    return columns, rows

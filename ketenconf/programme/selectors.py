"""Reads on the programme."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from ketenconf.events.models import Edition

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

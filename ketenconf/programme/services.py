"""Every write to the programme: blocks, topics, their hosts and sessions.

The admin, the organisers' pages, the call for proposals, the schedule, the imports and the
next-edition copy all write here, so the public programme's cache is renewed in one place,
explicitly, also for bulk writes (``bulk_create`` and queryset ``delete``/``update`` send no
signals). Each function validates what it writes (``full_clean``), so a caller that wants the
messages per field catches ``ValidationError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db import transaction
from django.db.models import QuerySet

from ketenconf.audit.models import AuditPart
from ketenconf.audit.services import audit_record, audit_save, stored_snapshot
from ketenconf.events.models import Organisation

from .cache import programme_cache_invalidate
from .models import Block, Host, Session, Topic


def programme_changed(*, edition_id: int) -> None:
    """The public programme of the edition shows the change on the next request, in every
    process (see :mod:`ketenconf.programme.cache`)."""
    programme_cache_invalidate(edition_id=edition_id)


_Row = TypeVar("_Row", Block, Topic, Host, Session)


@transaction.atomic
def _save(row: _Row, *, edition_id: int) -> _Row:
    row.full_clean()
    before = stored_snapshot(row)
    row.save()
    audit_save(edition=edition_id, part=AuditPart.PROGRAMME, row=row, before=before)
    programme_changed(edition_id=edition_id)
    return row


@transaction.atomic
def _delete(row: Block | Topic | Host | Session, *, edition_id: int) -> None:
    audit_record(
        edition=edition_id,
        part=AuditPart.PROGRAMME,
        action="delete",
        target=row,
        before=stored_snapshot(row),
    )
    row.delete()
    programme_changed(edition_id=edition_id)


# Blocks -----------------------------------------------------------------------------------------


def block_save(*, block: Block) -> Block:
    """Add or change a block of the day."""
    return _save(block, edition_id=block.edition_id)


def block_delete(*, block: Block) -> None:
    """Remove a block, with its sessions."""
    _delete(block, edition_id=block.edition_id)


# Topics and their hosts -------------------------------------------------------------------------


@dataclass(frozen=True)
class HostIn:
    """A host as written with a topic: the name and the organisation (if any)."""

    name: str
    organisation: Organisation | None = None


def topic_save(*, topic: Topic) -> Topic:
    """Add or change a topic (its titles, descriptions, kind, theme, language)."""
    return _save(topic, edition_id=topic.edition_id)


def topic_delete(*, topic: Topic) -> None:
    """Remove a topic, with its hosts and sessions."""
    _delete(topic, edition_id=topic.edition_id)


@transaction.atomic
def topic_create(*, topic: Topic, hosts: Iterable[HostIn] = ()) -> Topic:
    """A new topic with its hosts, in the order given."""
    topic_save(topic=topic)
    topic_hosts_set(topic=topic, hosts=hosts)
    return topic


@transaction.atomic
def topic_hosts_set(*, topic: Topic, hosts: Iterable[HostIn]) -> list[Host]:
    """The topic's hosts become these, in this order; the ones it had go."""
    before = [str(host) for host in topic.hosts.all()]
    topic.hosts.all().delete()
    rows = [
        Host(
            topic=topic,
            name=host.name[: Host._meta.get_field("name").max_length],
            organisation=host.organisation,
            order=order,
        )
        for order, host in enumerate(hosts)
    ]
    for row in rows:
        row.full_clean(exclude=["topic"])
    Host.objects.bulk_create(rows)
    audit_record(
        edition=topic.edition_id,
        part=AuditPart.PROGRAMME,
        action="change",
        target=topic,
        before={"hosts": before},
        after={"hosts": [str(host) for host in rows]},
    )
    programme_changed(edition_id=topic.edition_id)
    return rows


def host_save(*, host: Host) -> Host:
    """Add or change one host of a topic."""
    return _save(host, edition_id=host.topic.edition_id)


def host_delete(*, host: Host) -> None:
    _delete(host, edition_id=host.topic.edition_id)


# Sessions ---------------------------------------------------------------------------------------


def session_save(*, session: Session) -> Session:
    """Add or change a session: a topic in a room during a block, with its capacity."""
    return _save(session, edition_id=session.edition_id)


def session_delete(*, session: Session) -> None:
    _delete(session, edition_id=session.edition_id)


@transaction.atomic
def sessions_replace(
    *, edition_id: int, old: QuerySet[Session], new: Sequence[Session]
) -> list[Session]:
    """Remove the ``old`` sessions of the edition and write the ``new`` ones in their place, in
    bulk (a schedule applied); the caller has checked that the new ones fit together."""
    old = old.filter(edition_id=edition_id)
    removed = [str(session) for session in old.select_related("topic", "block", "room")]
    old.delete()
    for session in new:
        if session.edition_id != edition_id:
            raise ValueError("a session of another edition")
    written = Session.objects.bulk_create(new)
    audit_record(
        edition=edition_id,
        part=AuditPart.PROGRAMME,
        action="apply",
        before={"sessions": removed},
        after={
            "sessions": [
                str(session)
                for session in Session.objects.filter(
                    pk__in=[row.pk for row in written]
                ).select_related("topic", "block", "room")
            ]
        },
    )
    programme_changed(edition_id=edition_id)
    return written

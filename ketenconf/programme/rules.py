"""Rules a block and a session must satisfy, as plain functions that return errors per field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import Block, Session


def block_errors(block: Block) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if block.start and block.end and block.end <= block.start:
        errors.setdefault("end", []).append(_("A block must end after it starts."))
    if block.edition_id and block.start:
        edition = block.edition
        day = timezone.localtime(block.start).date()
        if not edition.start_date <= day <= edition.end_date:
            errors.setdefault("start", []).append(
                _("The block must be on a day of the edition (%(first)s to %(last)s).")
                % {"first": edition.start_date.isoformat(), "last": edition.end_date.isoformat()}
            )
    return errors


def session_errors(session: Session) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    edition_id = session.edition_id
    if session.topic_id and session.topic.edition_id != edition_id:
        errors.setdefault("topic", []).append(_("The topic belongs to another edition."))
    if session.block_id and session.block.edition_id != edition_id:
        errors.setdefault("block", []).append(_("The block belongs to another edition."))
    if session.room_id:
        room = session.room
        if room.edition_id != edition_id:
            errors.setdefault("room", []).append(
                _("The room is not one of this edition's rooms at its venue.")
            )
        if session.capacity is not None and session.capacity > room.capacity:
            errors.setdefault("capacity", []).append(
                _("The capacity (%(capacity)d) cannot be more than the room holds (%(room)d).")
                % {"capacity": session.capacity, "room": room.capacity}
            )
    return errors

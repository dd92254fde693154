"""Reads for messages: who is in a group, what a message will look like, how far a sent one is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.template import Context, Engine
from django.utils import translation
from django.utils.translation import gettext as _

from ketenconf.allocation.models import Assignment
from ketenconf.allocation.selectors import published_run_id
from ketenconf.checkin.models import CheckIn, CheckInKind
from ketenconf.events.models import Edition, Organisation, OrganisationKind
from ketenconf.mail.models import OutboxStatus
from ketenconf.programme.models import Session
from ketenconf.registration.models import (
    ACTIVE_STATUSES,
    Preference,
    Registration,
    RegistrationStatus,
)

from .models import Group, Message, MessageRecipient

#: The mail every message is sent as: ``<MAIL>.subject.txt``, ``.txt`` and ``.html``.
MAIL = "messaging/mail/message"


def group_registrations(*, edition: Edition, group: str, value: str = "") -> QuerySet[Registration]:
    """The registrations of ``edition`` in ``group`` (``value`` names the session, organisation
    or kind). Only this edition's, never an anonymised one: a message cannot reach more than
    the edition's registrations."""
    mine = Registration.objects.filter(edition=edition, anonymised_at__isnull=True)
    seated = mine.filter(status=RegistrationStatus.REGISTERED)
    entered = CheckIn.objects.filter(registration=OuterRef("pk"), kind=CheckInKind.ENTRY)
    match group:
        case Group.REGISTERED:
            return seated
        case Group.WAITLISTED:
            return mine.filter(status=RegistrationStatus.WAITLISTED)
        case Group.UNCONFIRMED:
            return mine.filter(status__in=ACTIVE_STATUSES, confirmed_at__isnull=True)
        case Group.SESSION:
            run_id = published_run_id(edition_id=edition.pk)
            seats = Assignment.objects.filter(
                run_id=run_id, session_id=_number(value), registration=OuterRef("pk")
            )
            return seated.filter(Exists(seats)) if run_id else mine.none()
        case Group.ORGANISATION:
            return seated.filter(organisation_id=_number(value))
        case Group.ORGANISATION_KIND:
            return seated.filter(organisation__kind=value)
        case Group.NOT_RANKED:
            return seated.filter(~Exists(Preference.objects.filter(registration=OuterRef("pk"))))
        case Group.CHECKED_IN:
            return seated.filter(Exists(entered))
        case Group.NOT_CHECKED_IN:
            return seated.filter(~Exists(entered))
    return mine.none()


def _number(value: str) -> int:
    return int(value) if value.isdigit() and len(value) < 10 else 0


def group_count(*, edition: Edition, group: str, value: str = "") -> int:
    return group_registrations(edition=edition, group=group, value=value).count()


@dataclass(frozen=True)
class GroupChoices:
    """What the groups that name one thing can name in this edition."""

    sessions: list[tuple[str, str]]
    organisations: list[tuple[str, str]]
    kinds: list[tuple[str, str]]

    def for_group(self, group: str) -> list[tuple[str, str]]:
        return {
            Group.SESSION: self.sessions,
            Group.ORGANISATION: self.organisations,
            Group.ORGANISATION_KIND: self.kinds,
        }.get(Group(group), [])


def group_choices(*, edition: Edition) -> GroupChoices:
    """The workshop sessions of the published assignment, the organisations with someone
    registered, and the kinds of organisation: three queries."""
    run_id = published_run_id(edition_id=edition.pk)
    sessions = (
        Session.objects.filter(edition=edition, assignments__run_id=run_id)
        .select_related("topic", "block")
        .distinct()
        .order_by("block__start", "topic__title_nl", "pk")
        if run_id
        else Session.objects.none()
    )
    organisations = Organisation.objects.filter(
        registrations__edition=edition, registrations__status=RegistrationStatus.REGISTERED
    ).distinct()
    return GroupChoices(
        sessions=[(str(s.pk), f"{s.topic.title} ({s.block})") for s in sessions],
        organisations=[(str(o.pk), o.name) for o in organisations.order_by("name")],
        kinds=[(str(value), str(label)) for value, label in OrganisationKind.choices],
    )


def group_label(*, edition: Edition, group: str, value: str = "") -> str:
    """The group in words, in the active language: "the participants of one organisation: COA"."""
    named = dict(group_choices(edition=edition).for_group(group)).get(value, "")
    label = str(Group(group).label)
    return f"{label}: {named}" if named else label


def _render(name: str, context: Mapping[str, Any], *, autoescape: bool) -> str:
    template = Engine.get_default().get_template(name)
    return template.render(Context(dict(context), autoescape=autoescape))


def mail_context(*, edition: Edition, subject: str, body: str) -> dict[str, Any]:
    """The context of the message's mail: the organisers' text is a value in it, never a
    template, so ``{{ ... }}`` in it is sent as written."""
    return {"edition": edition, "subject": subject, "body": body.replace("\r\n", "\n").strip()}


@dataclass(frozen=True)
class Preview:
    language: str
    subject: str
    text: str


def message_preview(*, edition: Edition, subject: str, body: str, language: str) -> Preview:
    """The subject and plain text the people who read ``language`` will get."""
    context = mail_context(edition=edition, subject=subject, body=body)
    with translation.override(language):
        return Preview(
            language=language,
            subject=" ".join(_render(f"{MAIL}.subject.txt", context, autoescape=False).split()),
            text=_render(f"{MAIL}.txt", context, autoescape=False).strip(),
        )


def messages_for_edition(*, edition: Edition) -> QuerySet[Message]:
    """The edition's messages, newest first, each with ``sent`` and ``failed``: one query."""
    return (
        Message.objects.filter(edition=edition)
        .select_related("created_by")
        .annotate(
            sent=Count("deliveries", filter=Q(deliveries__mail__status=OutboxStatus.SENT)),
            failed=Count("deliveries", filter=Q(deliveries__mail__status=OutboxStatus.FAILED)),
        )
        .order_by("-created_at", "-pk")
    )


def message_get(*, edition: Edition, pk: int) -> Message | None:
    return messages_for_edition(edition=edition).filter(pk=pk).first()


@dataclass(frozen=True)
class Progress:
    recipients: int
    queued: int
    sent: int
    failed: int

    @property
    def waiting(self) -> int:
        return self.queued - self.sent - self.failed

    @property
    def done(self) -> bool:
        return self.queued >= self.recipients and self.waiting <= 0

    @property
    def percent(self) -> int:
        return round(100 * (self.sent + self.failed) / self.recipients) if self.recipients else 100


def message_progress(*, message: Message) -> Progress:
    """How far the mails of a message are: from the annotations of :func:`message_get`."""
    return Progress(
        recipients=message.recipients,
        queued=message.queued,
        sent=getattr(message, "sent", 0),
        failed=getattr(message, "failed", 0),
    )


def personal_data(*, registration: Registration) -> list[dict[str, Any]] | None:
    """The messages a participant got, for the download of their own data."""
    rows = (
        MessageRecipient.objects.filter(registration=registration)
        .select_related("message")
        .order_by("message__created_at", "pk")
    )
    found = [
        {
            "subject": getattr(row.message, f"subject_{registration.language}", "")
            or row.message.subject_nl,
            "sent_at": row.message.created_at.isoformat(),
        }
        for row in rows
    ]
    return found or None


def reminder_defaults(*, edition: Edition, language: str) -> tuple[str, str]:
    """The subject and text of the reminder to rank the workshops, in ``language``."""
    with translation.override(language):
        return (
            _("Rank the workshops of %(edition)s") % {"edition": edition.title},
            _(
                "You have not ranked the workshops of %(edition)s yet. Rank the ones you "
                "would most like to attend on your personal page; you can ask for a link "
                "to it here:"
            )
            % {"edition": edition.title},
        )


def reminders_sent(*, edition: Edition) -> dict[str, Message]:
    """The edition's reminders that went out, by kind."""
    return {
        message.kind: message
        for message in messages_for_edition(edition=edition).exclude(kind="message")
    }

"""Writes for messages: send a message to a group, queue its mails in batches, the reminders.

How a message travels::

    message_send()      -- validate, count the group, write the message and queue its first
                           batch in the caller's request; more batches go to the worker
                           (``tasks.queue_message``) after commit
    message_queue()     -- batch after batch, each in its own transaction: the next people of
                           the group who have no MessageRecipient row for this message get one,
                           and an outbox mail in their language (``mail_enqueue_many``: one
                           INSERT for the mails, one for their delivery task)
    reminders_send_due() -- the periodic job: an edition's reminder is one message of its
                           kind, sent when its day comes and queued again every run until the
                           day it is about, so who joins the group later gets it too, once

Exactly once per person: the recipient row is unique per (message, registration) and is
written in the transaction that writes the mail, so a batch queued twice (two workers, a task
run again) adds nobody. The worker then sends each outbox mail once (see ``ketenconf.mail``).
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ketenconf.accounts.models import Actor, actor_user
from ketenconf.audit.models import AuditPart
from ketenconf.audit.services import audit_record, snapshot
from ketenconf.events.models import Edition
from ketenconf.mail.services import mail_enqueue_many

from . import selectors
from .models import (
    GROUPS_WITH_VALUE,
    Group,
    Message,
    MessageKind,
    MessageRecipient,
    MessageStatus,
    ReminderSettings,
)

logger = logging.getLogger(__name__)

#: People per batch: one transaction, the same few queries whatever its size.
BATCH = 500
SUBJECT_MAX = 200
BODY_MAX = 20_000


def _validate(
    *,
    edition: Edition,
    group: str,
    group_value: str,
    texts: dict[str, str],
) -> None:
    errors: dict[str, list[str]] = {}
    if group not in Group.values:
        errors["group"] = [
            _("Choose one of the groups: %(groups)s.") % {"groups": ", ".join(Group.values)}
        ]
    elif group in GROUPS_WITH_VALUE:
        choices = dict(selectors.group_choices(edition=edition).for_group(group))
        if not group_value:
            errors["group_value"] = [_("Choose which one this group is about.")]
        elif group_value not in choices:
            errors["group_value"] = [
                _("%(value)s is not one of this edition's choices for this group.")
                % {"value": group_value[:64]}
            ]
    for field, text in texts.items():
        limit = SUBJECT_MAX if field.startswith("subject") else BODY_MAX
        if not text.strip():
            errors[field] = [_("This field is required.")]
        elif len(text) > limit:
            errors[field] = [
                _("Keep this to %(limit)d characters; it has %(count)d.")
                % {"limit": limit, "count": len(text)}
            ]
        elif field.startswith("subject") and any(ord(c) < 32 for c in text):
            errors[field] = [_("A subject is one line, without tabs or other control characters.")]
        elif any(ord(c) < 32 and c not in "\t\n\r" for c in text):
            errors[field] = [_("Remove the control characters from this text.")]
    if errors:
        raise ValidationError(errors)


def message_send(
    *,
    edition: Edition,
    group: str,
    group_value: str = "",
    subject_nl: str,
    subject_en: str,
    body_nl: str,
    body_en: str,
    by: Actor,
    kind: str = MessageKind.MESSAGE,
) -> Message:
    """Send a message to a group of the edition, each person in their language, once.

    The first ``BATCH`` people are queued in this transaction; the worker queues the rest.
    A message to nobody is refused (a reminder may start with nobody: later runs add people).
    """
    group_value = group_value.strip() if group in GROUPS_WITH_VALUE else ""
    texts = {
        "subject_nl": subject_nl,
        "subject_en": subject_en,
        "body_nl": body_nl,
        "body_en": body_en,
    }
    _validate(edition=edition, group=group, group_value=group_value, texts=texts)
    with transaction.atomic():
        count = selectors.group_count(edition=edition, group=group, value=group_value)
        if not count and kind == MessageKind.MESSAGE:
            raise ValidationError(
                {"group": [_("Nobody is in this group now; the message would reach no one.")]}
            )
        message = Message.objects.create(
            edition=edition,
            kind=kind,
            group=group,
            group_value=group_value,
            group_label=dict(selectors.group_choices(edition=edition).for_group(group)).get(
                group_value, ""
            ),
            subject_nl=" ".join(subject_nl.split()),
            subject_en=" ".join(subject_en.split()),
            body_nl=body_nl.strip(),
            body_en=body_en.strip(),
            created_by=actor_user(by),
            recipients=count,
        )
        audit_record(
            edition=edition,
            part=AuditPart.MESSAGES,
            action="send",
            target=message,
            label=message.subject_nl or message.subject_en,
            after={
                "kind": kind,
                "group": group,
                "group_value": group_value,
                "recipients": count,
                "subject_nl": message.subject_nl,
                "subject_en": message.subject_en,
            },
            by=by,
        )
        if not _queue_batch(message.pk)[1]:
            from .tasks import queue_message

            transaction.on_commit(lambda: queue_message.enqueue(message.pk), robust=True)
    message.refresh_from_db()
    return message


def _queue_batch(message_id: int) -> tuple[int, bool]:
    """Queue the next batch of a message: how many it queued, and True when nobody of its
    group is left.

    Call inside a transaction: the message row is locked, so two workers queue one after
    the other, and the second finds the people the first reached.
    """
    message = Message.objects.select_for_update().select_related("edition").get(pk=message_id)
    edition = message.edition
    reached = MessageRecipient.objects.filter(message_id=message_id, registration=OuterRef("pk"))
    batch = list(
        selectors.group_registrations(
            edition=edition, group=message.group, value=message.group_value
        )
        .filter(~Exists(reached))
        .order_by("pk")
        .values_list("pk", "email", "language")[:BATCH]
    )
    if batch:
        contexts = {
            language: selectors.mail_context(
                edition=edition,
                subject=getattr(message, f"subject_{language}"),
                body=getattr(message, f"body_{language}"),
            )
            for language in ("nl", "en")
        }
        mail_ids = mail_enqueue_many(
            recipients=[(email, language) for _pk, email, language in batch],
            template=selectors.MAIL,
            contexts=contexts,
            edition=edition,
            topic=f"messaging/{message.kind}",
        )
        MessageRecipient.objects.bulk_create(
            MessageRecipient(message_id=message_id, registration_id=pk, mail_id=mail_id)
            for (pk, _email, _language), mail_id in zip(batch, mail_ids, strict=True)
        )
    done = len(batch) < BATCH
    message.queued += len(batch)
    if done:
        message.status = MessageStatus.QUEUED
        message.recipients = message.queued
    else:
        message.status = MessageStatus.QUEUEING
        message.recipients = max(message.recipients, message.queued)
    message.save(update_fields=["queued", "status", "recipients"])
    return len(batch), done


def message_queue(*, message_id: int) -> int:
    """Queue what is left of a message, batch after batch (the worker's task; safe to run
    twice). Returns the mails queued."""
    if not Message.objects.filter(pk=message_id).exists():
        return 0
    queued, done = 0, False
    while not done:
        with transaction.atomic():
            count, done = _queue_batch(message_id)
        queued += count
    return queued


# Reminders ----------------------------------------------------------------------------------


def reminder_settings_get(*, edition: Edition) -> ReminderSettings:
    found = ReminderSettings.objects.filter(edition=edition).first()
    return found if found is not None else ReminderSettings(edition=edition)


def reminder_settings_save(
    *,
    edition: Edition,
    rank_enabled: bool,
    ranking_closes_on: date | None,
    rank_days_before: int,
    practical_enabled: bool,
    practical_days_before: int,
    practical_subject_nl: str = "",
    practical_subject_en: str = "",
    practical_body_nl: str = "",
    practical_body_en: str = "",
) -> ReminderSettings:
    """Switch the edition's reminders on or off; what a switched-on reminder needs is required."""
    errors: dict[str, list[str]] = {}
    for field, days in (
        ("rank_days_before", rank_days_before),
        ("practical_days_before", practical_days_before),
    ):
        if not 0 <= days <= 60:
            errors[field] = [_("Give a number of days from 0 to 60.")]
    if rank_enabled and ranking_closes_on is None:
        errors["ranking_closes_on"] = [_("Give the last day of ranking to remind people before.")]
    if practical_enabled:
        for field, text in (
            ("practical_subject_nl", practical_subject_nl),
            ("practical_subject_en", practical_subject_en),
            ("practical_body_nl", practical_body_nl),
            ("practical_body_en", practical_body_en),
        ):
            if not text.strip():
                errors[field] = [_("Write this text to send the practical information.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _reminder_settings_write(
            edition=edition,
            rank_enabled=rank_enabled,
            ranking_closes_on=ranking_closes_on,
            rank_days_before=rank_days_before,
            practical_enabled=practical_enabled,
            practical_days_before=practical_days_before,
            practical_subject_nl=practical_subject_nl,
            practical_subject_en=practical_subject_en,
            practical_body_nl=practical_body_nl,
            practical_body_en=practical_body_en,
        )


REMINDER_FIELDS = (
    "rank_enabled",
    "ranking_closes_on",
    "rank_days_before",
    "practical_enabled",
    "practical_days_before",
    "practical_subject_nl",
    "practical_subject_en",
    "practical_body_nl",
    "practical_body_en",
)


def _reminder_settings_write(
    *,
    edition: Edition,
    rank_enabled: bool,
    ranking_closes_on: date | None,
    rank_days_before: int,
    practical_enabled: bool,
    practical_days_before: int,
    practical_subject_nl: str,
    practical_subject_en: str,
    practical_body_nl: str,
    practical_body_en: str,
) -> ReminderSettings:
    old = ReminderSettings.objects.filter(edition=edition).first()
    if practical_enabled:
        # Who joins the group after the reminder went out gets the text as it is now.
        Message.objects.filter(edition=edition, kind=MessageKind.PRACTICAL_REMINDER).update(
            subject_nl=" ".join(practical_subject_nl.split()),
            subject_en=" ".join(practical_subject_en.split()),
            body_nl=practical_body_nl.strip(),
            body_en=practical_body_en.strip(),
        )
    reminder, _created = ReminderSettings.objects.update_or_create(
        edition=edition,
        defaults={
            "rank_enabled": rank_enabled,
            "ranking_closes_on": ranking_closes_on,
            "rank_days_before": rank_days_before,
            "practical_enabled": practical_enabled,
            "practical_days_before": practical_days_before,
            "practical_subject_nl": " ".join(practical_subject_nl.split()),
            "practical_subject_en": " ".join(practical_subject_en.split()),
            "practical_body_nl": practical_body_nl.strip(),
            "practical_body_en": practical_body_en.strip(),
        },
    )
    audit_record(
        edition=edition,
        part=AuditPart.MESSAGES,
        action="change",
        target=reminder,
        label=str(reminder._meta.verbose_name),
        before=None if old is None else snapshot(old, *REMINDER_FIELDS),
        after=snapshot(reminder, *REMINDER_FIELDS),
    )
    return reminder


def _rank_texts(edition: Edition) -> dict[str, str]:
    texts: dict[str, str] = {}
    for language in ("nl", "en"):
        subject, body = selectors.reminder_defaults(edition=edition, language=language)
        with translation.override(language):
            path = reverse("registration:request_link", kwargs={"slug": edition.slug})
        texts[f"subject_{language}"] = subject
        texts[f"body_{language}"] = f"{body}\n{settings.BASE_URL}{path}"
    return texts


def _remind(*, edition: Edition, kind: str, group: str, texts: dict[str, str]) -> int:
    existing = Message.objects.filter(edition=edition, kind=kind).values_list("pk", flat=True)
    message_id = existing.first()
    if message_id is None:
        message = message_send(edition=edition, group=group, by=None, kind=kind, **texts)
        return message.queued + message_queue(message_id=message.pk)
    return message_queue(message_id=message_id)


def reminders_send_due(*, today: date | None = None) -> str:
    """The periodic job: each switched-on reminder whose days have come, to who has not had
    it (each person gets each reminder once, however often this runs)."""
    today = today or timezone.localdate()
    queued = 0
    chosen = ReminderSettings.objects.select_related("edition").filter(edition__end_date__gte=today)
    for reminder in chosen:
        edition = reminder.edition
        closes = reminder.ranking_closes_on
        if (
            reminder.rank_enabled
            and closes is not None
            and (closes - today).days in range(reminder.rank_days_before + 1)
        ):
            queued += _remind(
                edition=edition,
                kind=MessageKind.RANK_REMINDER,
                group=Group.NOT_RANKED,
                texts=_rank_texts(edition),
            )
        if reminder.practical_enabled and (edition.start_date - today).days in range(
            reminder.practical_days_before + 1
        ):
            queued += _remind(
                edition=edition,
                kind=MessageKind.PRACTICAL_REMINDER,
                group=Group.REGISTERED,
                texts={
                    "subject_nl": reminder.practical_subject_nl,
                    "subject_en": reminder.practical_subject_en,
                    "body_nl": reminder.practical_body_nl,
                    "body_en": reminder.practical_body_en,
                },
            )
    return f"{queued} reminders queued"

"""The organisers' API for messages to participants: the list of an edition's messages, and
sending one to a named group. The same rule, services and selectors as the workspace's page
(:mod:`ketenconf.messaging`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from ketenconf.events.models import Edition
from ketenconf.messaging import selectors, services
from ketenconf.messaging.models import Group, Message
from ketenconf.workspace.access import Part

from .organiser import NOT_FOUND, Pages, _errors, _user, router
from .organiser import _edition as organiser_edition
from .schemas import Errors


class MessageOut(Schema):
    id: int
    kind: str = Field(description="message, rank_reminder or practical_reminder")
    group: str
    value: str
    to: str = Field(description="The group in words, in the request's language")
    subject_nl: str
    subject_en: str
    body_nl: str
    body_en: str
    recipients: int = Field(description="The people the message reaches")
    queued: int = Field(description="Their mails in the outbox so far")
    sent: int
    failed: int
    created_at: datetime


class MessageIn(Schema):
    group: str = Field(description=", ".join(Group.values))
    value: str = Field(
        "",
        description="For session the session's id, for organisation the organisation's id, "
        "for organisation_kind the kind; empty for the other groups",
    )
    subject_nl: str
    subject_en: str
    body_nl: str = Field(description="Plain text, sent as written (never as a template)")
    body_en: str


class MessageSent(Schema):
    id: int
    recipients: int = Field(description="The number of people the message goes to")


def _edition(request: HttpRequest, slug: str) -> Edition:
    return organiser_edition(request, slug, part=Part.MESSAGES)


def _message_out(message: Message) -> dict[str, Any]:
    progress = selectors.message_progress(message=message)
    return {
        "id": message.pk,
        "kind": message.kind,
        "group": message.group,
        "value": message.group_value,
        "to": message.to,
        "subject_nl": message.subject_nl,
        "subject_en": message.subject_en,
        "body_nl": message.body_nl,
        "body_en": message.body_en,
        "recipients": progress.recipients,
        "queued": progress.queued,
        "sent": progress.sent,
        "failed": progress.failed,
        "created_at": message.created_at,
    }


@router.get(
    "/editions/{slug}/messages",
    response={200: list[MessageOut], **NOT_FOUND},
    summary="The messages sent to participants, newest first, with their numbers",
    operation_id="organiser_messages",
)
@paginate(Pages)
def messages(request: HttpRequest, slug: str) -> Any:
    edition = _edition(request, slug)
    return [_message_out(m) for m in selectors.messages_for_edition(edition=edition)]


@router.post(
    "/editions/{slug}/messages",
    response={201: MessageSent, 422: Errors, **NOT_FOUND},
    summary="Send a message to a group of participants",
    description=(
        "Each person of the group gets it once, by mail through the outbox, in their own "
        "language. Answers with the number of people it goes to; a group of nobody is 422."
    ),
    operation_id="organiser_message_send",
)
def message_send(request: HttpRequest, slug: str, payload: MessageIn) -> Any:
    edition = _edition(request, slug)
    try:
        message = services.message_send(
            edition=edition,
            group=payload.group,
            group_value=payload.value,
            subject_nl=payload.subject_nl,
            subject_en=payload.subject_en,
            body_nl=payload.body_nl,
            body_en=payload.body_en,
            by=_user(request),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "group_value" in error.error_dict:
            error.error_dict["value"] = error.error_dict.pop("group_value")
        return _errors(error)
    return Status(201, {"id": message.pk, "recipients": message.recipients})

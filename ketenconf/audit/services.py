"""Writes of the audit trail. Every service that changes an edition's data calls
:func:`audit_record` (or :func:`audit_record_many` for a bulk write) inside its own transaction,
so a change and its entry are committed, or rolled back, together.

How to call it::

    from ketenconf.audit.models import AuditPart
    from ketenconf.audit.services import audit_record, snapshot

    before = snapshot(registration, "status")
    ... change and save the registration ...
    audit_record(
        edition=registration.edition,
        part=AuditPart.REGISTRATIONS,
        action="status",                    # a key of ACTIONS
        target=registration,                # what changed (its label is kept as it read)
        before=before,
        after=snapshot(registration, "status"),
        by=by,                              # optional: the User who acts
    )

Who acted comes from ``by`` when it is a ``User``; otherwise from the request (its signed-in
user, an API token, a participant's personal link, a visitor) or the process (worker, command
line): see :mod:`ketenconf.audit.context`. Sign-ins are recorded without an edition
(``edition=None``). Keys of ``before``/``after`` that name a person are blanked when the edition
is anonymised: the fields in ``PERSONAL_KEYS``, and any passed in ``personal``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenconf.accounts.models import Actor, User
from ketenconf.core.tenancy import scopes_disabled

from .context import current_source
from .models import ActorKind, AuditEntry

#: The verbs an entry's action may be, with the words the audit page shows.
ACTIONS: dict[str, Any] = {
    "create": _("created"),
    "change": _("changed"),
    "delete": _("deleted"),
    "status": _("status changed"),
    "preferences": _("ranking changed"),
    "start": _("started"),
    "publish": _("published"),
    "apply": _("schedule applied"),
    "move": _("moved"),
    "send": _("sent"),
    "check_in": _("checked in by hand"),
    "check_in_undo": _("check-in undone"),
    "import": _("imported"),
    "accept": _("accepted"),
    "merge": _("merged"),
    "revoke": _("revoked"),
    "invite": _("invited"),
    "role_change": _("role changed"),
    "role_remove": _("role removed"),
    "sign_in": _("signed in"),
    "sign_in_failed": _("sign-in failed"),
    "mfa_add": _("second factor added"),
    "mfa_remove": _("second factor removed"),
    "mfa_reset": _("second factor reset"),
    "anonymise": _("anonymised"),
}

#: Fields that name or reach a person, in any entry: their values go at anonymisation.
PERSONAL_KEYS = frozenset(
    {
        "name",
        "email",
        "job_title",
        "dietary_needs",
        "accessibility_needs",
        "first_name",
        "last_name",
        "phone",
        "participant",
        "participants",
        "recipient",
        "username",
    }
)

ANONYMISED = "—"


def _plain(value: Any) -> Any:
    """A JSON-ready copy: dates as ISO text, decimals as text, rows as their text."""
    if isinstance(value, models.Model):
        return str(value)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def snapshot(row: models.Model, *fields: str) -> dict[str, Any]:
    """The values of ``fields`` of ``row`` as the audit page shows them: a related row as its
    text (``organisation``: "IND"), a choice as its stored value, a many-to-many as a list."""
    values: dict[str, Any] = {}
    for name in fields:
        field = row._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(str(item) for item in getattr(row, name).all())
        elif field.is_relation:
            related_id = getattr(row, field.attname)  # type: ignore[union-attr]
            values[name] = None if related_id is None else str(getattr(row, name))
        else:
            values[name] = getattr(row, name)
    return _plain(values)


def audited_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields of a row an organiser sets: concrete and editable, not its key."""
    return tuple(
        field.name
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key
    )


def stored_snapshot(row: models.Model, *fields: str) -> dict[str, Any] | None:
    """The values ``row`` has in the database now (before a save), or None for a new row."""
    if row.pk is None:
        return None
    stored = type(row)._base_manager.filter(pk=row.pk).first()
    if stored is None:
        return None
    return snapshot(stored, *(fields or audited_fields(type(row))))


def audit_save(
    *, edition: Any, part: str, row: models.Model, before: dict[str, Any] | None
) -> None:
    """Record a row just saved: created (``before`` None) or changed, from
    :func:`stored_snapshot` taken before the save."""
    audit_record(
        edition=edition,
        part=part,
        action="create" if before is None else "change",
        target=row,
        before=before,
        after=snapshot(row, *(before.keys() if before else audited_fields(type(row)))),
    )


def _changed(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Only the keys whose values differ, when both sides are given."""
    if before is None or after is None:
        return before, after
    keys = [key for key in {**before, **after} if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after.get(key) for key in keys}


def _who(by: Actor) -> dict[str, Any]:
    source = current_source()
    request = source.request
    token = getattr(request, "audit_api_token", None) if request is not None else None
    user = by if isinstance(by, User) else None
    if user is None and isinstance(source.user, User):
        return {
            "actor_kind": ActorKind.USER,
            "user": source.user,
            "actor_label": f"{source.user.get_full_name() or source.user.get_username()} "
            f"({source.label})"[:200],
        }
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        if isinstance(request_user, User) and request_user.is_authenticated:
            user = request_user
    if user is not None:
        if token is not None and token.user_id == user.pk:
            return {
                "actor_kind": ActorKind.API_TOKEN,
                "user": user,
                "api_token": token,
                "actor_label": f"{user.get_username()} ({token.name})"[:200],
            }
        return {
            "actor_kind": ActorKind.USER,
            "user": user,
            "actor_label": (user.get_full_name() or user.get_username())[:200],
        }
    if request is not None:
        participant = getattr(request, "audit_participant", None)
        if participant is not None:
            return {"actor_kind": ActorKind.PARTICIPANT, "registration_id": participant.pk}
        return {"actor_kind": ActorKind.VISITOR}
    return {"actor_kind": source.kind, "actor_label": source.label}


def _label(target: models.Model | None) -> str:
    if target is None:
        return ""
    if target._meta.label == "registration.Registration":
        return str(target.name)  # type: ignore[attr-defined]  # its text would read the edition
    return str(target)


def _entry(
    *,
    edition: Any,
    part: str,
    action: str,
    target: models.Model | None,
    label: str | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    registration: Any,
    personal: Iterable[str],
    who: dict[str, Any],
    at: datetime,
) -> AuditEntry | None:
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: add it to ACTIONS.")
    before, after = _changed(
        None if before is None else _plain(before), None if after is None else _plain(after)
    )
    if before == {} and after == {}:
        return None  # saved without a change
    if (
        registration is None
        and target is not None
        and target._meta.label == ("registration.Registration")
    ):
        registration = target
    fields = dict(who)
    if registration is not None and "registration_id" not in fields:
        fields["registration_id"] = getattr(registration, "pk", registration)
    keys = set(PERSONAL_KEYS) | set(personal)
    present = set(before or {}) | set(after or {})
    return AuditEntry(
        edition_id=None if edition is None else getattr(edition, "pk", edition),
        at=at,
        part=part,
        action=action,
        target_type="" if target is None else target._meta.label,
        target_id="" if target is None or target.pk is None else str(target.pk),
        target_label=(label if label is not None else _label(target))[:300],
        before=before,
        after=after,
        personal_keys=sorted(keys & present),
        **fields,
    )


def audit_record(
    *,
    edition: Any,
    part: str,
    action: str,
    target: models.Model | None = None,
    label: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    registration: Any = None,
    personal: Iterable[str] = (),
    by: Actor = None,
) -> AuditEntry | None:
    """Record one change of ``edition`` (an Edition, its pk, or None for a sign-in).

    ``part`` is an :class:`~ketenconf.audit.models.AuditPart`, ``action`` a key of
    :data:`ACTIONS`; ``target`` the row changed (its text is kept as ``label`` unless given);
    ``before``/``after`` dicts of the values that matter (see :func:`snapshot`): when both
    are given only the keys that differ are kept, and nothing is recorded when none does.
    ``registration`` links the entry to a participant the change is about (implied when the
    target is a registration), so their name shows only to who may see them and goes at
    anonymisation. Call it inside the change's transaction. Returns the entry, or None.
    """
    entry = _entry(
        edition=edition,
        part=part,
        action=action,
        target=target,
        label=label,
        before=before,
        after=after,
        registration=registration,
        personal=personal,
        who=_who(by),
        at=timezone.now(),
    )
    if entry is None:
        return None
    with scopes_disabled():  # a sign-in has no edition; the row names its own
        entry.save()
    return entry


def audit_record_many(
    *,
    edition: Any,
    part: str,
    action: str,
    changes: Sequence[tuple[models.Model, dict[str, Any] | None, dict[str, Any] | None]],
    personal: Iterable[str] = (),
    by: Actor = None,
    label: Callable[[Any], str] | None = None,
) -> int:
    """One entry per ``(target, before, after)`` of a bulk write, in one INSERT: a service
    that changes many rows with ``update()`` or ``bulk_create()`` records each row here."""
    who = _who(by)
    now = timezone.now()
    entries = [
        entry
        for target, before, after in changes
        if (
            entry := _entry(
                edition=edition,
                part=part,
                action=action,
                target=target,
                label=None if label is None else label(target),
                before=before,
                after=after,
                registration=None,
                personal=personal,
                who=who,
                at=now,
            )
        )
        is not None
    ]
    with scopes_disabled():
        AuditEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def audit_edition_anonymise(*, edition: Any, now: datetime) -> None:
    """The end of an edition's retention period: participants' names and personal values go
    from its entries; what was done, when and by which organiser or process stays."""
    with scopes_disabled():
        entries = AuditEntry.objects.filter(edition=edition, anonymised_at__isnull=True)
        batch: list[AuditEntry] = []
        for entry in entries.iterator(chunk_size=1000):
            _strip(entry)
            entry.anonymised_at = now
            batch.append(entry)
            if len(batch) >= 1000:
                AuditEntry.objects.bulk_update(batch, STRIPPED)
                batch = []
        AuditEntry.objects.bulk_update(batch, STRIPPED)


STRIPPED = ["target_label", "before", "after", "anonymised_at"]


def _strip(entry: AuditEntry) -> None:
    keys = set(entry.personal_keys)
    for side in ("before", "after"):
        values = getattr(entry, side)
        if isinstance(values, dict):
            setattr(
                entry,
                side,
                {key: ANONYMISED if key in keys else value for key, value in values.items()},
            )
    if entry.target_type == "registration.Registration" or entry.registration_id is not None:
        entry.target_label = ""


def audit_registration_forget(*, registration: Any) -> None:
    """A participant's data is deleted: their name and values go from the entries about them
    now (the rows would otherwise keep the name after the registration is gone)."""
    with scopes_disabled():
        for entry in AuditEntry.objects.filter(registration_id=registration.pk).iterator():
            _strip(entry)
            entry.save(update_fields=["target_label", "before", "after"])

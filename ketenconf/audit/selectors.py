"""Reads of the audit trail: an edition's entries for its organisers, filtered by part and by
who acted, with participants' names only for who may see the registration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ketenconf.registration.models import Registration

from .models import ActorKind, AuditEntry
from .services import ACTIONS, ANONYMISED


def audit_entries(*, edition: Any, part: str = "", who: str = "") -> QuerySet[AuditEntry]:
    """The edition's entries, newest first; ``part`` an AuditPart, ``who`` a value of
    :func:`audit_people` ("u<user id>" or "k<kind>")."""
    rows = AuditEntry.objects.filter(edition=edition).select_related("user")
    if part:
        rows = rows.filter(part=part)
    if who.startswith("u") and who[1:].isdigit():
        rows = rows.filter(user_id=int(who[1:]))
    elif who.startswith("k") and who[1:] in ActorKind.values:
        rows = rows.filter(actor_kind=who[1:], user__isnull=True)
    return rows.order_by("-at", "-pk")


def audit_people(*, edition: Any) -> list[tuple[str, str]]:
    """Who acted in the edition, for the filter: each organiser by name, then each process."""
    users = (
        AuditEntry.objects.filter(edition=edition, user__isnull=False)
        .values_list("user_id", "user__username", "user__first_name", "user__last_name")
        .distinct()
    )
    people = sorted(
        {(f"u{pk}", f"{first} {last}".strip() or username) for pk, username, first, last in users},
        key=lambda item: item[1].lower(),
    )
    kinds = set(
        AuditEntry.objects.filter(edition=edition, user__isnull=True)
        .values_list("actor_kind", flat=True)
        .distinct()
    )
    labels = dict(ActorKind.choices)
    return people + [(f"k{kind}", str(labels[kind])) for kind in ActorKind.values if kind in kinds]


def registrations_visible(*, user: Any, edition: Any) -> QuerySet[Registration] | None:
    """The registrations of the edition this user may see, or None for all of them.

    Today every organiser of an edition sees all its registrations (the workspace's rule);
    a narrower role answers here with its own set, and the audit page follows.
    """
    return None


def _model(label: str) -> Any:
    try:
        return apps.get_model(label) if label else None
    except (LookupError, ValueError):
        return None


def _key_label(model: Any, key: str) -> str:
    """A field's own name in the reader's language; other keys as written."""
    if model is not None:
        try:
            return str(model._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:
            pass
    return key.replace("_", " ")


def _shown(model: Any, key: str, value: Any) -> Any:
    """A stored choice as the reader's words ("registered" as "aangemeld"); other values as
    they are, yes and no as words, nothing as a dash."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == "" or value == []:
        return "—"
    if model is None:
        return value
    try:
        choices = model._meta.get_field(key).flatchoices
    except FieldDoesNotExist:
        return value
    return dict(choices).get(value, value) if choices else value


@dataclass(frozen=True)
class Change:
    key: str
    before: Any  # None: the entry has no value before (a row made)
    after: Any


@dataclass(frozen=True)
class EntryRow:
    entry: AuditEntry
    who: str
    action: str
    what: str
    changes: list[Change]


def _hidden(entry: AuditEntry, visible: set[int] | None) -> bool:
    """Whether the participant the entry is about is one this reader may not see."""
    return entry.registration_id is not None and (
        visible is not None and entry.registration_id not in visible
    )


def audit_rows(*, entries: list[AuditEntry], user: Any, edition: Any) -> list[EntryRow]:
    """The page's rows: who, what was done, to what, and each value before and after; a
    participant this reader may not see is "a participant", their values hidden."""
    allowed = registrations_visible(user=user, edition=edition)
    visible = (
        None
        if allowed is None
        else set(
            allowed.filter(
                pk__in={e.registration_id for e in entries if e.registration_id}
            ).values_list("pk", flat=True)
        )
    )
    kinds = dict(ActorKind.choices)
    rows = []
    for entry in entries:
        hidden = _hidden(entry, visible)
        if entry.actor_kind == ActorKind.PARTICIPANT:
            who = str(kinds[entry.actor_kind])
        elif entry.user_id is not None:
            who = entry.actor_label or entry.user.get_username()  # type: ignore[union-attr]
        else:
            who = str(kinds.get(entry.actor_kind, entry.actor_kind))
            if entry.actor_label:
                who = f"{who} ({entry.actor_label})"
        model = _model(entry.target_type)
        what = entry.target_label
        if hidden or not what:
            what = (
                _("a participant")
                if entry.target_type == "registration.Registration"
                else str(model._meta.verbose_name)
                if model is not None
                else ""
            )
        secret = set(entry.personal_keys) if hidden else set()
        before = entry.before if isinstance(entry.before, dict) else {}
        after = entry.after if isinstance(entry.after, dict) else {}
        changes = [
            Change(
                key=_key_label(model, key),
                before=None
                if key not in before
                else _("(hidden)")
                if key in secret
                else _shown(model, key, before[key]),
                after=_("(hidden)") if key in secret else _shown(model, key, after.get(key)),
            )
            for key in {**before, **after}
        ]
        rows.append(
            EntryRow(
                entry=entry,
                who=who,
                action=str(ACTIONS.get(entry.action, entry.action)),
                what=what or "",
                changes=changes,
            )
        )
    return rows


__all__ = ["ANONYMISED", "audit_entries", "audit_people", "audit_rows", "registrations_visible"]

"""Reads about the people of an edition: who has which role, the open invitations, and a
host's own sessions with who is in them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from ketenconf.accounts.models import User
from ketenconf.allocation.models import Assignment
from ketenconf.allocation.selectors import published_run_id
from ketenconf.events.models import Edition
from ketenconf.programme.models import Session, Topic

from .models import EditionRole, Invitation, Role


def people_of_edition(*, edition: Edition) -> QuerySet[EditionRole]:
    """Everyone with a role in ``edition``, lead organisers first, then by name; with their
    account (its last sign-in), organisation and a host's topics."""
    order = {role.value: index for index, role in enumerate(Role)}
    rows = (
        EditionRole.objects.filter(edition=edition)
        .select_related("user", "organisation")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("title")))
    )
    return sorted(  # type: ignore[return-value]
        rows, key=lambda row: (order[row.role], row.user.get_full_name() or row.user.username)
    )


def role_get(*, edition: Edition, pk: int) -> EditionRole | None:
    return (
        EditionRole.objects.filter(edition=edition, pk=pk)
        .select_related("user", "organisation", "edition")
        .first()
    )


def invitations_open(*, edition: Edition) -> QuerySet[Invitation]:
    """Invitations not yet accepted, newest first (expired ones too: the list says so)."""
    return (
        Invitation.objects.filter(edition=edition, used_at__isnull=True)
        .select_related("organisation", "invited_by")
        .order_by("-created_at", "-pk")
    )


def invitation_get(*, edition: Edition, pk: int) -> Invitation | None:
    return Invitation.objects.filter(edition=edition, pk=pk, used_at__isnull=True).first()


@dataclass(frozen=True)
class HostedSession:
    session: Session
    participants: list[str]  # names, as seated by the published assignment


def hosted_sessions(*, edition: Edition, user: User) -> list[HostedSession]:
    """The sessions of the topics ``user`` hosts in ``edition``, each with who is seated in it
    by the published workshop assignment (none before it is published)."""
    topic_ids = EditionRole.topics.through.objects.filter(
        editionrole__edition=edition, editionrole__user=user, editionrole__role=Role.HOST
    ).values("topic_id")
    sessions = list(
        Session.objects.filter(edition=edition, topic_id__in=topic_ids)
        .select_related("topic", "block", "room")
        .order_by("block__start", "topic__title")
    )
    run_id = published_run_id(edition_id=edition.pk)
    names: dict[int, list[str]] = {session.pk: [] for session in sessions}
    if run_id is not None and sessions:
        seated = (
            Assignment.objects.filter(run_id=run_id, session_id__in=names)
            .order_by("registration__name", "registration_id")
            .values_list("session_id", "registration__name", "registration__organisation__name")
        )
        for session_id, name, organisation in seated:
            names[session_id].append(f"{name} ({organisation})" if organisation else name)
    return [HostedSession(session=session, participants=names[session.pk]) for session in sessions]

"""Who may edit what: organisers are scoped to the editions their organisation runs.

- superusers edit everything;
- staff of an edition's lead organisation or of a partner of its series edit the edition,
  its rooms and blocks;
- staff of the lead organisation edit all topics and sessions of the edition;
- staff of any other organisation edit only the topics their organisation hosts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from .models import Edition

if TYPE_CHECKING:
    from ketenconf.programme.models import Topic


def _organisation_id(user: Any) -> int | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return None
    return user.organisation_id


def editions_editable_by(*, user: Any) -> QuerySet[Edition]:
    if user.is_authenticated and user.is_active and user.is_superuser:
        return Edition.objects.all()
    organisation_id = _organisation_id(user)
    if organisation_id is None:
        return Edition.objects.none()
    return Edition.objects.filter(
        Q(lead_organisation_id=organisation_id)
        | Q(series__partnerships__organisation_id=organisation_id)
    ).distinct()


def edition_is_editable_by(*, user: Any, edition: Edition) -> bool:
    return editions_editable_by(user=user).filter(pk=edition.pk).exists()


def topics_editable_by(*, user: Any) -> QuerySet[Topic]:
    from ketenconf.programme.models import Topic

    if user.is_authenticated and user.is_active and user.is_superuser:
        return Topic.objects.all()
    organisation_id = _organisation_id(user)
    if organisation_id is None:
        return Topic.objects.none()
    return Topic.objects.filter(
        Q(edition__lead_organisation_id=organisation_id) | Q(hosts__organisation_id=organisation_id)
    ).distinct()

"""Who may see which edition in the organiser workspace, and which part of it: the one rule.

- superusers, and staff of an edition's lead organisation or of a partner of its series
  (:func:`ketenconf.events.permissions.editions_editable_by`), see every part of the edition;
- door staff of an edition (:class:`ketenconf.checkin.models.DoorStaff`) see only check-in;
- anyone else does not find the edition (404), so its existence is not given away; door
  staff who open another part of their edition are refused (403); a visitor who is not
  signed in is sent to the login page.

Every workspace page, the organisers' API and the exports ask this module, so they agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _

from ketenconf.checkin.models import DoorStaff
from ketenconf.core.tenancy import edition_scope_enter, scopes_disabled
from ketenconf.events.models import Edition
from ketenconf.events.permissions import editions_editable_by


class Part(StrEnum):
    """The parts of an edition in the workspace, in the order of its navigation."""

    DASHBOARD = "dashboard"
    PROGRAMME = "programme"
    PROPOSALS = "proposals"
    REGISTRATIONS = "registrations"
    QUESTIONS = "questions"  # the registration form's own questions
    ORGANISATIONS = "organisations"  # names typed by registrants, to accept or merge
    MESSAGES = "messages"  # messages to participants and the reminders
    ASSIGNMENT = "assignment"
    MARKET = "market"
    NETWORKING = "networking"
    CHECKIN = "checkin"
    BADGES = "badges"  # badges in bulk and the live counts: organisers only
    DAY = "day"  # the day's re-offers of seats: organisers only
    REPORT = "report"
    EXPORTS = "exports"
    IMPORTS = "imports"
    API = "api"
    AUDIT = "audit"  # who changed what: organisers only
    SETTINGS = "settings"


ORGANISER_PARTS: frozenset[Part] = frozenset(Part)
DOOR_STAFF_PARTS: frozenset[Part] = frozenset({Part.CHECKIN})


def _staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def editions_for(*, user: Any, part: Part) -> QuerySet[Edition]:
    """The editions in which this user may open ``part``: for the API, exports and lists."""
    if not _staff(user):
        return Edition.objects.none()
    organised = editions_editable_by(user=user)
    if part not in DOOR_STAFF_PARTS:
        return organised
    with scopes_disabled():  # door duties in every edition: they decide which is in scope
        duties = DoorStaff.objects.filter(user=user).values("edition_id")
    return Edition.objects.filter(Q(pk__in=duties) | Q(pk__in=organised.values("pk")))


@dataclass(frozen=True)
class EditionAccess:
    edition: Edition
    parts: frozenset[Part]

    @property
    def home(self) -> Part:
        """The first part this user may open: the dashboard, or check-in for door staff."""
        return Part.DASHBOARD if Part.DASHBOARD in self.parts else Part.CHECKIN


def workspace_editions(*, user: Any) -> list[EditionAccess]:
    """Every edition this user may work on, newest first, with the parts they may open."""
    if not _staff(user):
        return []
    organised = set(editions_editable_by(user=user).values_list("pk", flat=True))
    with scopes_disabled():  # door duties in every edition
        duties = set(DoorStaff.objects.filter(user=user).values_list("edition_id", flat=True))
    editions = Edition.objects.filter(pk__in=organised | duties).order_by("-start_date", "pk")
    return [
        EditionAccess(
            edition=edition,
            parts=ORGANISER_PARTS if edition.pk in organised else DOOR_STAFF_PARTS,
        )
        for edition in editions
    ]


def edition_access(*, user: Any, slug: str) -> EditionAccess:
    """The edition by its slug with the parts this user may open; 404 when there are none.

    One query: the edition with whether the user organises it or works its doors.
    """
    if not _staff(user):
        raise Http404
    with scopes_disabled():  # whether the user works this edition's doors decides its scope
        edition = (
            Edition.objects.select_related("venue", "lead_organisation", "series")
            .annotate(
                organised=Exists(editions_editable_by(user=user).filter(pk=OuterRef("pk"))),
                door_duty=Exists(DoorStaff.objects.filter(user=user, edition=OuterRef("pk"))),
            )
            .filter(slug=slug)
            .first()
        )
    if edition is None:
        raise Http404
    if edition.organised or edition.door_duty:
        edition_scope_enter(edition)
    if edition.organised:
        return EditionAccess(edition=edition, parts=ORGANISER_PARTS)
    if edition.door_duty:
        return EditionAccess(edition=edition, parts=DOOR_STAFF_PARTS)
    raise Http404


def login_redirect(request: HttpRequest) -> HttpResponseRedirect:
    return redirect_to_login(request.get_full_path(), reverse("workspace:login"))


def workspace_page(part: Part) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., Any]]:
    """A page of ``part`` of an edition: ``view(request, edition, **kwargs)``.

    The URL carries the edition's ``slug``; the view finds ``request.workspace`` (an
    :class:`EditionAccess`) for the navigation.
    """

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return login_redirect(request)
            access = edition_access(user=request.user, slug=slug)
            if part not in access.parts:
                raise PermissionDenied(_("Door staff see only the check-in of this edition."))
            request.workspace = access  # type: ignore[attr-defined]
            return view(request, access.edition, **kwargs)

        wrapper.workspace_part = part  # type: ignore[attr-defined]
        return wrapper

    return decorator

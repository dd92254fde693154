"""Who may see which edition in the organiser workspace, and which part of it: the one rule.

A person's rights in an edition come from their role in it
(:class:`ketenconf.team.models.EditionRole`; superusers need none and see everything):

- lead organiser: every part, the edition's settings and partners, and its people;
- partner organiser: every part but the settings and the people, as series partners had
  before roles; of the programme they edit only the topics their organisation hosts
  (:func:`topics_editable_by`, for the API, the imports and the admin);
- host: their own sessions and who is in them (the part "Your sessions");
- door staff: the check-in only.

Anyone without a role does not find the edition (404), so its existence is not given away;
someone who opens a part their role does not include is refused (403); a visitor who is not
signed in is sent to the login page. Every workspace page, the organisers' API, the exports
and the admin's lists (through :mod:`ketenconf.events.permissions`) ask this module, so they
agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _

from ketenconf.core.tenancy import edition_scope_enter, scopes_disabled
from ketenconf.events.models import Edition
from ketenconf.team.models import EditionRole, Role

if TYPE_CHECKING:
    from ketenconf.programme.models import Topic


class Part(StrEnum):
    """The parts of an edition in the workspace, in the order of its navigation."""

    DASHBOARD = "dashboard"
    PROGRAMME = "programme"
    SESSIONS = "sessions"  # a host's own sessions and who is in them
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
    TEAM = "team"  # the edition's people and their roles, invitations: lead organisers only
    SETTINGS = "settings"


#: What each role may open.
ROLE_PARTS: dict[Role, frozenset[Part]] = {
    Role.LEAD: frozenset(Part) - {Part.SESSIONS},
    Role.PARTNER: frozenset(Part) - {Part.SESSIONS, Part.TEAM, Part.SETTINGS},
    Role.HOST: frozenset({Part.SESSIONS}),
    Role.DOOR: frozenset({Part.CHECKIN}),
}
ORGANISER_PARTS: frozenset[Part] = ROLE_PARTS[Role.LEAD]
DOOR_STAFF_PARTS: frozenset[Part] = ROLE_PARTS[Role.DOOR]
#: The roles that organise an edition: they edit it in the admin and review its proposals.
ORGANISING_ROLES: frozenset[Role] = frozenset({Role.LEAD, Role.PARTNER})


def roles_with(part: Part) -> list[str]:
    """The roles that may open ``part``."""
    return [role.value for role, parts in ROLE_PARTS.items() if part in parts]


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _staff(user: Any) -> bool:
    return _active(user) and bool(user.is_staff)


def _superuser(user: Any) -> bool:
    return _staff(user) and bool(user.is_superuser)


def _roles(user: Any) -> QuerySet[EditionRole]:
    """The user's roles in every edition, whatever edition is in scope."""
    with scopes_disabled():  # a person's roles decide which edition is in scope
        return EditionRole.objects.filter(user_id=user.pk)


def editions_for(*, user: Any, part: Part) -> QuerySet[Edition]:
    """The editions in which this user may open ``part``: for the API, exports and lists."""
    if _superuser(user):
        return Edition.objects.all()
    if not _staff(user):
        return Edition.objects.none()
    return Edition.objects.filter(
        pk__in=_roles(user).filter(role__in=roles_with(part)).values("edition_id")
    )


def editions_editable_by(*, user: Any) -> QuerySet[Edition]:
    """The editions this user organises (lead or partner organiser): the admin's lists."""
    if _superuser(user):
        return Edition.objects.all()
    if not _staff(user):
        return Edition.objects.none()
    return Edition.objects.filter(
        pk__in=_roles(user).filter(role__in=list(ORGANISING_ROLES)).values("edition_id")
    )


def role_in(*, user: Any, edition: Edition) -> Role | None:
    """The user's role in ``edition`` (superusers: lead organiser); None without one."""
    if _superuser(user):
        return Role.LEAD
    if not _staff(user):
        return None
    found = _roles(user).filter(edition_id=edition.pk).values_list("role", flat=True).first()
    return Role(found) if found else None


def team_manageable_by(*, user: Any, edition: Edition) -> bool:
    """Whether the user may invite people to ``edition``, change their roles and remove them."""
    return role_in(user=user, edition=edition) == Role.LEAD


def topics_editable_by(*, user: Any) -> QuerySet[Topic]:
    """The topics (and so the sessions) this user may change, in every edition.

    Lead organisers: all topics of their editions; partner organisers: the topics their
    organisation hosts; hosts: their own topics; door staff: none.
    """
    from ketenconf.programme.models import Topic

    if _superuser(user):
        return Topic.objects.all()
    if not _staff(user):
        return Topic.objects.none()
    rows = list(
        _roles(user)
        .exclude(role=Role.DOOR)
        .values_list("pk", "edition_id", "role", "organisation_id")
    )
    where = Q(pk__in=[])
    hosted: list[int] = []
    for pk, edition_id, role, organisation_id in rows:
        if role == Role.LEAD:
            where |= Q(edition_id=edition_id)
        elif role == Role.PARTNER and organisation_id is not None:
            where |= Q(edition_id=edition_id, hosts__organisation_id=organisation_id)
        elif role == Role.HOST:
            hosted.append(pk)
    if hosted:
        with scopes_disabled():
            through = EditionRole.topics.through.objects.filter(editionrole_id__in=hosted)
            where |= Q(pk__in=list(through.values_list("topic_id", flat=True)))
    return Topic.objects.filter(where).distinct()


@dataclass(frozen=True)
class EditionAccess:
    edition: Edition
    parts: frozenset[Part]
    role: Role = Role.LEAD

    @property
    def home(self) -> Part:
        """The first part this user may open: the dashboard, your sessions or the check-in."""
        return next(part for part in Part if part in self.parts)


def workspace_editions(*, user: Any) -> list[EditionAccess]:
    """Every edition this user may work on, newest first, with the parts they may open."""
    if _superuser(user):
        editions = Edition.objects.order_by("-start_date", "pk")
        return [EditionAccess(edition=edition, parts=ORGANISER_PARTS) for edition in editions]
    if not _staff(user):
        return []
    roles = dict(_roles(user).values_list("edition_id", "role"))
    editions = Edition.objects.filter(pk__in=roles).order_by("-start_date", "pk")
    return [
        EditionAccess(
            edition=edition,
            parts=ROLE_PARTS[Role(roles[edition.pk])],
            role=Role(roles[edition.pk]),
        )
        for edition in editions
    ]


def edition_access(*, user: Any, slug: str) -> EditionAccess:
    """The edition by its slug with the parts this user may open; 404 when there are none.

    One query: the edition with the user's role in it.
    """
    if not _staff(user):
        raise Http404
    with scopes_disabled():  # the user's role in this edition decides its scope
        edition = (
            Edition.objects.select_related("venue", "lead_organisation", "series")
            .annotate(
                role=Subquery(
                    EditionRole.objects.filter(user_id=user.pk, edition=OuterRef("pk")).values(
                        "role"
                    )[:1]
                )
            )
            .filter(slug=slug)
            .first()
        )
    if edition is None:
        raise Http404
    role = Role.LEAD if _superuser(user) else (Role(edition.role) if edition.role else None)
    if role is None:
        raise Http404
    edition_scope_enter(edition)
    return EditionAccess(edition=edition, parts=ROLE_PARTS[role], role=role)


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
                raise PermissionDenied(
                    _("Your role in this edition (%(role)s) does not include this part.")
                    % {"role": access.role.label}
                )
            request.workspace = access  # type: ignore[attr-defined]
            return view(request, access.edition, **kwargs)

        wrapper.workspace_part = part  # type: ignore[attr-defined]
        return wrapper

    return decorator

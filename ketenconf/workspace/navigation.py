"""The workspace's one navigation: a link per part of an edition, in one order, and the
breadcrumb trail every workspace page shows above its heading."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ketenconf.events.models import Edition

from .access import EditionAccess, Part


def _by_slug(name: str) -> Callable[[Edition], str]:
    return lambda edition: reverse(name, args=[edition.slug])


#: The path segment of each part under /organise/<edition>/, for the parts that have pages.
SEGMENTS: dict[Part, str] = {
    Part.PROPOSALS: "call",
    Part.ASSIGNMENT: "assignment",
    Part.CHECKIN: "checkin",
    Part.DAY: "day",
    Part.REPORT: "report",
    Part.EXPORTS: "exports",
    Part.IMPORTS: "imports",
    Part.MESSAGES: "messages",
    Part.QUESTIONS: "questions",
}

#: The label of each part, and the address of its first page.
PART_PAGES: dict[Part, tuple[Promise, Callable[[Edition], str]]] = {
    Part.DASHBOARD: (_("Dashboard"), _by_slug("workspace:dashboard")),
    Part.PROGRAMME: (_("Programme and rooms"), _by_slug("programme_organise:overview")),
    Part.SESSIONS: (_("Your sessions"), _by_slug("team_sessions:list")),
    Part.PROPOSALS: (_("Call for sessions"), _by_slug("proposals_organise:overview")),
    Part.REGISTRATIONS: (_("Registrations"), _by_slug("registrations:list")),
    Part.QUESTIONS: (_("Registration questions"), _by_slug("questions:list")),
    Part.ORGANISATIONS: (_("Organisations"), _by_slug("events_organise:proposed")),
    Part.ASSIGNMENT: (_("Workshop assignment"), _by_slug("allocation:edition")),
    Part.CHECKIN: (_("Check-in"), _by_slug("checkin:edition")),
    Part.BADGES: (_("Badges and live counts"), _by_slug("checkin:badges")),
    Part.DAY: (_("The day"), _by_slug("allocation_day:day")),
    Part.REPORT: (_("Survey and report"), _by_slug("report:edition")),
    Part.EXPORTS: (_("Export"), _by_slug("exports:tables")),
    Part.IMPORTS: (_("Import"), _by_slug("imports:new")),
    Part.MESSAGES: (_("Messages"), _by_slug("messaging:list")),
    Part.API: (_("API tokens"), _by_slug("api_tokens:list")),
    Part.AUDIT: (_("Audit trail"), _by_slug("audit:list")),
    Part.TEAM: (_("People"), _by_slug("team:people")),
    Part.SETTINGS: (_("Settings"), _by_slug("edition_settings:edit")),
}


@dataclass(frozen=True)
class NavLink:
    part: Part
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str


def _part_url(part: Part, edition: Edition) -> str:
    return PART_PAGES[part][1](edition)


def part_links(*, access: EditionAccess, current: Part | None) -> list[NavLink]:
    return [
        NavLink(
            part=part,
            label=str(label),
            url=_part_url(part, access.edition),
            current=part == current,
        )
        for part, (label, _url) in PART_PAGES.items()
        if part in access.parts
    ]


def workspace_context(request: HttpRequest) -> dict[str, object]:
    """The navigation and breadcrumbs of a workspace page, for its template.

    A view adds its own crumbs after the part's with ``crumbs``; the page's title is last.
    """
    access: EditionAccess | None = getattr(request, "workspace", None)
    if access is None:
        return {}
    match = request.resolver_match
    view = getattr(match, "func", None)
    part: Part | None = getattr(view, "workspace_part", None)
    trail = [Crumb(str(_("Workspace")), reverse("workspace:editions"))]
    trail.append(Crumb(access.edition.title, _part_url(access.home, access.edition)))
    if part is not None and part != access.home and part in PART_PAGES:
        trail.append(Crumb(str(PART_PAGES[part][0]), _part_url(part, access.edition)))
    return {
        "workspace": access,
        "workspace_links": part_links(access=access, current=part),
        "workspace_trail": trail,
    }

"""The organiser workspace: the login, the editions one may work on, an edition's dashboard.

Pages of an edition are decorated with :func:`.access.workspace_page`, the one access rule.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ketenconf.core.charts import BarChart, row_chart
from ketenconf.events.models import Edition
from ketenconf.ops.views import login_throttled

from . import selectors
from .access import Part, editions_for, login_redirect, workspace_editions, workspace_page
from .navigation import PART_PAGES, SEGMENTS


def login(request: HttpRequest) -> HttpResponseBase:
    """The organisers' login, throttled as the admin's is; it leads to the workspace."""
    view = auth_views.LoginView.as_view(
        template_name="workspace/login.html",
        redirect_authenticated_user=True,
        next_page="workspace:editions",
        extra_context={
            # Single sign-on, when configured, and whether passwords still work for organisers.
            "sso": bool(settings.OIDC_ISSUER),
            "sso_name": settings.OIDC_NAME,
            "password_login": not settings.OIDC_ISSUER or settings.OIDC_PASSWORD_LOGIN,
        },
    )

    def refused(wait: int) -> HttpResponse:
        return render(
            request,
            "workspace/too_many_logins.html",
            {"seconds": wait, "minutes": (wait + 59) // 60},
        )

    return login_throttled(request, view, refused)


def logout(request: HttpRequest) -> HttpResponseBase:
    return auth_views.LogoutView.as_view(next_page="workspace:login")(request)


@require_safe
def editions(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return login_redirect(request)
    rows = [
        (access, PART_PAGES[access.home][1](access.edition))
        for access in workspace_editions(user=request.user)
    ]
    return render(request, "workspace/editions.html", {"rows": rows})


def _weeks(days: list[selectors.Day]) -> list[tuple[date, int, int]]:
    """Registrations per week (from Monday): (first day, new, running total)."""
    weeks: list[tuple[date, int, int]] = []
    for day in days:
        monday = day.day - timedelta(days=day.day.weekday())
        if weeks and weeks[-1][0] == monday:
            weeks[-1] = (monday, weeks[-1][1] + day.new, day.total)
        else:
            weeks.append((monday, day.new, day.total))
    return weeks


def _registrations_chart(weeks: list[tuple[date, int, int]]) -> BarChart:
    total = weeks[-1][2] if weeks else 0
    return row_chart(
        title=_("New registrations per week"),
        description=_("%(total)d registrations in %(weeks)d weeks; the table gives each week.")
        % {"total": total, "weeks": len(weeks)},
        series=[_("new registrations")],
        rows=[
            (_("week of %(day)s") % {"day": date_format(monday, "j b")}, [new])
            for monday, new, _total in weeks
        ],
    )


def _kinds_chart(kinds: list[selectors.KindCount]) -> BarChart:
    return row_chart(
        title=_("Registered participants by kind of organisation"),
        description=_("%(count)d kinds of organisation; the table gives the numbers.")
        % {"count": len(kinds)},
        series=[_("participants")],
        rows=[(kind.label, [kind.count]) for kind in kinds],
    )


@require_safe
@workspace_page(Part.DASHBOARD)
def dashboard(request: HttpRequest, edition: Edition) -> HttpResponse:
    figures = selectors.edition_dashboard(edition=edition)
    now = timezone.now()
    weeks = _weeks(figures.days)
    steps = [
        (step.text, PART_PAGES[Part(step.part)][1](edition))
        if Part(step.part) in PART_PAGES
        else (step.text, "")
        for step in selectors.next_steps(dashboard=figures, now=now)
    ]
    states = [
        (state, PART_PAGES[Part(state.part)][1](edition) if Part(state.part) in PART_PAGES else "")
        for state in selectors.part_states(dashboard=figures, now=now)
    ]
    return render(
        request,
        "workspace/dashboard.html",
        {
            "edition": edition,
            "figures": figures,
            "weeks": weeks,
            "registrations_chart": _registrations_chart(weeks),
            "kinds_chart": _kinds_chart(figures.kinds),
            "steps": steps,
            "states": states,
        },
    )


def moved(
    request: HttpRequest,
    *,
    part: str = "",
    edition_id: str = "",
    slug: str = "",
    rest: str = "",
) -> HttpResponseBase:
    """An address from before the workspace: sent on to the same page under /organise/.

    Only editions the user may open that part of are found, so an old address gives away
    no more than the new one; GET is moved permanently (301), other methods keep theirs (308).
    """
    if not part:
        return HttpResponsePermanentRedirect(reverse("workspace:editions"))
    if not request.user.is_authenticated:
        return login_redirect(request)
    editions = editions_for(user=request.user, part=Part(part))
    found = editions.filter(pk=edition_id) if edition_id else editions.filter(slug=slug)
    edition = found.values_list("slug", flat=True).first()
    if edition is None:
        raise Http404
    target = f"/organise/{edition}/{SEGMENTS[Part(part)]}/{rest}"
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    response = HttpResponsePermanentRedirect(target)
    if request.method not in ("GET", "HEAD"):
        response.status_code = 308
    return response

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from ketenconf.core.tenancy import edition_scope_enter, scopes_disabled
from ketenconf.events.selectors import edition_public_get
from ketenconf.programme.selectors import session_public_get
from ketenconf.registration.access import session_registration

from . import selectors, services
from .ical import ICalExporter, PersonalICalExporter
from .registry import exporter_get


@require_safe
def edition_export(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    """A public edition's programme as a file, in the language of the address."""
    exporter = exporter_get(identifier)
    if exporter is None:
        raise Http404
    edition = edition_public_get(slug=slug)
    response = HttpResponse(exporter.render(edition), content_type=exporter.content_type)
    response["Content-Disposition"] = f'inline; filename="{exporter.filename(edition)}"'
    # Public data, for web-based schedule apps on other sites too.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def session_calendar(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One public session as an iCalendar file with one event: a calendar app opens it and
    offers to add it. Its UID is the one the whole programme's file uses, so importing both
    gives one event, not two."""
    edition = edition_public_get(slug=slug)
    session = session_public_get(edition=edition, pk=pk)
    body = ICalExporter().render_schedule(
        selectors.ScheduleData(edition=edition, sessions=[session], open_blocks=[])
    )
    response = HttpResponse(body, content_type=ICalExporter.content_type)
    response["Content-Disposition"] = f'attachment; filename="{edition.slug}-session-{pk}.ics"'
    return response


@require_safe
def calendar_feed(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """A participant's own programme at their secret address, for calendar apps to subscribe to.

    An unknown or stopped address is a plain 404, the same whatever the reason.
    """
    with scopes_disabled():  # the secret address finds its registration in any edition
        registration = selectors.calendar_feed_registration(token=token)
    if registration is None or registration.edition.slug != slug:
        raise Http404
    edition = registration.edition
    edition_scope_enter(edition)
    exporter = PersonalICalExporter()
    if registration.has_seat:
        sessions = selectors.personal_calendar_sessions(registration=registration)
        body = exporter.render(edition, sessions=sessions)
    else:
        # No seat, no day: an empty calendar takes earlier events out of a subscription.
        body = exporter.render_schedule(
            selectors.ScheduleData(edition=edition, sessions=[], open_blocks=[])
        )
    response = HttpResponse(body, content_type=exporter.content_type)
    response["Content-Disposition"] = f'inline; filename="{exporter.filename(edition)}"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


class CalendarFeedForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("renew", gettext_lazy("new address")), ("stop", gettext_lazy("stop"))]
    )


@require_POST
def calendar_feed_change(request: HttpRequest, slug: str) -> HttpResponse:
    """Make a (new) calendar address, or stop it, for the registration of this browser."""
    edition = edition_public_get(slug=slug)
    registration = session_registration(request, edition=edition)
    if registration is None:
        return redirect(reverse("registration:request_link", kwargs={"slug": slug}))
    form = CalendarFeedForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["action"] == "renew":
            services.calendar_feed_renew(registration=registration)
            messages.success(
                request,
                _("Your calendar has a new address. An address you used before no longer works."),
            )
        else:
            services.calendar_feed_revoke(registration=registration)
            messages.success(request, _("Your calendar address no longer works."))
    return redirect(reverse("registration:me", kwargs={"slug": slug}) + "#calendar-heading")

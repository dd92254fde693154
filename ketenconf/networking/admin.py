"""The organisers' side of networking, in the admin: slots, tables, meetings, and a page per
edition with the metrics and the "propose meetings" action.

Organisers see the editions they may edit (``events.permissions``); every change goes through
:mod:`ketenconf.networking.services`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ketenconf.events.admin_access import OrganiserAdmin, is_organiser
from ketenconf.events.models import Edition
from ketenconf.events.permissions import editions_editable_by

from . import selectors, services
from .forms import ProposeForm
from .models import (
    MatchRun,
    MatchRunStatus,
    Meeting,
    MeetingRequest,
    NetworkingSlot,
    NetworkingTable,
)


class EditionScopedAdmin(OrganiserAdmin):
    def editable_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.model.objects.filter(edition__in=editions_editable_by(user=request.user))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "edition":
            kwargs["queryset"] = editions_editable_by(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(NetworkingSlot)
class NetworkingSlotAdmin(EditionScopedAdmin):
    list_display = ("__str__", "edition", "block")
    list_filter = (("edition", admin.RelatedOnlyFieldListFilter),)
    fields = ("edition", "block", "start", "end")


class AddTablesForm(forms.Form):
    edition: forms.ModelChoiceField[Edition] = forms.ModelChoiceField(
        label=_("Edition"), queryset=Edition.objects.none()
    )
    count = forms.IntegerField(label=_("Number of tables"), min_value=1, max_value=2000)
    seats = forms.IntegerField(label=_("Seats per table"), min_value=2, max_value=20, initial=4)


@admin.register(NetworkingTable)
class NetworkingTableAdmin(EditionScopedAdmin):
    list_display = ("number", "seats", "edition")
    list_filter = (("edition", admin.RelatedOnlyFieldListFilter),)
    fields = ("edition", "number", "seats")

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "add-many/",
                self.admin_site.admin_view(self.add_many_view),
                name="networking_networkingtable_add_many",
            ),
            *super().get_urls(),
        ]

    def add_many_view(self, request: HttpRequest) -> HttpResponse:
        """Add a row of numbered tables at once."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AddTablesForm(request.POST or None)
        edition_field = form.fields["edition"]
        assert isinstance(edition_field, forms.ModelChoiceField)
        edition_field.queryset = editions_editable_by(user=request.user)
        if request.method == "POST" and form.is_valid():
            tables = services.networking_tables_create(
                edition=form.cleaned_data["edition"],
                count=form.cleaned_data["count"],
                seats=form.cleaned_data["seats"],
            )
            self.message_user(
                request,
                gettext("%(count)s tables added.") % {"count": len(tables)},
                messages.SUCCESS,
            )
            return redirect(reverse("admin:networking_networkingtable_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Add networking tables"),
            "opts": self.opts,
            "form": form,
        }
        return TemplateResponse(request, "admin/networking/add_tables.html", context)


class ReadOnlyAdmin(EditionScopedAdmin):
    """Rows the engine and the participants write; organisers read them here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("slot", "table", "first", "second", "status", "from_request", "weight")
    list_filter = (("edition", admin.RelatedOnlyFieldListFilter), "status", "from_request")
    search_fields = ("first__name", "second__name")
    list_select_related = ("slot", "table", "first", "second")
    readonly_fields = [f.name for f in Meeting._meta.fields]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(ReadOnlyAdmin):
    list_display = ("requester", "target", "status", "created_at", "answered_at")
    list_filter = (("edition", admin.RelatedOnlyFieldListFilter), "status")
    search_fields = ("requester__name", "target__name")
    list_select_related = ("requester", "target")
    readonly_fields = [f.name for f in MeetingRequest._meta.fields]


@admin.register(MatchRun)
class MatchRunAdmin(ReadOnlyAdmin):
    """Runs are read-only; the editions page (link at the top of the list) starts them."""

    list_display = (
        "created_at",
        "edition",
        "status",
        "proposed",
        "weight",
        "upper_bound",
        "seconds",
    )
    list_filter = (("edition", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("edition",)
    readonly_fields = [f.name for f in MatchRun._meta.fields]

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "editions/",
                self.admin_site.admin_view(self.editions_view),
                name="networking_editions",
            ),
            path(
                "editions/<int:edition_id>/",
                self.admin_site.admin_view(self.edition_view),
                name="networking_edition",
            ),
            *super().get_urls(),
        ]

    def editions_view(self, request: HttpRequest) -> HttpResponse:
        if not is_organiser(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Networking per edition"),
            "opts": self.opts,
            "editions": editions_editable_by(user=request.user).order_by("-start_date"),
        }
        return TemplateResponse(request, "admin/networking/editions.html", context)

    def edition_view(self, request: HttpRequest, edition_id: int) -> HttpResponse:
        """Metrics of the meetings so far, and the form that proposes (more) meetings."""
        if not is_organiser(request):
            raise PermissionDenied
        edition = get_object_or_404(editions_editable_by(user=request.user), pk=edition_id)
        form = ProposeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                run = services.meetings_propose_start(
                    edition=edition,
                    by=request.user,
                    max_meetings=form.cleaned_data["max_meetings"],
                    seed=form.cleaned_data["seed"] or 0,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                if run.status == MatchRunStatus.QUEUED:
                    self.message_user(
                        request,
                        gettext(
                            "The worker is proposing the meetings; reload this page to see the "
                            "run when it has finished."
                        ),
                        messages.INFO,
                    )
                elif run.proposed == 0:
                    # Say why, not just "0 meetings proposed".
                    missing = selectors.networking_missing(
                        summary=selectors.edition_networking(edition=edition)
                    )
                    self.message_user(
                        request,
                        " ".join(
                            [gettext("No new meeting proposed."), *missing]
                            if missing
                            else [
                                gettext(
                                    "No new meeting proposed: everyone with something in common "
                                    "already has their meetings, or no slot and table is free "
                                    "for them."
                                )
                            ]
                        ),
                        messages.WARNING,
                    )
                else:
                    self.message_user(
                        request,
                        gettext(
                            "%(count)s meetings proposed (weight %(weight)s of at most %(bound)s)."
                        )
                        % {"count": run.proposed, "weight": run.weight, "bound": run.upper_bound},
                        messages.SUCCESS,
                    )
                return redirect(reverse("admin:networking_edition", args=[edition.pk]))
        summary = selectors.edition_networking(edition=edition)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Networking at %(edition)s") % {"edition": edition},
            "opts": self.opts,
            "edition": edition,
            "form": form,
            "summary": summary,
            "missing": selectors.networking_missing(summary=summary),
            "runs": MatchRun.objects.filter(edition=edition)[:10],
        }
        return TemplateResponse(request, "admin/networking/edition.html", context)

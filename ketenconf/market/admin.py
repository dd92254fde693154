"""The organisers' side of the market, in the admin: applications (accept, turn down), the
floor grid, automatic placement and moving stands by hand, and a floor plan per edition.

Every change goes through :mod:`ketenconf.market.services`.
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

from ketenconf.core.tenancy import scopes_disabled
from ketenconf.events.admin_access import OrganiserAdmin, is_organiser
from ketenconf.events.models import Edition
from ketenconf.events.permissions import editions_editable_by

from . import selectors, services
from .forms import GridForm
from .models import FloorPosition, Stand, StandStatus


class EditionScopedAdmin(OrganiserAdmin):
    def editable_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.model.objects.filter(edition__in=editions_editable_by(user=request.user))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "edition":
            kwargs["queryset"] = editions_editable_by(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(FloorPosition)
class FloorPositionAdmin(EditionScopedAdmin):
    list_display = ("number", "row", "column", "has_power", "is_large", "edition")
    list_editable = ("has_power", "is_large")
    list_filter = (("edition", admin.RelatedOnlyFieldListFilter), "has_power", "is_large")
    fields = ("edition", "number", "row", "column", "has_power", "is_large")


# The form's floor positions are chosen per stand in __init__; the class is made outside any
# edition's scope (ketenconf.core.tenancy), as pretix does with such forms.
with scopes_disabled():

    class StandAdminForm(forms.ModelForm):
        class Meta:
            model = Stand
            fields = ("position",)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            position = self.fields["position"]
            assert isinstance(position, forms.ModelChoiceField)
            position.queryset = FloorPosition.objects.filter(edition_id=self.instance.edition_id)
            position.help_text = gettext(
                "Move the stand by hand; a stand already there swaps places with it."
            )


@admin.register(Stand)
class StandAdmin(EditionScopedAdmin):
    form = StandAdminForm
    list_display = (
        "name",
        "organisation",
        "status",
        "position",
        "needs_power",
        "needs_large",
        "themes_display",
        "edition",
    )
    list_filter = (("edition", admin.RelatedOnlyFieldListFilter), "status", "needs_power")
    search_fields = ("name", "organisation__name", "contact_name", "contact_email")
    list_select_related = ("organisation", "position", "edition")
    actions = ("accept", "reject", "place_automatically", "mail_new_link")
    fields = (
        "edition",
        "organisation",
        "name",
        "description",
        "themes",
        "needs_power",
        "needs_large",
        "other_needs",
        "contact_name",
        "contact_email",
        "language",
        "status",
        "position",
        "position_locked",
        "created_at",
        "decided_at",
    )
    readonly_fields = tuple(f for f in fields if f != "position")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("themes"))
    def themes_display(self, stand: Stand) -> str:
        return ", ".join(stand.themes)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            raise PermissionDenied
        try:
            services.stand_move(
                stand=Stand.objects.get(pk=obj.pk), position=form.cleaned_data["position"]
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def _decide(self, request: HttpRequest, queryset: QuerySet[Any], accept: bool) -> None:
        done = 0
        for stand in queryset:
            try:
                services.stand_decide(stand=stand, accept=accept)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            gettext("%(count)s stands changed to: %(status)s.")
            % {
                "count": done,
                "status": StandStatus.ACCEPTED.label if accept else StandStatus.REJECTED.label,
            },
            messages.SUCCESS,
        )

    @admin.action(description=_("Accept (mails the contact person)"), permissions=["change"])
    def accept(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._decide(request, queryset, True)

    @admin.action(description=_("Turn down (mails the contact person)"), permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._decide(request, queryset, False)

    @admin.action(
        description=_("Place the accepted stands of these editions automatically"),
        permissions=["change"],
    )
    def place_automatically(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for edition in Edition.objects.filter(pk__in=queryset.values("edition_id")):
            self._place(request, edition)

    @admin.action(description=_("Mail a new personal link"), permissions=["change"])
    def mail_new_link(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for stand in queryset:
            services.stand_new_link(stand=stand)
        self.message_user(request, gettext("New links mailed."), messages.SUCCESS)

    def _place(self, request: HttpRequest, edition: Edition) -> None:
        result = services.stands_place(edition=edition)
        self.message_user(
            request,
            gettext("%(edition)s: %(placed)s stands placed, %(unplaced)s without a position.")
            % {
                "edition": edition,
                "placed": len(result.positions),
                "unplaced": len(result.unplaced),
            },
            messages.WARNING if result.unplaced else messages.SUCCESS,
        )

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "floor/<int:edition_id>/",
                self.admin_site.admin_view(self.floor_view),
                name="market_floor",
            ),
            *super().get_urls(),
        ]

    def floor_view(self, request: HttpRequest, edition_id: int) -> HttpResponse:
        """The floor plan of an edition: make a grid, place automatically, see the result."""
        if not is_organiser(request):
            raise PermissionDenied
        edition = get_object_or_404(editions_editable_by(user=request.user), pk=edition_id)
        grid = GridForm(request.POST if "grid" in request.POST else None)
        if request.method == "POST":
            if "place" in request.POST:
                self._place(request, edition)
                return redirect(request.path)
            if grid.is_valid():
                try:
                    created = services.floor_grid_create(
                        edition=edition,
                        rows=grid.cleaned_data["rows"],
                        columns=grid.cleaned_data["columns"],
                        power_columns=grid.cleaned_data["power_columns"],
                    )
                except ValidationError as error:
                    grid.add_error(None, error.messages)
                else:
                    self.message_user(
                        request,
                        gettext("%(count)s positions added.") % {"count": len(created)},
                        messages.SUCCESS,
                    )
                    return redirect(request.path)
        stands = list(selectors.market_stands(edition=edition))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Market floor of %(edition)s") % {"edition": edition},
            "opts": self.opts,
            "edition": edition,
            "plan": selectors.floor_plan(edition=edition, stands=stands),
            "unplaced": [s for s in stands if s.position_id is None],
            "grid": grid,
            "stands_url": reverse("admin:market_stand_changelist")
            + f"?edition__id__exact={edition.pk}",
        }
        return TemplateResponse(request, "admin/market/floor.html", context)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra = {"floor_editions": editions_editable_by(user=request.user).order_by("-start_date")}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

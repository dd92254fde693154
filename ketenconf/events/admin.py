from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TranslationAdmin

from ketenconf.programme.admin import programme_formset_save
from ketenconf.programme.models import Block

from . import permissions, services
from .admin_access import OrganiserAdmin, SharedDataAdmin
from .forms import OrganisationForm
from .models import Edition, Organisation, Room, Series, SeriesPartner, Venue


@admin.register(Organisation)
class OrganisationAdmin(SharedDataAdmin):
    form = OrganisationForm
    list_display = ("name", "short_name", "kind", "accepted")
    list_filter = ("accepted", "kind")
    search_fields = ("name", "short_name")


@admin.register(Venue)
class VenueAdmin(SharedDataAdmin):
    list_display = ("name", "city")
    search_fields = ("name", "city")


class SeriesPartnerInline(admin.TabularInline):
    model = SeriesPartner
    extra = 1
    autocomplete_fields = ("organisation",)


@admin.register(Series)
class SeriesAdmin(SharedDataAdmin, TranslationAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SeriesPartnerInline]
    actions = ["next_edition"]

    @admin.action(
        description=gettext_lazy(
            "Create the next edition (copies rooms and blocks, passes the lead)"
        )
    )
    def next_edition(self, request: HttpRequest, queryset: QuerySet[Series]) -> None:
        for series in queryset:
            latest = series.editions.order_by("-start_date").first()
            if latest is None:
                self.message_user(
                    request,
                    _("%(series)s has no edition to copy.") % {"series": series},
                    messages.ERROR,
                )
                continue
            year = latest.start_date.year + 1
            slug = f"{series.slug}-{year}"
            if Edition.objects.filter(slug=slug).exists():
                self.message_user(
                    request,
                    _("An edition %(slug)s already exists.") % {"slug": slug},
                    messages.ERROR,
                )
                continue
            edition = services.edition_create_next(series=series, slug=slug, by=request.user)
            self.message_user(
                request,
                _("Created %(edition)s (%(slug)s), led by %(lead)s.")
                % {"edition": edition, "slug": slug, "lead": edition.lead_organisation},
                messages.SUCCESS,
            )


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


class BlockInline(admin.TabularInline):
    model = Block
    extra = 0
    fields = ("kind", "title_nl", "title_en", "start", "end")


@admin.register(Edition)
class EditionAdmin(OrganiserAdmin, TranslationAdmin):
    list_display = ("title", "slug", "start_date", "status", "lead_organisation", "capacity")
    list_filter = ("status", "series")
    list_select_related = ("lead_organisation",)
    search_fields = ("title_nl", "title_en", "slug")
    autocomplete_fields = ("lead_organisation", "venue")
    inlines = [RoomInline, BlockInline]

    def editable_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return permissions.editions_editable_by(user=request.user)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        programme_formset_save(formset)  # the blocks through the programme's services

    def save_model(self, request: HttpRequest, obj: Edition, form: Any, change: bool) -> None:
        promoted = services.edition_save(edition=obj, changed=form.changed_data if change else ())
        if promoted:
            self.message_user(
                request,
                _("%(count)d people from the waiting list got a seat.") % {"count": len(promoted)},
                messages.SUCCESS,
            )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "series" and not request.user.is_superuser:
            kwargs["queryset"] = Series.objects.filter(
                partnerships__organisation_id=getattr(request.user, "organisation_id", 0) or 0
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

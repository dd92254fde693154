"""The organisers' participant list: staff see the registrations of the editions they edit.

Every change goes through :mod:`ketenconf.registration.services`: adding calls
``registration_create`` (organisers may add to their edition whatever its status),
status changes are admin actions calling ``registration_set_status``, details go through
``registration_update_details``. Deleting is left to the participant's own page and to the
retention period, so a seat is never freed past the services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ketenconf.events.admin_access import OrganiserAdmin
from ketenconf.events.models import Edition, Organisation
from ketenconf.events.permissions import editions_editable_by

from . import exports, services
from .forms import RegistrationForm, registration_create_arguments
from .models import Registration, RegistrationStatus

DETAIL_FIELDS = (
    "name",
    "job_title",
    "needs_step_free",
    "networking_consent",
    "language",
)


class OrganiserAddForm(forms.Form):
    """An organiser adds a participant: the fields of the registration page, and the edition."""

    edition: forms.ModelChoiceField[Edition] = forms.ModelChoiceField(
        label=_("Edition"), queryset=Edition.objects.none()
    )
    name = RegistrationForm.base_fields["name"]
    email = RegistrationForm.base_fields["email"]
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )
    organisation_name = forms.CharField(
        label=_("Or the name of an organisation not in the list"),
        max_length=200,
        required=False,
        validators=RegistrationForm.base_fields["organisation"].validators,
    )
    job_title = RegistrationForm.base_fields["job_title"]
    needs_step_free = RegistrationForm.base_fields["needs_step_free"]
    networking_consent = RegistrationForm.base_fields["networking_consent"]
    language = RegistrationForm.base_fields["language"]

    def __init__(self, *args: Any, editions: QuerySet[Edition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        edition_field = self.fields["edition"]
        assert isinstance(edition_field, forms.ModelChoiceField)
        edition_field.queryset = editions.order_by("-start_date")
        self.fields["language"].initial = "nl"


class OrganisationKindFilter(admin.ChoicesFieldListFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = _("organisation kind")


class RegistrationChangeForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = DETAIL_FIELDS


@admin.register(Registration)
class RegistrationAdmin(OrganiserAdmin):
    form = RegistrationChangeForm
    list_display = (
        "name",
        "email",
        "organisation",
        "organisation_kind",
        "status",
        "waitlist_place",
        "edition",
        "created_at",
        "confirmed_at",
    )
    list_display_links = ("name",)
    list_filter = (
        ("edition", admin.RelatedOnlyFieldListFilter),
        "status",
        ("organisation__kind", OrganisationKindFilter),
        ("organisation", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("name", "email", "organisation__name", "organisation__short_name")
    list_per_page = 100
    ordering = ("-created_at", "-pk")
    actions = ("give_seat", "put_on_waitlist", "cancel", "export_csv", "export_xlsx")
    fieldsets = (
        (None, {"fields": ("edition", "status", "waitlist_place", "email", "organisation")}),
        (_("Details"), {"fields": DETAIL_FIELDS}),
        (
            _("History"),
            {
                "fields": (
                    "created_at",
                    "confirmed_at",
                    "waitlisted_at",
                    "cancelled_at",
                    "anonymised_at",
                )
            },
        ),
    )
    readonly_fields = (
        "edition",
        "status",
        "waitlist_place",
        "email",
        "organisation",
        "created_at",
        "confirmed_at",
        "waitlisted_at",
        "cancelled_at",
        "anonymised_at",
    )

    # Scope: the registrations of the editions this user's organisation leads or partners in.

    def editable_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Registration.objects.filter(edition__in=editions_editable_by(user=request.user))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return exports.registrations_with_position(super().get_queryset(request))

    def get_ordering(self, request: HttpRequest) -> Any:
        # The waiting list reads in its own order: the next to get a seat first.
        if request.GET.get("status__exact") == RegistrationStatus.WAITLISTED:
            return ("waitlisted_at", "pk")
        return super().get_ordering(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    # Columns.

    @admin.display(description=_("organisation kind"), ordering="organisation__kind")
    def organisation_kind(self, registration: Registration) -> str:
        return registration.organisation.get_kind_display()

    @admin.display(description=_("place on the waiting list"), ordering="waitlisted_at")
    def waitlist_place(self, registration: Registration) -> int | None:
        return getattr(registration, "position", None)

    # Adding: through the service, never a raw save.

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = OrganiserAddForm(
            request.POST if request.method == "POST" else None,
            editions=editions_editable_by(user=request.user),
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                outcome = services.registration_create(
                    edition=data["edition"],
                    even_if_closed=True,
                    **registration_create_arguments(data),
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return self._added(request, outcome)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Add a participant"),
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media,
            "has_view_permission": True,
            **(extra_context or {}),
        }
        status = 422 if request.method == "POST" else 200
        return TemplateResponse(
            request, "admin/registration/registration/add_participant.html", context, status=status
        )

    def _added(self, request: HttpRequest, outcome: services.RegistrationOutcome) -> HttpResponse:
        registration = outcome.registration
        values = {
            "name": registration.name,
            "edition": registration.edition,
            "status": registration.get_status_display(),
        }
        if outcome.created:
            self.log_addition(request, registration, [{"added": {}}])
            message = gettext("%(name)s is added to %(edition)s: %(status)s.") % values
        else:
            message = (
                gettext(
                    "%(name)s was registered for %(edition)s already (%(status)s); "
                    "the personal link has been mailed again."
                )
                % values
            )
        self.message_user(request, message, messages.SUCCESS)
        return redirect(reverse("admin:registration_registration_change", args=[registration.pk]))

    # Changing details: through the service, on a fresh row (the status may have moved on).

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            raise PermissionDenied
        services.registration_update_details(
            registration=Registration.objects.get(pk=obj.pk),
            **{name: form.cleaned_data[name] for name in DETAIL_FIELDS},
        )

    # Status changes: admin actions, one service call per registration.

    def _set_status(self, request: HttpRequest, queryset: QuerySet[Any], status: str) -> None:
        changed = 0
        promoted: list[Registration] = []
        for registration in queryset.order_by("waitlisted_at", "created_at", "pk"):
            if registration.status == status:
                continue
            try:
                promoted += services.registration_set_status(
                    registration=registration, status=status, by="organiser"
                )
            except ValidationError as error:
                self.message_user(
                    request,
                    gettext("%(name)s: %(problem)s")
                    % {"name": registration.name, "problem": " ".join(error.messages)},
                    messages.ERROR,
                )
                continue
            changed += 1
            self.log_change(request, registration, [{"changed": {"fields": [gettext("status")]}}])
        label = dict(RegistrationStatus.choices)[status]
        self.message_user(
            request,
            ngettext(
                "%(count)s registration changed to: %(status)s.",
                "%(count)s registrations changed to: %(status)s.",
                changed,
            )
            % {"count": changed, "status": label},
            messages.SUCCESS if changed else messages.WARNING,
        )
        if promoted:
            self.message_user(
                request,
                gettext("Seats went to the waiting list: %(names)s.")
                % {"names": ", ".join(r.name for r in promoted)},
                messages.INFO,
            )

    @admin.action(description=_("Give a seat"), permissions=["change"])
    def give_seat(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set_status(request, queryset, RegistrationStatus.REGISTERED)

    @admin.action(description=_("Put on the waiting list"), permissions=["change"])
    def put_on_waitlist(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set_status(request, queryset, RegistrationStatus.WAITLISTED)

    @admin.action(
        description=_("Cancel (the seat goes to the waiting list)"), permissions=["change"]
    )
    def cancel(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set_status(request, queryset, RegistrationStatus.CANCELLED)

    # Exports of the list as filtered, or of the rows selected.

    def _export(self, queryset: QuerySet[Any], identifier: str) -> HttpResponse:
        exporter = exports.EXPORTERS[identifier]
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        filename = f"{slugify(gettext('registrations'))}-{stamp}.{exporter.extension}"
        response = HttpResponse(
            exporter.render(queryset.iterator(chunk_size=500)),
            content_type=exporter.content_type,
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @admin.action(description=_("Export selected to CSV"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse:
        return self._export(queryset, "csv")

    @admin.action(description=_("Export selected to Excel"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse:
        return self._export(queryset, "xlsx")

    def export_view(self, request: HttpRequest, identifier: str) -> HttpResponse:
        """The list exactly as filtered, searched and sorted on screen."""
        if identifier not in exports.EXPORTERS:
            raise PermissionDenied
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(
                reverse("admin:registration_registration_changelist") + "?e=1"
            )
        return self._export(changelist.get_queryset(request), identifier)

    def get_urls(self) -> list[URLPattern]:
        export = path(
            "export/<str:identifier>/",
            self.admin_site.admin_view(self.export_view),
            name="registration_registration_export",
        )
        return [export, *super().get_urls()]

    # The list's header: counts by organisation kind and organisation, and export links.

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if isinstance(response, TemplateResponse) and context and "cl" in context:
            changelist = context["cl"]
            query = request.GET.urlencode()
            context["registration_counts"] = exports.registration_counts(
                queryset=changelist.queryset
            )
            context["export_links"] = [
                {
                    "name": exporter.name,
                    "url": reverse(
                        "admin:registration_registration_export", args=[exporter.identifier]
                    )
                    + (f"?{query}" if query else ""),
                }
                for exporter in exports.EXPORTERS.values()
            ]
        return response

"""The settings of an edition in the workspace (/organise/<edition>/settings/): its titles,
theme and description, dates, capacity, status and the window in which participants rank the workshops; and the next
edition of its series. Every change goes through :mod:`.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ketenconf.core.widgets import DateInput, DateTimeInput
from ketenconf.workspace.access import Part, workspace_page

from . import services
from .models import Edition, Organisation, SeriesPartner


def _translated(name: str) -> list[str]:
    return [f"{name}_{code}" for code, _label in settings.LANGUAGES]


class SettingsForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = [
            *_translated("title"),
            *_translated("theme"),
            *_translated("description"),
            "start_date",
            "end_date",
            "venue",
            "lead_organisation",
            "capacity",
            "status",
            "ranking_opens_at",
            "ranking_closes_at",
            "confirmation_hours",
            "retention_days",
            "doors_open_at",
            "reoffer_minutes_before",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "ranking_opens_at": DateTimeInput(),
            "ranking_closes_at": DateTimeInput(),
            "doors_open_at": DateTimeInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lead = self.fields["lead_organisation"]
        assert isinstance(lead, forms.ModelChoiceField)
        partners = SeriesPartner.objects.filter(series_id=self.instance.series_id)
        lead.queryset = Organisation.objects.filter(
            pk__in=partners.values("organisation_id")
        ).order_by("name")
        for name in ("venue", "lead_organisation"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.empty_label = None
        for code, label in settings.LANGUAGES:
            self.fields[f"title_{code}"].label = _("Title (%(language)s)") % {"language": label}
            self.fields[f"theme_{code}"].label = _("Theme (%(language)s)") % {"language": label}
            description = self.fields[f"description_{code}"]
            description.label = _("Description (%(language)s)") % {"language": label}
            description.help_text = _(
                "What the edition's page says about the day. Markdown: a blank line starts a "
                "new paragraph, *word* is italic, **word** bold."
            )
        self.fields[f"title_{settings.LANGUAGE_CODE}"].required = True


class NextEditionForm(forms.Form):
    slug = forms.SlugField(
        label=gettext_lazy("Address (slug)"),
        max_length=50,
        help_text=gettext_lazy("The edition's address, for example ketenconferentie-2028."),
    )
    start_date = forms.DateField(
        label=gettext_lazy("First day"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Empty: the same weekday one year later."),
    )


@require_http_methods(["GET", "POST"])
@workspace_page(Part.SETTINGS)
def edition_settings(request: HttpRequest, edition: Edition) -> HttpResponse:
    form = SettingsForm(request.POST if request.method == "POST" else None, instance=edition)
    if request.method == "POST" and form.is_valid():
        seated = services.edition_save(edition=form.instance, changed=form.changed_data)
        messages.info(request, _("The settings are saved."))
        if seated:
            messages.info(
                request,
                _("Seats went to the waiting list: %(names)s.")
                % {"names": ", ".join(r.name for r in seated)},
            )
        return redirect("edition_settings:edit", edition.slug)
    now = timezone.now()
    return render(
        request,
        "events/organise/settings.html",
        {
            "edition": edition,
            "form": form,
            "ranking_open": edition.ranking_is_open(now),
            "ranking_closed": bool(edition.ranking_closes_at and edition.ranking_closes_at <= now),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@workspace_page(Part.SETTINGS)
def ranking(request: HttpRequest, edition: Edition, action: str) -> HttpResponse:
    """Open or close the ranking of the workshops now: one button each."""
    if action == "open":
        services.edition_ranking_open(edition=edition)
        messages.info(request, _("Ranking is open: participants may rank the workshops."))
    else:
        services.edition_ranking_close(edition=edition)
        messages.info(request, _("Ranking is closed: the rankings are final."))
    back = "edition_settings:edit" if request.POST.get("back") == "settings" else None
    return redirect(back or "workspace:dashboard", edition.slug)


@require_http_methods(["GET", "POST"])
@workspace_page(Part.SETTINGS)
def next_edition(request: HttpRequest, edition: Edition) -> HttpResponse:
    """A new draft edition of the series, with the rooms and blocks of the latest one."""
    form = NextEditionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.edition_create_next(
                series=edition.series,
                slug=form.cleaned_data["slug"],
                start_date=form.cleaned_data["start_date"],
                by=request.user,
            )
        except (ValidationError, services.SeriesHasNoPartners) as error:
            if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, str(error))
        else:
            messages.info(
                request,
                _("%(edition)s is made as a draft, led by %(lead)s.")
                % {"edition": created.title, "lead": created.lead_organisation.name},
            )
            return redirect("edition_settings:edit", created.slug)
    return render(
        request,
        "events/organise/next.html",
        {"edition": edition, "form": form},
        status=422 if request.method == "POST" else 200,
    )

"""The organisers' message pages in the workspace: thin views over the services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ketenconf.events.models import Edition
from ketenconf.workspace.access import Part, workspace_page

from . import selectors, services
from .forms import MessageForm, ReminderForm


def _add_errors(form: MessageForm | ReminderForm, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        if field == "group_value":
            field = "to"
        form.add_error(field if field in form.fields else None, problems)


@require_safe
@workspace_page(Part.MESSAGES)
def message_list(request: HttpRequest, edition: Edition) -> HttpResponse:
    rows = [
        (message, selectors.message_progress(message=message))
        for message in selectors.messages_for_edition(edition=edition)[:100]
    ]
    return render(
        request,
        "messaging/list.html",
        {
            "edition": edition,
            "rows": rows,
            "reminders": services.reminder_settings_get(edition=edition),
        },
    )


@require_http_methods(["GET", "POST"])
@workspace_page(Part.MESSAGES)
def message_new(request: HttpRequest, edition: Edition) -> HttpResponse:
    """Write, see who and how many it reaches and a preview, then send."""
    choices = selectors.group_choices(edition=edition)
    form = MessageForm(request.POST or None, choices=choices)
    context: dict[str, object] = {"edition": edition, "form": form}
    if request.method == "POST" and form.is_valid():
        group, value = form.group()
        count = selectors.group_count(edition=edition, group=group, value=value)
        sending = request.POST.get("action") == "send"
        if sending and form.cleaned_data.get("count") == count:
            try:
                message = services.message_send(
                    edition=edition, group=group, group_value=value, by=request.user, **form.texts()
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The message is on its way to %(count)d people.")
                    % {"count": message.recipients},
                )
                return redirect("messaging:detail", slug=edition.slug, message_id=message.pk)
        elif sending:
            context["changed"] = True
        data = request.POST.copy()
        data["count"] = str(count)
        context["form"] = form = MessageForm(data, choices=choices)
        form.is_valid()
        context["count"] = count
        context["group_label"] = selectors.group_label(edition=edition, group=group, value=value)
        context["previews"] = [
            selectors.message_preview(
                edition=edition,
                subject=form.cleaned_data[f"subject_{language}"],
                body=form.cleaned_data[f"body_{language}"],
                language=language,
            )
            for language in ("nl", "en")
        ]
    return render(
        request,
        "messaging/new.html",
        context,
        status=422 if request.method == "POST" and form.errors else 200,
    )


@require_safe
@workspace_page(Part.MESSAGES)
def message_detail(request: HttpRequest, edition: Edition, message_id: int) -> HttpResponse:
    message = selectors.message_get(edition=edition, pk=message_id)
    if message is None:
        raise Http404
    context = {
        "edition": edition,
        "message": message,
        "progress": selectors.message_progress(message=message),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "messaging/_progress.html", context)
    return render(request, "messaging/detail.html", context)


@require_http_methods(["GET", "POST"])
@workspace_page(Part.MESSAGES)
def reminders(request: HttpRequest, edition: Edition) -> HttpResponse:
    current = services.reminder_settings_get(edition=edition)
    initial = {
        "rank_enabled": current.rank_enabled,
        "ranking_closes_on": current.ranking_closes_on.isoformat()
        if current.ranking_closes_on
        else "",
        "rank_days_before": current.rank_days_before,
        "practical_enabled": current.practical_enabled,
        "practical_days_before": current.practical_days_before,
        "practical_subject_nl": current.practical_subject_nl,
        "practical_subject_en": current.practical_subject_en,
        "practical_body_nl": current.practical_body_nl,
        "practical_body_en": current.practical_body_en,
    }
    form = ReminderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reminder_settings_save(edition=edition, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The reminders are saved."))
            return redirect("messaging:list", slug=edition.slug)
    return render(
        request,
        "messaging/reminders.html",
        {"edition": edition, "form": form, "sent": selectors.reminders_sent(edition=edition)},
        status=422 if request.method == "POST" else 200,
    )

"""The audit trail in the workspace: /organise/<edition>/audit/.

Who changed what in the edition and when, newest first, filtered by part and by who acted,
fifty to a page. Reading only: the entries are written by the services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from ketenconf.events.models import Edition
from ketenconf.workspace.access import Part, workspace_page

from . import selectors
from .models import AuditPart

PAGE_SIZE = 50


class FilterForm(forms.Form):
    part = forms.ChoiceField(label=gettext_lazy("Part"), required=False)
    who = forms.ChoiceField(label=gettext_lazy("Who"), required=False)

    def __init__(self, *args: object, people: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        everything: list[tuple[str, Any]] = [("", gettext_lazy("all parts"))]
        part: Any = self.fields["part"]
        part.choices = everything + [
            choice for choice in AuditPart.choices if choice[0] != AuditPart.ACCOUNTS
        ]
        who: Any = self.fields["who"]
        who.choices = [("", gettext_lazy("everyone")), *people]


@require_safe
@workspace_page(Part.AUDIT)
def audit_list(request: HttpRequest, edition: Edition) -> HttpResponse:
    form = FilterForm(request.GET, people=selectors.audit_people(edition=edition))
    part, who = "", ""
    if form.is_valid():
        part, who = form.cleaned_data["part"], form.cleaned_data["who"]
    page = Paginator(
        selectors.audit_entries(edition=edition, part=part, who=who), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    rows = selectors.audit_rows(entries=list(page.object_list), user=request.user, edition=edition)
    return render(
        request,
        "audit/organise/list.html",
        {"edition": edition, "form": form, "page": page, "rows": rows, "query": kept.urlencode()},
        status=200 if form.is_valid() else 422,
    )

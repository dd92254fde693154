"""The programme of an edition in the workspace: /organise/<edition>/programme/.

The day's blocks with their sessions, and the rooms; a page to add or change each, and to
remove a block or a session after asking. Every write goes through the services
(:mod:`.services` for blocks and sessions, :mod:`ketenconf.events.services` for rooms), which
renew the public programme; who sees it is the workspace's one rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ketenconf.core.tenancy import scopes_disabled
from ketenconf.core.widgets import DateTimeInput
from ketenconf.events import services as event_services
from ketenconf.events.models import Edition, Room
from ketenconf.workspace.access import Part, workspace_page

from . import selectors, services
from .models import Block, Session, Topic


class BlockForm(forms.ModelForm):
    class Meta:
        model = Block
        fields = [
            "kind",
            *[f"title_{code}" for code, _label in settings.LANGUAGES],
            "start",
            "end",
        ]
        widgets = {"start": DateTimeInput(), "end": DateTimeInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in settings.LANGUAGES:
            self.fields[f"title_{code}"].label = _("Title (%(language)s)") % {"language": label}


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "kind", "capacity", "step_free"]


# Made outside any edition's scope (ketenconf.core.tenancy), as pretix does with such forms;
# the choices are the edition's, set in __init__.
with scopes_disabled():

    class SessionForm(forms.ModelForm):
        class Meta:
            model = Session
            fields = ["topic", "block", "room", "capacity"]

        def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            choices: dict[str, Any] = {
                "topic": Topic.objects.filter(edition=edition).order_by("title"),
                "block": Block.objects.filter(edition=edition).order_by("start", "end"),
                "room": Room.objects.filter(edition=edition).order_by("name"),
            }
            for name, queryset in choices.items():
                field = self.fields[name]
                assert isinstance(field, forms.ModelChoiceField)
                field.queryset = queryset
            self.fields["block"].label_from_instance = _block_label  # type: ignore[attr-defined]


def _block_label(block: Block) -> str:
    start = timezone.localtime(block.start)
    return f"{date_format(start, 'j F H:i')}–{timezone.localtime(block.end):%H:%M} {block}"


def _overview(edition: Edition) -> str:
    return reverse("programme_organise:overview", args=[edition.slug])


@require_safe
@workspace_page(Part.PROGRAMME)
def overview(request: HttpRequest, edition: Edition) -> HttpResponse:
    return render(
        request,
        "programme/organise/overview.html",
        {
            "edition": edition,
            "blocks": selectors.programme_for_edition(edition=edition),
            "rooms": list(Room.objects.filter(edition=edition).order_by("name")),
        },
    )


def _edit(
    request: HttpRequest,
    edition: Edition,
    form: forms.ModelForm,
    save: Callable[[Any], Model],
    title: str,
) -> HttpResponse:
    """The add or change page of one row: on a valid POST, ``save`` (a service) and back."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.instance)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.info(request, _("Saved: %(row)s.") % {"row": form.instance})
            return redirect(_overview(edition))
    return render(
        request,
        "programme/organise/edit.html",
        {"edition": edition, "form": form, "title": title},
        status=422 if request.method == "POST" else 200,
    )


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
@workspace_page(Part.PROGRAMME)
def block_edit(request: HttpRequest, edition: Edition, pk: int | None = None) -> HttpResponse:
    block = get_object_or_404(Block, edition=edition, pk=pk) if pk else Block(edition=edition)
    form = BlockForm(_posted(request), instance=block)
    title = _("Change the block") if pk else _("Add a block")
    return _edit(request, edition, form, lambda row: services.block_save(block=row), title)


@require_http_methods(["GET", "POST"])
@workspace_page(Part.PROGRAMME)
def room_edit(request: HttpRequest, edition: Edition, pk: int | None = None) -> HttpResponse:
    room = get_object_or_404(Room, edition=edition, pk=pk) if pk else Room(edition=edition)
    form = RoomForm(_posted(request), instance=room)
    title = _("Change the room") if pk else _("Add a room")
    return _edit(request, edition, form, lambda row: event_services.room_save(room=row), title)


@require_http_methods(["GET", "POST"])
@workspace_page(Part.PROGRAMME)
def session_edit(request: HttpRequest, edition: Edition, pk: int | None = None) -> HttpResponse:
    session = get_object_or_404(Session, edition=edition, pk=pk) if pk else Session(edition=edition)
    form = SessionForm(_posted(request), instance=session, edition=edition)
    title = _("Change the session") if pk else _("Add a session")
    return _edit(request, edition, form, lambda row: services.session_save(session=row), title)


@require_http_methods(["GET", "POST"])
@workspace_page(Part.PROGRAMME)
def remove(request: HttpRequest, edition: Edition, kind: str, pk: int) -> HttpResponse:
    """Asks first (GET); the POST removes the block (with its sessions) or the session."""
    row: Block | Session
    if kind == "blocks":
        row = get_object_or_404(Block, edition=edition, pk=pk)
        question = _("Remove the block %(row)s, with its %(count)d sessions?") % {
            "row": row,
            "count": row.sessions.count(),
        }
    elif kind == "sessions":
        row = get_object_or_404(Session.objects.select_related("topic"), edition=edition, pk=pk)
        question = _("Remove the session %(row)s?") % {"row": row}
    else:
        raise Http404
    if request.method == "POST":
        if isinstance(row, Block):
            services.block_delete(block=row)
        else:
            services.session_delete(session=row)
        messages.info(request, _("Removed: %(row)s.") % {"row": row})
        return redirect(_overview(edition))
    return render(
        request,
        "programme/organise/remove.html",
        {"edition": edition, "question": question, "back": _overview(edition)},
    )

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ketenconf.events.selectors import edition_public_get

from . import selectors


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_public_get(slug=slug)
    blocks = selectors.programme_for_edition(edition=edition)
    return render(request, "programme/programme.html", {"edition": edition, "blocks": blocks})


def session_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition = edition_public_get(slug=slug)
    session = selectors.session_public_get(edition=edition, pk=pk)
    others = selectors.other_sessions_of_topic(session=session)
    return render(
        request,
        "programme/session_detail.html",
        {"edition": edition, "session": session, "topic": session.topic, "others": others},
    )

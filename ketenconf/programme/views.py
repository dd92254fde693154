from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ketenconf.events.selectors import edition_public_get

from . import selectors
from .cache import programme_fragment


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    """The day's programme; its blocks and sessions come from the cache (see ``cache.py``)."""
    edition = edition_public_get(slug=slug)

    def render_blocks() -> str:
        blocks = selectors.programme_for_edition(edition=edition)
        return render_to_string(
            "programme/_blocks.html", {"edition": edition, "blocks": blocks}, request=request
        )

    fragment = programme_fragment(
        edition_id=edition.pk, language=get_language(), render=render_blocks
    )
    return render(
        request,
        "programme/programme.html",
        {"edition": edition, "programme": mark_safe(fragment)},  # noqa: S308 - our own render
    )


def session_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition = edition_public_get(slug=slug)
    session = selectors.session_public_get(edition=edition, pk=pk)
    others = selectors.other_sessions_of_topic(session=session)
    return render(
        request,
        "programme/session_detail.html",
        {"edition": edition, "session": session, "topic": session.topic, "others": others},
    )

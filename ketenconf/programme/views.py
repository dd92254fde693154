from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ketenconf.events.selectors import edition_public_get

from . import selectors
from .cache import programme_fragment, programme_page_offer, programme_versions


def _chosen_filter(request: HttpRequest) -> selectors.ProgrammeFilter:
    """The filter from the query string; a value that is not a number is no filter."""
    organisation = request.GET.get("organisation", "")
    return selectors.ProgrammeFilter(
        theme=request.GET.get("theme", "").strip(),
        organisation_id=int(organisation) if organisation.isdigit() else None,
    )


def _blocks_context(
    edition: Any, blocks: list[selectors.ProgrammeBlock], chosen: selectors.ProgrammeFilter
) -> dict[str, Any]:
    shown = selectors.programme_filtered(blocks=blocks, chosen=chosen)
    rooms, grid = selectors.programme_grid(blocks=shown)
    return {
        "edition": edition,
        "blocks": shown,
        "options": selectors.programme_filter_options(blocks=blocks),
        "chosen": chosen,
        "shown_sessions": sum(len(row.sessions) for row in shown),
        "rooms": rooms,
        "grid": grid,
    }


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    """The day's programme, the same for everyone: from the cache (see ``cache.py``), and once
    rendered kept whole for ``ProgrammePageMiddleware`` to answer the next request with.
    Filtered by theme or organisation (a GET form, so it works without JavaScript), it is
    rendered for the request and kept nowhere."""
    chosen = _chosen_filter(request)
    if chosen.is_active:
        edition = edition_public_get(slug=slug)
        blocks = selectors.programme_for_edition(edition=edition)
        filtered = render_to_string(
            "programme/_blocks.html", _blocks_context(edition, blocks, chosen), request=request
        )
        return render(
            request,
            "programme/programme.html",
            {"edition": edition, "programme": mark_safe(filtered)},  # noqa: S308 - our own render
        )
    versions = programme_versions(edition_id=edition_public_get(slug=slug).pk)
    # Read again now the versions are taken: a page kept under them must not show the
    # edition as it was before a change that came in between.
    edition = edition_public_get(slug=slug)

    def render_blocks() -> str:
        blocks = selectors.programme_for_edition(edition=edition)
        return render_to_string(
            "programme/_blocks.html", _blocks_context(edition, blocks, chosen), request=request
        )

    language = get_language()
    fragment = programme_fragment(
        edition_id=edition.pk, language=language, render=render_blocks, versions=versions
    )
    if edition.pk == versions.edition_id:  # else the slug moved to another edition meanwhile
        programme_page_offer(request, slug=slug, language=language, versions=versions)
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

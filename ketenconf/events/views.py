from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ketenconf.proposals.selectors import call_is_open

from . import selectors


def home(request: HttpRequest) -> HttpResponse:
    editions = list(selectors.editions_public())
    return render(request, "events/home.html", {"editions": editions})


def edition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    edition = selectors.edition_public_get(slug=slug)
    organisers = selectors.edition_organisers(edition=edition)
    return render(
        request,
        "events/edition_detail.html",
        {
            "edition": edition,
            "organisers": organisers,
            "call_is_open": call_is_open(edition=edition),
        },
    )


def edition_organisers(request: HttpRequest, slug: str) -> HttpResponse:
    edition = selectors.edition_public_get(slug=slug)
    organisers = selectors.edition_organisers(edition=edition)
    return render(request, "events/organisers.html", {"edition": edition, "organisers": organisers})

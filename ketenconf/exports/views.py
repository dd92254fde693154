from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from ketenconf.events.selectors import edition_public_get

from .registry import exporter_get


@require_safe
def edition_export(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    """A public edition's programme as a file, in the language of the address."""
    exporter = exporter_get(identifier)
    if exporter is None:
        raise Http404
    edition = edition_public_get(slug=slug)
    response = HttpResponse(exporter.render(edition), content_type=exporter.content_type)
    response["Content-Disposition"] = f'inline; filename="{exporter.filename(edition)}"'
    # Public data, for web-based schedule apps on other sites too.
    response["Access-Control-Allow-Origin"] = "*"
    return response

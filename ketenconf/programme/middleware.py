"""The public programme page answered from the cache before the per-visitor middleware.

The programme is what a crowd loads on the day, and it is the same for everyone who asks in
one language: no session, no CSRF token, no user on it. Placed after the security, static
files and Content Security Policy middleware (which still add their headers) and before the
session, locale, CSRF, authentication and message middleware, ``ProgrammePageMiddleware``
answers ``GET /<slug>/programme/`` (and ``/en/<slug>/programme/``) with the page as the view
last rendered it, headers included (Content-Language, Vary, X-Frame-Options), while nothing
it shows has changed (``cache.programme_page_get``). Otherwise the request goes on as any
other, and the response is kept if the view offered it and it sets no cookie and does not
vary by cookie.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import has_vary_header

from .cache import PAGE_OFFER, PageOffer, programme_page_get, programme_page_set

Handler = Callable[[HttpRequest], HttpResponse]


class ProgrammePageMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        # The default language has no prefix in the path (prefix_default_language=False).
        prefixes = "|".join(
            re.escape(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
        )
        self.path = re.compile(
            rf"^/(?:(?P<language>{prefixes})/)?(?P<slug>[-a-zA-Z0-9_]+)/programme/$"
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = None
        if request.method == "GET" and not request.META.get("QUERY_STRING"):
            match = self.path.match(request.path_info)
        if match is None:
            return self.get_response(request)
        request.get_host()  # the Host check CommonMiddleware makes: DisallowedHost is a 400
        slug, language = match["slug"], match["language"] or settings.LANGUAGE_CODE
        page = programme_page_get(slug=slug, language=language)
        if page is not None:
            response = HttpResponse(page.content)
            for name, value in page.headers:
                response[name] = value
            return response
        response = self.get_response(request)
        offer = getattr(request, PAGE_OFFER, None)
        if (
            isinstance(offer, PageOffer)
            and (offer.slug, offer.language) == (slug, language)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not has_vary_header(response, "Cookie")
        ):
            programme_page_set(
                offer=offer, headers=list(response.items()), content=response.content
            )
        return response

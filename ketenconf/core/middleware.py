"""The language of pages outside the language-prefixed addresses."""

from __future__ import annotations

from functools import lru_cache

from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.urls import LocalePrefixPattern, Resolver404, get_resolver
from django.utils import translation


@lru_cache(maxsize=256)
def _outside_language_prefix(first_segment: str) -> bool:
    """Whether addresses starting with this segment are served outside ``i18n_patterns``.

    Top-level patterns outside them start with a fixed segment (organise/, admin/, api/), so
    the first segment decides, and the answer can be kept.
    """
    for pattern in get_resolver().url_patterns:
        try:
            match = pattern.resolve(f"{first_segment}/")
        except Resolver404:
            match = None
        prefix = getattr(pattern, "pattern", None)
        if isinstance(prefix, LocalePrefixPattern):
            return False
        if match is not None or str(prefix).startswith(f"{first_segment}/"):
            return True
    return False


class VisitorLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, but pages outside the language-prefixed addresses (the
    organiser workspace, the admin, the API) follow the visitor's choice (the language cookie)
    or their browser's languages: with ``prefix_default_language=False`` Django gives every
    address without a prefix the site's default, so an English-speaking organiser got Dutch."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        first_segment = request.path_info.lstrip("/").split("/", 1)[0]
        if first_segment and _outside_language_prefix(first_segment):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()

"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def language_switch(request: HttpRequest) -> dict[str, object]:
    """Links to the current page in the other languages: a plain link works without JavaScript."""
    current = get_language()
    path = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        url = translate_url(path, code)
        if url != path:  # pages outside the translated URLs (the back-office) have no switch
            links.append({"code": code, "name": get_language_info(code)["name_local"], "url": url})
    return {"language_links": links}

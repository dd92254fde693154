"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def language_switch(request: HttpRequest) -> dict[str, object]:
    """The current page in the other languages: a plain link to a page whose address carries
    its language; on a page outside the translated addresses (the workspace, the admin), whose
    language is the visitor's choice, a button that posts that choice (Django's
    ``set_language`` sets the language cookie) and comes back here. Neither needs JavaScript."""
    current = get_language()
    path = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        url = translate_url(path, code)
        links.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": url,
                "post": url == path,
            }
        )
    return {"language_links": links}

"""The API's request bodies: JSON only, and JSON a client cannot use to crash a request.

Another site's page can make a visitor's browser POST ``text/plain`` or a form to us without
asking (no CORS preflight for those); a body in ``application/json`` it cannot send. So every
body the API reads must say it is JSON, or it is refused with 415 before anything runs.
Python's JSON parser recurses once per level of nesting: a body nested 1,500 deep raises
``RecursionError``, which :func:`json_body` turns into the ``ValueError`` of any bad JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
WITH_BODY = frozenset({"POST", "PUT", "PATCH"})
JSON_TYPES = frozenset({"application/json"})


def json_body(request: HttpRequest) -> Any:
    """The request's body as JSON; ``ValueError`` when it is not JSON or nested too deep."""
    try:
        return json.loads(request.body)
    except RecursionError as error:
        raise ValueError("JSON nested too deep") from error


def is_json(request: HttpRequest) -> bool:
    return (request.content_type or "").lower() in JSON_TYPES


def _has_body(request: HttpRequest) -> bool:
    return request.META.get("CONTENT_LENGTH", "") not in ("", "0")


class JsonOnlyMiddleware:
    """415 for a POST, PUT or PATCH to the API whose body is not ``application/json``.

    A request without a body (POST /runs with defaults) and without a content type passes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method in WITH_BODY
            and request.path_info.startswith(API_PREFIX)
            and not is_json(request)
            and (request.META.get("CONTENT_TYPE") or _has_body(request))
        ):
            language = translation.get_language_from_request(request, check_path=False)
            with translation.override(language):
                message = _(
                    "Send the body as JSON, with the header Content-Type: application/json."
                )
            response = JsonResponse({"message": message}, status=415)
            response["Accept-Post"] = "application/json"
            response["Content-Language"] = language
            return response
        return self.get_response(request)

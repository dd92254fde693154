"""The API: register for an edition without a browser (public), and the organisers' API
(:mod:`.organiser`, with a token) under /api/v1/organiser/.

Input is checked by the same form as the registration page, so a client gets the page's
messages, per field, in the language of its Accept-Language header (Dutch by default).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as RequestInvalid
from ninja.responses import Status

from ketenconf.questions import services as question_services
from ketenconf.registration import selectors, services
from ketenconf.registration.forms import RegistrationForm, registration_create_arguments

from .body import json_body
from .schemas import AlreadyRegistered, Errors, Message, RegistrationIn, RegistrationOut


class ApiDocs(Swagger):
    """Swagger UI in a page of our own: the site's language, a title, a main landmark."""

    template = "api/docs.html"


api = NinjaAPI(
    title="ketenconf",
    version="1",
    description=(
        "Register participants for editions of a chain conference. Organisers read and change "
        "their editions under /organiser/ with a token from the back-office (API tokens), sent "
        "as `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    # Swagger UI from django-ninja's own static files (it is an installed app), so the docs
    # make no request outside the site and keep to the Content Security Policy.
    docs_url="/docs",
    docs=ApiDocs(settings={"defaultModelsExpandDepth": 0, "deepLinking": False}),
)

TEXT_FIELDS = ("name", "email", "organisation", "job_title")
#: Fields of the registration before they became its first questions: still taken, as answers.
QUESTION_FIELDS = ("dietary_needs", "accessibility_needs")
BOOLEAN_FIELDS = ("needs_step_free", "networking_consent")
NON_FIELD = "__all__"


def _errors(errors: dict[str, list[str]]) -> Status:
    return Status(422, {"errors": errors})


def _too_many(request: HttpRequest) -> HttpResponse | None:
    """429 once this client address has used up its requests (``KETENCONF_RATELIMIT``)."""
    rate = settings.RATELIMIT
    if not rate:
        return None
    usage = get_usage(request, group="api.registration", key="ip", rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    seconds = max(1, int(usage["time_left"]))
    message = _("Too many requests from your address. Try again in %(seconds)s seconds.") % {
        "seconds": seconds
    }
    response = api.create_response(request, {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _answers(
    body: dict[str, Any], *, edition_id: int
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The answers sent, by question key or id, with the old fields' answers where the
    edition has those questions; or a message when ``answers`` is not an object."""
    answers = body.get("answers")
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        return {}, {"answers": [_("Give the answers as an object, by question key or id.")]}
    old = {}
    for name in QUESTION_FIELDS:
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            return {}, {name: [_("Give this as text.")]}
        old[name] = value
    known = question_services.answers_known(edition_id=edition_id, raw=old)
    return {**known, **answers}, {}


def _form_data(body: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The JSON body as form data, or messages for values of the wrong JSON type."""
    if not isinstance(body, dict):
        return {}, {NON_FIELD: [_("Send a JSON object with the fields of the registration.")]}
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in (*TEXT_FIELDS, "language"):
        value = body.get(name)
        if value is None:
            continue
        if isinstance(value, str):
            data[name] = value
        else:
            errors[name] = [_("Give this as text.")]
    for name in BOOLEAN_FIELDS:
        value = body.get(name)
        if value is None:
            continue
        if isinstance(value, bool):
            data[name] = value
        else:
            errors[name] = [_("Give this as true or false.")]
    data.setdefault("language", "en" if translation.get_language() == "en" else "nl")
    return data, errors


def _registration_out(outcome: services.RegistrationOutcome) -> dict[str, Any]:
    return {
        "id": outcome.registration.pk,
        "status": outcome.registration.status,
        "waitlist_position": outcome.waitlist_position,
    }


@api.post(
    "/editions/{slug}/registrations",
    tags=["public"],
    response={
        200: AlreadyRegistered,
        201: RegistrationOut,
        404: Message,
        409: Message,
        413: Message,
        415: Message,
        422: Errors,
        429: Message,
    },
    summary="Register for an edition",
    description=(
        "201 with a new registration: a seat while seats are left, else a place on the waiting "
        'list. 200 `{"status": "already_registered"}` when the address is registered '
        "already (or was, and cancelled): nothing of that registration is told, and its "
        "personal link is mailed to the address (at most 3 an hour per address). Limited per "
        "client address (429, Retry-After)."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": RegistrationIn.model_json_schema()}},
        }
    },
    operation_id="registration_create",
)
def registration_create(request: HttpRequest, response: HttpResponse, slug: str) -> Any:
    # The site's pages take their language from the path; the API from Accept-Language.
    language = translation.get_language_from_request(request, check_path=False)
    response["Content-Language"] = language
    with translation.override(language):
        return _registration_create(request, slug=slug)


def _registration_create(request: HttpRequest, *, slug: str) -> Any:
    limited = _too_many(request)
    if limited is not None:
        return limited
    edition = selectors.public_edition(slug=slug)
    if edition is None:
        return Status(404, {"message": _("There is no public edition %(slug)s.") % {"slug": slug}})
    if not edition.registration_is_open:
        return Status(
            409, {"message": _("Registration for %(edition)s is not open.") % {"edition": edition}}
        )
    try:
        body = json_body(request)
    except RequestDataTooBig:
        return Status(413, {"message": _("The request is too large.")})
    except ValueError:
        return _errors({NON_FIELD: [_("Send a JSON object with the fields of the registration.")]})
    data, errors = _form_data(body)
    answers, answer_errors = _answers(body, edition_id=edition.pk) if not errors else ({}, {})
    if errors or answer_errors:
        return _errors(errors | answer_errors)
    form = RegistrationForm(data)
    if not form.is_valid():
        return _errors(
            {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        )
    arguments = {
        "edition": edition,
        **registration_create_arguments(form.cleaned_data),
        "answers": answers,
    }
    try:
        try:
            outcome = services.registration_create(**arguments)
        except IntegrityError:
            # An organisation changed under this request: the same new one written by another
            # request a moment ago, or one deleted elsewhere while this process still knew it
            # (ketenconf.core.process_memo). Once more, afresh.
            outcome = services.registration_create(**arguments)
    except services.RegistrationClosed as closed:
        return Status(409, {"message": str(closed)})
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return _errors(
                {field: list(messages) for field, messages in error.message_dict.items()}
            )
        return _errors({NON_FIELD: list(error.messages)})
    if not outcome.created:
        # Whoever typed the address learns nothing of its registration; its owner gets the link.
        return Status(200, {"status": "already_registered"})
    return Status(201, _registration_out(outcome))


# The organisers' API -------------------------------------------------------------------------

from . import organiser_messages, organiser_questions  # noqa: E402, F401 - add their endpoints
from .organiser import Missing, not_found  # noqa: E402 - the router needs the helpers above
from .organiser import router as organiser_router  # noqa: E402

api.add_router("/organiser", organiser_router)
api.add_exception_handler(Missing, not_found)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = _("Send a valid API token: Authorization: Bearer <token>.")
    response = api.create_response(request, {"message": message}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(RequestInvalid)
def invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
    """Ill-formed input as the registration's messages are: per field, ``__all__`` for the body."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        field = ".".join(location[1:] if location[:1] in (["query"], ["path"]) else location)
        errors.setdefault(field or NON_FIELD, []).append(str(error.get("msg", "")))
    return api.create_response(request, {"errors": errors}, status=422)

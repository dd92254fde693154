"""What the API takes and gives, as OpenAPI sees it.

The request body is documented here but checked by the registration form, so the API and
the web page give the same messages in the same language. Lengths come from the form.
"""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Schema

from ketenconf.registration.forms import RegistrationForm


def _max_length(name: str) -> int:
    length = getattr(RegistrationForm.base_fields[name], "max_length", None)
    assert isinstance(length, int)
    return length


class RegistrationIn(Schema):
    name: str = Field(
        min_length=1,
        max_length=_max_length("name"),
        description="Full name; no angle brackets or control characters.",
    )
    email: str = Field(
        max_length=_max_length("email"),
        json_schema_extra={"format": "email"},
        description="One registration per address per edition; the personal link goes here.",
    )
    organisation: str = Field(
        min_length=1,
        max_length=_max_length("organisation"),
        description="Name or short name of the organisation; a new name is added as typed.",
    )
    job_title: str = Field("", max_length=_max_length("job_title"))
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "Answers to the edition's registration questions, by question key or id: text, "
            "an option's key, a list of option keys, true or false, a number, or a date as "
            "YYYY-MM-DD. A wrong or missing required answer is 422 with a message under "
            "answers.<key>. The questions are in GET /organiser/editions/{slug}/questions."
        ),
    )
    dietary_needs: str = Field(
        "",
        max_length=300,
        deprecated=True,
        description="The answer to the question dietary_needs, where the edition has it.",
    )
    accessibility_needs: str = Field(
        "",
        max_length=300,
        deprecated=True,
        description="The answer to the question accessibility_needs, where the edition has it.",
    )
    needs_step_free: bool = False
    networking_consent: bool = Field(
        False,
        description="Other participants may see name, organisation and job title.",
    )
    language: Literal["nl", "en"] | None = Field(
        None,
        description="Language of the mails; by default the request's (Accept-Language), else nl.",
    )


class RegistrationOut(Schema):
    id: int
    status: Literal["registered", "waitlisted"]
    waitlist_position: int | None = Field(
        description="1 for the first on the waiting list; null with a seat."
    )


class AlreadyRegistered(Schema):
    status: Literal["already_registered"] = Field(
        description="The address is registered already; its personal link is mailed to it."
    )


class Errors(Schema):
    errors: dict[str, list[str]] = Field(
        description="Messages per field, in the request's language; __all__ for the whole body."
    )


class Message(Schema):
    message: str

"""Validators for text people type, shared by forms, the API and the models."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_no_control_characters(value: str) -> None:
    """Refuse control and invisible formatting characters (tabs, NUL, bidi overrides)."""
    if any(unicodedata.category(char) in {"Cc", "Cf", "Co", "Cs"} for char in value):
        raise ValidationError(
            _("Remove the invisible control characters from this text."), code="control_characters"
        )


def validate_multiline_text(value: str) -> None:
    """Like :func:`validate_no_control_characters`, but line breaks are part of the text."""
    validate_no_control_characters(value.replace("\r\n", "\n").replace("\n", ""))


def validate_no_markup(value: str) -> None:
    """A name is text: refuse angle brackets so no one mistakes it for HTML."""
    if "<" in value or ">" in value:
        raise ValidationError(_("Angle brackets (< and >) are not allowed here."), code="markup")


def normalise_email(value: str) -> str:
    """One spelling per mailbox: trimmed and lower-cased (local parts are case-blind in practice)."""
    return value.strip().lower()

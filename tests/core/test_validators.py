"""Text people type: invisible control characters are refused, line breaks in a long answer
are not."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ketenconf.core.validators import validate_multiline_text, validate_no_control_characters


@pytest.mark.parametrize("text", ["Eerder bellen.\nEn vaker.", "Regel een\r\nRegel twee", "Eén"])
def test_a_long_answer_may_have_line_breaks(text: str) -> None:
    validate_multiline_text(text)


@pytest.mark.parametrize("text", ["tab\there", "nul\x00", "bidi\u202eoverride"])
def test_other_control_characters_are_refused_in_long_answers_too(text: str) -> None:
    with pytest.raises(ValidationError) as raised:
        validate_multiline_text(text)
    assert raised.value.code == "control_characters"


def test_a_one_line_field_refuses_line_breaks() -> None:
    with pytest.raises(ValidationError):
        validate_no_control_characters("Anna\nJansen")

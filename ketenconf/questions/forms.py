"""The answers' fields on the registration page and the personal page, and the organisers'
question form. What an answer may be is decided by ``services.answers_clean`` alone: the
fields here only carry what was typed or chosen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ketenconf.core.validators import validate_multiline_text
from ketenconf.events.models import OrganisationKind

from . import services
from .models import CHOICE_KINDS, Question, QuestionKind

ANSWER_PREFIX = "q"


class _AnyChoice(forms.ChoiceField):
    """Radio buttons whose value ``services.answers_clean`` checks, with its message."""

    def valid_value(self, value: Any) -> bool:
        return True


class _AnyChoices(forms.MultipleChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True


def _field(question: Question, language: str) -> forms.Field:
    label = question.text(language)
    help_text = question.help(language)
    options = [
        (str(o["key"]), str(o["en"] if language == "en" else o["nl"])) for o in question.options
    ]
    common: dict[str, Any] = {"label": label, "help_text": help_text, "required": False}
    if question.kind == QuestionKind.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), strip=False, **common)
    if question.kind == QuestionKind.CHOICE:
        return _AnyChoice(choices=options, widget=forms.RadioSelect, **common)
    if question.kind == QuestionKind.CHOICES:
        return _AnyChoices(choices=options, widget=forms.CheckboxSelectMultiple, **common)
    if question.kind == QuestionKind.YES_NO:
        return _AnyChoice(
            choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect, **common
        )
    if question.kind == QuestionKind.NUMBER:
        return forms.CharField(
            widget=forms.TextInput(attrs={"inputmode": "decimal"}), strip=False, **common
        )
    if question.kind == QuestionKind.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return forms.CharField(strip=False, **common)


def _initial(question: Question, value: Any) -> Any:
    if question.kind == QuestionKind.YES_NO:
        return "yes" if value else "no"
    if question.kind == QuestionKind.NUMBER:
        return str(value)
    return value


@dataclass(frozen=True)
class AnswerRow:
    question: Question
    field: forms.BoundField
    #: Required whatever the organisation (a required question for some kinds is not).
    required: bool
    #: The kinds of organisation asked, in words; empty when everyone is.
    only_for: str
    grouped: bool  # radio buttons or checkboxes: a fieldset with a legend


class AnswersForm(forms.Form):
    """A field per question, under the prefix ``q`` (``q-<key>``). ``organisation_kind``
    (``None`` on the registration page, where it is known only after sending) decides which
    required questions must be answered here."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        questions: Sequence[Question],
        language: str,
        organisation_kind: str | None = None,
        values: Mapping[int, Any] | None = None,
    ) -> None:
        initial = {q.key: _initial(q, values[q.pk]) for q in questions if values and q.pk in values}
        super().__init__(data, initial=initial, prefix=ANSWER_PREFIX)
        self.questions = [
            q for q in questions if organisation_kind is None or q.asks(organisation_kind)
        ]
        self.language = language
        self.organisation_kind = organisation_kind
        self.values: dict[int, Any] = {}
        for question in self.questions:
            self.fields[question.key] = _field(question, language)

    def raw(self) -> dict[str, Any]:
        """What was sent, by question key, empty answers included."""
        return {q.key: self.cleaned_data.get(q.key) for q in self.questions}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            self.values = services.answers_clean(
                questions=self.questions,
                raw=self.raw(),
                organisation_kind=self.organisation_kind,
                language=self.language,
            )
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                self.add_error(key if key in self.fields else None, messages)
        return cleaned

    def add_service_errors(self, errors: Mapping[str, list[str]]) -> bool:
        """Show the service's ``answers.<key>`` messages at their fields; whether any were."""
        found = False
        for name, messages in errors.items():
            if name.startswith("answers."):
                key = name.removeprefix("answers.")
                self.add_error(key if key in self.fields else None, messages)
                found = True
        return found

    def rows(self) -> list[AnswerRow]:
        kinds = dict(OrganisationKind.choices)
        return [
            AnswerRow(
                question=q,
                field=self[q.key],
                required=q.required and not q.organisation_kinds,
                only_for=", ".join(str(kinds.get(k, k)) for k in q.organisation_kinds),
                grouped=q.kind in CHOICE_KINDS or q.kind == QuestionKind.YES_NO,
            )
            for q in self.questions
        ]


class QuestionForm(forms.Form):
    """The organisers' form for one question. Options are typed one per line as
    ``Dutch | English``."""

    text_nl = forms.CharField(label=_("Question in Dutch"), max_length=300)
    text_en = forms.CharField(label=_("Question in English"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[validate_multiline_text],
        help_text=_(
            "Only for one choice and several choices: one option per line, in Dutch and "
            "English with a | between them, for example: Vegetarisch | Vegetarian"
        ),
    )
    help_nl = forms.CharField(label=_("Help text in Dutch"), max_length=500, required=False)
    help_en = forms.CharField(label=_("Help text in English"), max_length=500, required=False)
    organisation_kinds = forms.MultipleChoiceField(
        label=_("Only for participants of these kinds of organisation"),
        help_text=_("None ticked: everyone is asked."),
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    position = forms.IntegerField(
        label=_("Place in the form"),
        min_value=0,
        max_value=1000,
        required=False,
        help_text=_("Questions with a lower number come first; empty: at the end."),
    )

    def clean_options(self) -> list[dict[str, str]]:
        lines = [line.strip() for line in self.cleaned_data["options"].splitlines()]
        options = []
        for number, line in enumerate((line for line in lines if line), start=1):
            dutch, bar, english = line.partition("|")
            if not bar:
                raise ValidationError(
                    _("Line %(number)d has no | between the Dutch and the English text.")
                    % {"number": number}
                )
            options.append({"nl": dutch.strip(), "en": english.strip()})
        return options

    @staticmethod
    def options_text(question: Question) -> str:
        return "\n".join(f"{o['nl']} | {o['en']}" for o in question.options)

    def options_with_keys(self, old: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
        """The typed options with the keys they had: an option keeps its key when its Dutch
        text is unchanged, or, changed, when it stays in its place; answers name the key."""
        new = self.cleaned_data["options"]
        slugs = [slugify(o["nl"]) for o in new]
        old_keys = [str(o["key"]) for o in old]
        keyed = []
        for place, option in enumerate(new):
            if slugs[place] in old_keys:
                key = slugs[place]
            elif place < len(old_keys) and old_keys[place] not in slugs:
                key = old_keys[place]
            else:
                key = slugs[place]
            keyed.append({"key": key, **option})
        return keyed

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ketenconf.core.validators import validate_no_control_characters, validate_no_markup

from .models import ParticipantLanguage


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        validators=[validate_no_control_characters, validate_no_markup],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        validators=[validate_no_control_characters, validate_no_markup],
        help_text=_("Choose from the list or type the name of your organisation."),
        widget=forms.TextInput(attrs={"list": "organisations", "autocomplete": "organization"}),
    )
    job_title = forms.CharField(
        label=_("Job title"),
        max_length=150,
        required=False,
        validators=[validate_no_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    needs_step_free = forms.BooleanField(
        label=_("I need rooms with step-free access"), required=False
    )
    networking_consent = forms.BooleanField(
        label=_("Other participants may see my name, organisation and job title to meet me"),
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language for emails"), choices=ParticipantLanguage.choices
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = "en" if get_language() == "en" else "nl"


def registration_create_arguments(data: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments of ``registration_create`` from the cleaned data of a form with the fields of
    :class:`RegistrationForm`: the page, the API and the organisers' add form all map them here.

    The organisation is a name typed under ``organisation``, or (the organisers' form) one picked
    from the list under ``organisation`` with a typed name under ``organisation_name``."""
    arguments = {
        field: data[field]
        for field in (
            "name",
            "email",
            "job_title",
            "needs_step_free",
            "networking_consent",
            "language",
        )
    }
    if "organisation_name" in data:
        arguments["organisation"] = data["organisation"]
        arguments["organisation_name"] = data["organisation_name"]
    else:
        arguments["organisation_name"] = data["organisation"]
    return arguments


class DayForm(forms.Form):
    """On the day: a better seat if one frees up, and the round a latecomer comes from.

    ``rounds`` are the edition's workshop rounds as (block pk, label), in time order.
    """

    wants_better_seat = forms.BooleanField(
        label=_("I want a better seat if one frees up on the day"),
        required=False,
        initial=True,
    )
    arrives_from = forms.TypedChoiceField(
        label=_("When do you arrive?"),
        help_text=_(
            "Coming later? Name the round you come from: you keep your seats from that round "
            "on, and your earlier seats go to people who are there."
        ),
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args: Any, rounds: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["arrives_from"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("From the start"))] + [
            (str(pk), _("I am coming later, from %(round)s") % {"round": label})
            for pk, label in rounds[1:]
        ]
        if len(rounds) < 2:
            del self.fields["arrives_from"]

    def arrives_from_block_id(self) -> int | None:
        value = self.cleaned_data.get("arrives_from")
        return int(value) if value is not None else None


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class DetailsForm(forms.Form):
    name = RegistrationForm.base_fields["name"]
    job_title = RegistrationForm.base_fields["job_title"]
    needs_step_free = RegistrationForm.base_fields["needs_step_free"]
    networking_consent = RegistrationForm.base_fields["networking_consent"]
    language = RegistrationForm.base_fields["language"]


class RoundsForm(forms.Form):
    """The workshop rounds a participant attends; ``rounds`` are the edition's round blocks."""

    rounds = forms.MultipleChoiceField(
        label=_("Rounds I attend"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, rounds: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rounds"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(pk), label) for pk, label in rounds]

    def attended_block_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["rounds"]]


@dataclass(frozen=True)
class RankingGroup:
    """One list of ordered choices: the workshops of one round, or every workshop."""

    prefix: str
    legend: str
    topics: Sequence[tuple[int, str]]
    choices: int
    hint: str = ""


class RankingForm(forms.Form):
    """Ordered choice boxes per group ("choice 1", "choice 2", ...), each a select of topics.

    Field names are ``<group prefix>-<n>``; ``ranked()`` gives the chosen topic ids per
    group, best first, with empty boxes left out. A topic chosen twice in a group is refused
    on the later box.
    """

    def __init__(self, *args: Any, groups: Sequence[RankingGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = list(groups)
        for group in self.groups:
            options = [("", _("— no choice —")), *((str(pk), title) for pk, title in group.topics)]
            for number in range(1, group.choices + 1):
                field = forms.ChoiceField(
                    label=_("Choice %(number)s") % {"number": number},
                    choices=options,
                    required=False,
                )
                field.summary_label = (  # type: ignore[attr-defined]
                    _("%(group)s, choice %(number)s") % {"group": group.legend, "number": number}
                    if len(self.groups) > 1
                    else field.label
                )
                self.fields[self.slot_name(group, number)] = field

    @staticmethod
    def slot_name(group: RankingGroup, number: int) -> str:
        return f"{group.prefix}-{number}"

    def group_fields(self, group: RankingGroup) -> list[forms.BoundField]:
        return [self[self.slot_name(group, n)] for n in range(1, group.choices + 1)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        titles = {str(pk): title for group in self.groups for pk, title in group.topics}
        for group in self.groups:
            seen: dict[str, int] = {}
            for number in range(1, group.choices + 1):
                name = self.slot_name(group, number)
                value = cleaned.get(name)
                if not value:
                    continue
                if value in seen:
                    self.add_error(
                        name,
                        _("You have chosen %(topic)s already as choice %(number)s.")
                        % {"topic": titles[value], "number": seen[value]},
                    )
                else:
                    seen[value] = number
        return cleaned

    def ranked(self) -> list[list[int]]:
        """Per group, the chosen topic ids best first (empty boxes closed up)."""
        return [
            [
                int(self.cleaned_data[self.slot_name(group, n)])
                for n in range(1, group.choices + 1)
                if self.cleaned_data.get(self.slot_name(group, n))
            ]
            for group in self.groups
        ]

    @classmethod
    def initial_for(
        cls, groups: Sequence[RankingGroup], ranked_topic_ids: Sequence[int]
    ) -> dict[str, str]:
        """Fill the boxes from stored preferences: each topic in its group, in stored order."""
        initial: dict[str, str] = {}
        group_of = {pk: group for group in groups for pk, _title in group.topics}
        filled = {group.prefix: 0 for group in groups}
        for pk in ranked_topic_ids:
            group = group_of.get(pk)
            if group is None or filled[group.prefix] >= group.choices:
                continue
            filled[group.prefix] += 1
            initial[cls.slot_name(group, filled[group.prefix])] = str(pk)
        return initial


def ranking_data_after_move(data: Mapping[str, Any], move: str) -> dict[str, str] | None:
    """The posted boxes with one choice moved up or down (``"<field>:up"``), or ``None``.

    Used by the move buttons, which work as plain submit buttons without JavaScript and
    through htmx with it; the result is shown again, not saved.
    """
    name, _sep, direction = move.rpartition(":")
    prefix, _dash, number_text = name.rpartition("-")
    if direction not in ("up", "down") or not prefix or not number_text.isdigit():
        return None
    number = int(number_text)
    other = f"{prefix}-{number - 1 if direction == 'up' else number + 1}"
    if name not in data or other not in data:
        return None
    moved = {key: str(data.get(key, "")) for key in data if key != "move"}
    moved[name], moved[other] = moved[other], moved[name]
    return moved

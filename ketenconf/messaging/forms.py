from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import GROUPS_WITH_VALUE, Group
from .selectors import GroupChoices
from .services import BODY_MAX, SUBJECT_MAX

#: How the groups that name one thing are headed in the list of groups.
GROUP_HEADINGS = {
    Group.SESSION: _("Participants of one workshop session"),
    Group.ORGANISATION: _("Participants of one organisation"),
    Group.ORGANISATION_KIND: _("Participants of one kind of organisation"),
}


def to_choices(choices: GroupChoices) -> list[tuple[str, Any]]:
    """The groups for one select: the plain ones first, then one heading per group that names
    one thing, with its sessions, organisations or kinds (``group:value``)."""
    plain = [(str(value), str(label).capitalize()) for value, label in Group.choices]
    plain = [choice for choice in plain if choice[0] not in GROUPS_WITH_VALUE]
    grouped = [
        (
            str(heading),
            [(f"{group}:{value}", label) for value, label in choices.for_group(group)],
        )
        for group, heading in GROUP_HEADINGS.items()
        if choices.for_group(group)
    ]
    return [("", _("— choose who —")), *plain, *grouped]


class MessageForm(forms.Form):
    to = forms.ChoiceField(label=_("To"))
    subject_nl = forms.CharField(label=_("Subject in Dutch"), max_length=SUBJECT_MAX)
    body_nl = forms.CharField(
        label=_("Text in Dutch"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text: an empty line starts a new paragraph; addresses become links."),
    )
    subject_en = forms.CharField(label=_("Subject in English"), max_length=SUBJECT_MAX)
    body_en = forms.CharField(
        label=_("Text in English"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    count = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: GroupChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.to_choices = to_choices(choices)
        self.to_field.choices = self.to_choices

    @property
    def to_field(self) -> forms.ChoiceField:
        field = self.fields["to"]
        assert isinstance(field, forms.ChoiceField)
        return field

    def option_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The choices of ``to`` for the template: ("", plain ones), then (heading, options)."""
        plain: list[tuple[str, str]] = []
        groups: list[tuple[str, list[tuple[str, str]]]] = [("", plain)]
        for value, label in self.to_choices:
            if isinstance(label, list | tuple):
                groups.append((str(value), [(str(v), str(name)) for v, name in label]))
            else:
                plain.append((str(value), str(label)))
        return groups

    def text_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("subject_nl", "body_nl", "subject_en", "body_en")]

    def group(self) -> tuple[str, str]:
        group, _sep, value = self.cleaned_data["to"].partition(":")
        return group, value

    def texts(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name]
            for name in ("subject_nl", "subject_en", "body_nl", "body_en")
        }


class ReminderForm(forms.Form):
    rank_enabled = forms.BooleanField(
        label=_("Remind who have not ranked the workshops"), required=False
    )
    ranking_closes_on = forms.DateField(
        label=_("Ranking closes on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day participants can rank the workshops."),
    )
    rank_days_before = forms.IntegerField(
        label=_("Days before ranking closes"), min_value=0, max_value=60
    )
    practical_enabled = forms.BooleanField(label=_("Send practical information"), required=False)
    practical_days_before = forms.IntegerField(
        label=_("Days before the first day"), min_value=0, max_value=60
    )
    practical_subject_nl = forms.CharField(
        label=_("Subject in Dutch"), max_length=SUBJECT_MAX, required=False
    )
    practical_body_nl = forms.CharField(
        label=_("Text in Dutch"),
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    practical_subject_en = forms.CharField(
        label=_("Subject in English"), max_length=SUBJECT_MAX, required=False
    )
    practical_body_en = forms.CharField(
        label=_("Text in English"),
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def rank_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("rank")]

    def practical_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("practical")]

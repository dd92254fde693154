"""Forms of the market pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenconf.core.validators import validate_no_control_characters, validate_no_markup
from ketenconf.networking.themes import interest_choices
from ketenconf.registration.models import ParticipantLanguage


class StandForm(forms.Form):
    name = forms.CharField(label=_("Name of the stand"), max_length=150)
    description = forms.CharField(
        label=_("What visitors find at the stand"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    needs_power = forms.BooleanField(label=_("We need power"), required=False)
    needs_large = forms.BooleanField(
        label=_("We need a large position (more than one table)"), required=False
    )
    other_needs = forms.CharField(
        label=_("Other needs"),
        max_length=300,
        required=False,
        help_text=_("For example a screen, a wall for posters, step-free access."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        themes = self.fields["themes"]
        assert isinstance(themes, forms.MultipleChoiceField)
        themes.choices = interest_choices()


class ApplicationForm(StandForm):
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        validators=[validate_no_control_characters, validate_no_markup],
        widget=forms.TextInput(attrs={"list": "organisations", "autocomplete": "organization"}),
    )
    contact_name = forms.CharField(
        label=_("Contact person"), max_length=150, validators=[validate_no_control_characters]
    )
    contact_email = forms.EmailField(
        label=_("Email address of the contact person"),
        help_text=_("We mail a link to see and change the application."),
    )
    language = forms.ChoiceField(
        label=_("Language for emails"), choices=ParticipantLanguage.choices, initial="nl"
    )

    field_order = ["organisation", "name", "description", "themes", "needs_power"]


class MoveForm(forms.Form):
    stand = forms.IntegerField(min_value=1)
    position = forms.IntegerField(min_value=1, required=False)


class GridForm(forms.Form):
    rows = forms.IntegerField(label=_("Rows"), min_value=1, max_value=50)
    columns = forms.IntegerField(label=_("Columns"), min_value=1, max_value=50)
    power_columns = forms.CharField(
        label=_("Columns with power"),
        required=False,
        help_text=_("Numbers separated by commas, for example 1, 6."),
    )

    def clean_power_columns(self) -> list[int]:
        raw = self.cleaned_data["power_columns"]
        try:
            return [int(part) for part in raw.replace(" ", "").split(",") if part]
        except ValueError:
            raise forms.ValidationError(_("Give column numbers separated by commas.")) from None

from __future__ import annotations

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
    dietary_needs = forms.CharField(
        label=_("Dietary needs"),
        max_length=300,
        required=False,
        validators=[validate_no_control_characters],
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        max_length=300,
        required=False,
        validators=[validate_no_control_characters],
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


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class DetailsForm(forms.Form):
    name = RegistrationForm.base_fields["name"]
    job_title = RegistrationForm.base_fields["job_title"]
    dietary_needs = RegistrationForm.base_fields["dietary_needs"]
    accessibility_needs = RegistrationForm.base_fields["accessibility_needs"]
    needs_step_free = RegistrationForm.base_fields["needs_step_free"]
    networking_consent = RegistrationForm.base_fields["networking_consent"]
    language = RegistrationForm.base_fields["language"]

"""Forms of the check-in pages: every input goes through one of these."""

from __future__ import annotations

import uuid

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import BadgeFormat
from .services import NONCE

nonce_field = forms.CharField(
    widget=forms.HiddenInput,
    max_length=64,
    validators=[RegexValidator(NONCE, _("This scan form is damaged; reload the page."))],
)


def new_nonce() -> str:
    """A number for the next scan: a retried or doubled submit sends it again, counts once."""
    return uuid.uuid4().hex


class ScanForm(forms.Form):
    token = forms.CharField(
        label=_("Badge code"),
        max_length=500,
        help_text=_("Scan the QR code of the badge, or type its code and press Enter."),
        widget=forms.TextInput(
            attrs={
                "autofocus": "autofocus",
                "autocomplete": "off",
                "autocapitalize": "off",
                "spellcheck": "false",
                "enterkeyhint": "go",
            }
        ),
    )
    nonce = nonce_field

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", "scan_%s")  # the answer swaps in a new #scan_nonce
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not self.is_bound:
            self.initial["nonce"] = new_nonce()


class NonceForm(forms.Form):
    nonce = nonce_field


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name, email or organisation"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
    )


class DoorForm(forms.Form):
    door = forms.SlugField(
        label=_("Door"),
        max_length=40,
        initial="1",
        help_text=_("A number or a short name, for example 2 or main-entrance."),
    )


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    nonce = nonce_field

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("prefix", "walk_in")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not self.is_bound:
            self.initial["nonce"] = new_nonce()


class SettingsForm(forms.Form):
    allow_switching = forms.BooleanField(
        label=_("Let participants into other sessions while seats are left"), required=False
    )
    walk_ins = forms.BooleanField(label=_("Register walk-ins at the desk"), required=False)


class BatchForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=BadgeFormat.choices)

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ketenconf.core.tenancy import scopes_disabled
from ketenconf.events.models import Edition, Organisation
from ketenconf.programme.models import Topic

from .models import Role


def _topics(edition: Edition) -> Any:
    return Topic.objects.filter(edition=edition).order_by("title")


def _organisations(edition: Edition) -> Any:
    """The lead organisation and the series' partners: whom people of an edition work for."""
    partners = edition.series.partnerships.values("organisation_id")
    return Organisation.objects.filter(
        pk__in=[edition.lead_organisation_id]
    ) | Organisation.objects.filter(pk__in=partners)


with scopes_disabled():  # made outside any edition's scope; the choices are set per edition

    class InvitationForm(forms.Form):
        email = forms.EmailField(label=_("Email address"), max_length=254)
        role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
        organisation = forms.ModelChoiceField(
            label=_("Works for"),
            queryset=Organisation.objects.none(),
            required=False,
            help_text=_("Needed for a partner organiser: their organisation's sessions."),
        )
        topics = forms.ModelMultipleChoiceField(
            label=_("Sessions they host"),
            queryset=Topic.objects.none(),
            required=False,
            help_text=_("Needed for a host."),
            widget=forms.CheckboxSelectMultiple,
        )
        language = forms.ChoiceField(label=_("Language of the mail"), choices=settings.LANGUAGES)

        def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fields["organisation"].queryset = _organisations(edition).order_by("name")  # type: ignore[attr-defined]
            self.fields["topics"].queryset = _topics(edition)  # type: ignore[attr-defined]

    class RoleForm(forms.Form):
        role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
        topics = forms.ModelMultipleChoiceField(
            label=_("Sessions they host"),
            queryset=Topic.objects.none(),
            required=False,
            help_text=_("Needed for a host."),
            widget=forms.CheckboxSelectMultiple,
        )

        def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fields["topics"].queryset = _topics(edition)  # type: ignore[attr-defined]


class AcceptForm(forms.Form):
    """A new account for the invited address: a name and a password."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password2 = forms.CharField(
        label=_("The password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data

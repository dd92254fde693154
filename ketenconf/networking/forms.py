"""Forms of the participants' networking pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenconf.events.models import OrganisationKind

from .themes import CHAIN_LINK_KEYS, THEME_KEYS, interest_label


class ProfileForm(forms.Form):
    links = forms.MultipleChoiceField(
        label=_("Links of the chain you want to talk about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes you want to talk about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wanted_kinds = forms.MultipleChoiceField(
        label=_("Kinds of organisation you want to meet"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=OrganisationKind.choices,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        links = self.fields["links"]
        themes = self.fields["themes"]
        assert isinstance(links, forms.MultipleChoiceField)
        assert isinstance(themes, forms.MultipleChoiceField)
        links.choices = [(key, interest_label(key)) for key in CHAIN_LINK_KEYS]
        themes.choices = [(key, interest_label(key)) for key in THEME_KEYS]

    @staticmethod
    def initial_for(interests: list[str], wanted_kinds: list[str]) -> dict[str, list[str]]:
        return {
            "links": [key for key in interests if key in CHAIN_LINK_KEYS],
            "themes": [key for key in interests if key in THEME_KEYS],
            "wanted_kinds": list(wanted_kinds),
        }

    def interests(self) -> list[str]:
        return [*self.cleaned_data["links"], *self.cleaned_data["themes"]]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or organisation"), max_length=100, required=False, min_length=2
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])


class AskForm(forms.Form):
    target = forms.IntegerField(min_value=1)


class ProposeForm(forms.Form):
    max_meetings = forms.IntegerField(
        label=_("Meetings per person at most"), min_value=1, max_value=20, initial=3
    )
    seed = forms.IntegerField(label=_("Seed"), min_value=0, initial=0, required=False)

from __future__ import annotations

from typing import Any

from django import forms

from .models import ChainLink, Organisation


class OrganisationForm(forms.ModelForm):
    chain_links = forms.MultipleChoiceField(
        choices=ChainLink.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "chain_links"]

    def clean_chain_links(self) -> list[Any]:
        return list(self.cleaned_data["chain_links"])

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

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


class OrganisationMergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .selectors import organisations_accepted

        self.fields["into"].queryset = organisations_accepted()  # type: ignore[attr-defined]

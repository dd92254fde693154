from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import fields
from .models import ImportKind
from .selectors import ColumnChoice


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("File (CSV or Excel .xlsx)"),
        help_text=_("The first row holds the column names."),
    )


class MappingForm(forms.Form):
    """One choice per column of the file: the field it holds, or left out."""

    def __init__(self, *args: Any, kind: str, columns: list[ColumnChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.columns = columns
        choices = [("", _("— leave out —"))] + [
            (f.name, f"{f.label}{' *' if f.required else ''}") for f in fields.FIELDS[kind]
        ]
        for column in columns:
            self.fields[f"column_{column.index}"] = forms.ChoiceField(
                label=column.header, choices=choices, required=False, initial=column.field
            )
        if kind == ImportKind.PARTICIPANTS:
            self.fields["notify"] = forms.BooleanField(
                label=_(
                    "Mail each new participant the usual confirmation with their personal link"
                ),
                required=False,
            )

    def rows(self) -> list[tuple[ColumnChoice, forms.BoundField]]:
        return [(column, self[f"column_{column.index}"]) for column in self.columns]

    def mapping(self) -> dict[int, str]:
        return {
            column.index: self.cleaned_data[f"column_{column.index}"]
            for column in self.columns
            if self.cleaned_data.get(f"column_{column.index}")
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            for message in fields.mapping_errors(kind=self.kind, fields=self.mapping().values()):
                self.add_error(None, message)
        return cleaned

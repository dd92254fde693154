"""Forms of the assignment pages: start a run, search participants, move a participant."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import RoundChoice


class RunForm(forms.Form):
    time_limit = forms.IntegerField(
        label=_("Time limit in seconds"),
        min_value=1,
        max_value=3600,
        initial=60,
        help_text=_("Small editions are solved to the proven optimum in a few seconds."),
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**31 - 1,
        initial=0,
        help_text=_("The same input and seed give the same assignment."),
    )
    organisation_share = forms.IntegerField(
        label=_("Largest share of one organisation per session, in percent"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_(
            "Leave empty for no limit. With 25, a session of 40 holds at most 10 people of one "
            "organisation."
        ),
    )

    def max_organisation_share(self) -> float | None:
        share = self.cleaned_data.get("organisation_share")
        return None if share is None else share / 100


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name, email address or organisation"), max_length=100, required=False
    )


def _round_field(name: str) -> str:
    return f"round_{name}"


class MoveForm(forms.Form):
    """One choice per round the participant attends, and whether to lock the chosen seats."""

    lock = forms.BooleanField(
        label=_("Lock these seats, so that a new run keeps them"), required=False, initial=True
    )

    def __init__(self, *args: Any, rounds: Sequence[RoundChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rounds = list(rounds)
        fields: dict[str, forms.Field] = {}
        for choice in self.rounds:
            fields[_round_field(str(choice.block.pk))] = forms.TypedChoiceField(
                label=str(choice.block),
                choices=[("", _("no session")), *choice.sessions],
                coerce=int,
                empty_value=None,
                required=False,
                initial=choice.current,
            )
        self.fields = {**fields, "lock": self.fields["lock"]}

    def round_fields(self) -> list[forms.BoundField]:
        return [self[_round_field(str(choice.block.pk))] for choice in self.rounds]

    def seats(self) -> dict[int, int | None]:
        return {
            choice.block.pk: self.cleaned_data.get(_round_field(str(choice.block.pk)))
            for choice in self.rounds
        }


class ReofferForm(forms.Form):
    """Re-offer the seats of those not there, from a round that has not started."""

    before_round = forms.TypedChoiceField(label=_("Re-offer from round"), coerce=int)

    def __init__(self, *args: Any, rounds: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["before_round"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(str(number), label) for number, label in rounds]

"""Forms of the call for sessions: proposing, inviting, reviewing, deciding, scheduling."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ketenconf.core.validators import validate_no_control_characters, validate_no_markup
from ketenconf.events.models import ChainLink, Room
from ketenconf.programme.models import Block, Language, Topic

from .models import PROPOSABLE_KINDS, Proposal

PROPOSAL_FIELDS = (
    "title",
    "summary",
    "kind",
    "theme",
    "language",
    "wanted_size",
    "needs_step_free",
    "needs_projector",
    "other_needs",
    "may_run_twice",
)


def _round_label(block: Block) -> str:
    start = timezone.localtime(block.start).strftime("%H:%M")
    end = timezone.localtime(block.end).strftime("%H:%M")
    return f"{block}, {start}–{end}"


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        validators=[validate_no_control_characters, validate_no_markup],
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What participants will do and take away, in a few sentences."),
    )
    kind = forms.ChoiceField(label=_("Kind of session"), choices=PROPOSABLE_KINDS)
    theme = forms.ChoiceField(label=_("Theme: link of the chain"), choices=ChainLink.choices)
    language = forms.ChoiceField(label=_("Language of the session"), choices=Language.choices)
    wanted_size = forms.IntegerField(
        label=_("Most participants per session"),
        min_value=5,
        max_value=1000,
        help_text=_("How many people the session works for at most."),
    )
    needs_step_free = forms.BooleanField(
        label=_("A host or the session needs a step-free room"), required=False
    )
    needs_projector = forms.BooleanField(label=_("We need a projector"), required=False)
    other_needs = forms.CharField(
        label=_("Other needs"),
        max_length=300,
        required=False,
        validators=[validate_no_control_characters],
    )
    may_run_twice = forms.BooleanField(
        label=_("We can give the session twice, in two rounds"), required=False
    )
    available_rounds = forms.TypedMultipleChoiceField(
        label=_("Rounds the hosts can come"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none if you can come in every round."),
    )

    def __init__(self, *args: Any, rounds: Sequence[Block], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(block.pk, _round_label(block)) for block in rounds]
        self.fields["available_rounds"].choices = choices  # type: ignore[attr-defined]
        if not choices:
            del self.fields["available_rounds"]

    @classmethod
    def initial_for(cls, proposal: Proposal) -> dict[str, Any]:
        data = {name: getattr(proposal, name) for name in PROPOSAL_FIELDS}
        data["available_rounds"] = [b.pk for b in proposal.available_rounds.all()]
        return data

    def proposal_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PROPOSAL_FIELDS}

    def round_ids(self) -> list[int]:
        return list(self.cleaned_data.get("available_rounds") or [])


class SubmitForm(ProposalForm):
    host_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        validators=[validate_no_control_characters, validate_no_markup],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    host_email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send your personal link to change the proposal here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    host_organisation = forms.CharField(
        label=_("Your organisation"),
        max_length=200,
        validators=[validate_no_control_characters, validate_no_markup],
        help_text=_("Choose from the list or type the name of your organisation."),
        widget=forms.TextInput(attrs={"list": "organisations", "autocomplete": "organization"}),
    )


class InviteForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the co-host"),
        max_length=150,
        validators=[validate_no_control_characters, validate_no_markup],
    )
    email = forms.EmailField(label=_("Email address of the co-host"), max_length=254)
    organisation = forms.CharField(
        label=_("Organisation of the co-host"),
        max_length=200,
        validators=[validate_no_control_characters, validate_no_markup],
        widget=forms.TextInput(attrs={"list": "organisations"}),
    )


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def host_language() -> str:
    return "en" if get_language() == "en" else "nl"


# --- Organisers -------------------------------------------------------------------------------


class CallForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    open = forms.BooleanField(label=_("The call is open"), required=False, initial=True)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the call asks for. Markdown."),
    )


SCORES = [(str(n), str(n)) for n in range(1, 6)]


class ReviewForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score (1 poor, 5 excellent)"),
        choices=[("", "—"), *SCORES],
        coerce=int,
    )
    comment = forms.CharField(
        label=_("Comment for the organising team"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    private_note = forms.CharField(
        label=_("Private note"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Read only by you and colleagues of your organisation, unless you share it."),
    )
    shared = forms.BooleanField(
        label=_("Share the private note with the other organisations"), required=False
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the hosts"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Added to the mail every host receives."),
    )


class DemandForm(forms.Form):
    demand_estimate = forms.IntegerField(
        label=_("Expected demand"),
        min_value=0,
        max_value=100_000,
        required=False,
        help_text=_("How many participants will want it; leave empty to use the interest votes."),
    )


class RunForm(forms.Form):
    time_limit = forms.IntegerField(
        label=_("Time limit in seconds"), min_value=1, max_value=600, initial=10
    )


class PinForm(forms.Form):
    topic: forms.ModelChoiceField[Topic] = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.none()
    )
    block: forms.ModelChoiceField[Block] = forms.ModelChoiceField(
        label=_("Round"), queryset=Block.objects.none()
    )
    room: forms.ModelChoiceField[Room] = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.none()
    )

    def __init__(
        self,
        *args: Any,
        topics: Sequence[Topic],
        rounds: Sequence[Block],
        rooms: Sequence[Room],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["topic"].queryset = Topic.objects.filter(pk__in=[t.pk for t in topics])
        fields["block"].queryset = Block.objects.filter(pk__in=[b.pk for b in rounds])
        fields["room"].queryset = Room.objects.filter(pk__in=[r.pk for r in rooms])


class InterestForm(forms.Form):
    topics = forms.TypedMultipleChoiceField(
        label=_("Sessions you would like to attend"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, topics: Sequence[Topic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [  # type: ignore[attr-defined]
            (topic.pk, topic.title) for topic in topics
        ]

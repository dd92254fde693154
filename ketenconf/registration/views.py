"""Participant pages: register, open the personal page with a link, see and change the registration."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import get_usage

from ketenconf.allocation.selectors import personal_programme
from ketenconf.events.models import Edition
from ketenconf.events.selectors import edition_public_get, organisation_names_suggested
from ketenconf.programme.models import Block, BlockKind, Topic
from ketenconf.programme.selectors import programme_for_edition
from ketenconf.proposals.selectors import interest_votes_open
from ketenconf.questions import selectors as question_selectors
from ketenconf.questions import services as question_services
from ketenconf.questions.forms import AnswersForm

from . import access, limits, links, selectors, services
from .forms import (
    DayForm,
    DetailsForm,
    EmailForm,
    RankingForm,
    RankingGroup,
    RegistrationForm,
    RoundsForm,
    ranking_data_after_move,
    registration_create_arguments,
)
from .models import Registration


def _me_url(edition: Edition) -> str:
    return reverse("registration:me", kwargs={"slug": edition.slug})


def _url(name: str, edition: Edition) -> str:
    return reverse(f"registration:{name}", kwargs={"slug": edition.slug})


def _answers_form(
    request: HttpRequest,
    edition: Edition,
    *,
    registration: Registration | None = None,
    posted: bool = True,
) -> AnswersForm:
    """The edition's questions as fields: on the registration page every question (the
    organisation is known only after sending), on the personal page those asked of the
    participant's kind of organisation, filled with their answers."""
    return AnswersForm(
        request.POST if posted and request.method == "POST" else None,
        questions=question_selectors.questions_for_edition(edition_id=edition.pk),
        language=get_language() or "nl",
        organisation_kind=registration.organisation.kind if registration else None,
        values=question_selectors.registration_answers(registration=registration)
        if registration
        else None,
    )


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_public_get(slug=slug)
    form = RegistrationForm(request.POST or None)
    day = DayForm(request.POST or None, rounds=_round_choices(edition), prefix="day")
    answers = _answers_form(request, edition)
    outcome = None
    if (
        edition.registration_is_open
        and request.method == "POST"
        and all([form.is_valid(), day.is_valid(), answers.is_valid()])
    ):
        data = form.cleaned_data
        try:
            outcome = services.registration_create(
                edition=edition,
                **registration_create_arguments(data),
                answers=answers.raw(),
                wants_better_seat=day.cleaned_data["wants_better_seat"],
                arrives_from_block_id=day.arrives_from_block_id(),
            )
        except ValidationError as error:
            answers.add_service_errors(error.message_dict)
            for field, messages in error.message_dict.items():
                if not field.startswith("answers."):
                    form.add_error(field if field in form.fields else None, messages)
    if outcome is not None:
        registration = outcome.registration
        return render(
            request,
            "registration/registered.html",
            {
                "edition": edition,
                "registration": registration,
                "created": outcome.created,
                "position": selectors.waitlist_position(registration=registration),
            },
        )
    status = 422 if request.method == "POST" and edition.registration_is_open else 200
    return render(
        request,
        "registration/register.html",
        {
            "edition": edition,
            "form": form,
            "day": day,
            "answers": answers,
            "organisations": organisation_names_suggested(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """GET shows a button and uses nothing up; the POST from the button opens the page."""
    edition = edition_public_get(slug=slug)
    try:
        if request.method == "POST":
            registration = links.access_token_consume(token=token, edition_slug=slug)
            access.session_login(request, registration=registration)
            return redirect(_me_url(edition))
        registration = links.access_token_check(token=token, edition_slug=slug)
    except links.InvalidLink as problem:
        return render(
            request,
            "registration/link_invalid.html",
            {"edition": edition, "problem": str(problem), "form": EmailForm()},
            status=400,
        )
    return render(
        request,
        "registration/link.html",
        {"edition": edition, "first_name": registration.name.split(" ")[0]},
    )


@require_http_methods(["GET", "POST"])
def request_link(request: HttpRequest, slug: str) -> HttpResponse:
    """Mail a new personal link. The answer is the same whether or not the address is known."""
    edition = edition_public_get(slug=slug)
    form = EmailForm(request.POST or None)
    sent = limited = False
    status = 200
    if request.method == "POST" and form.is_valid():
        # Both limits count whether or not the address is registered: "too many" tells
        # nothing about who is.
        rate = settings.LINK_REQUESTS_PER_CLIENT
        usage = (
            get_usage(
                request, group="registration.request_link", key="ip", rate=rate, increment=True
            )
            if rate
            else None
        )
        if (usage is not None and usage["should_limit"]) or not limits.link_mail_allowed(
            email=form.cleaned_data["email"]
        ):
            limited = True
            status = 429
        else:
            services.registration_send_link(edition=edition, email=form.cleaned_data["email"])
            sent = True
    response = render(
        request,
        "registration/request_link.html",
        {"edition": edition, "form": form, "sent": sent, "limited": limited},
        status=status,
    )
    if limited:
        response["Retry-After"] = "3600"
    return response


# --- The personal pages -----------------------------------------------------------------------
#
# Every view below acts for the registration this browser session opened with a personal
# link (``access.session_registration``) and for no other: no URL carries an id. Without such
# a session they send the visitor to the page that mails a new link. They are never cached:
# a shared computer's back button must not show someone's details after they closed the page.

PersonalView = Callable[..., HttpResponse]


def _personal(view: PersonalView) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str) -> HttpResponse:
        edition = edition_public_get(slug=slug)
        registration = access.session_registration(request, edition=edition)
        if registration is None:
            return redirect(_url("request_link", edition))
        return view(request, edition, registration)

    return never_cache(wrapper)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# Reads these pages need beyond the registration itself. Small and fixed in number of queries;
# candidates for ``selectors.py`` (registration_ranked_topics, registration_absent_round_ids).


def _ranked_topics(registration: Registration) -> list[Topic]:
    return list(
        Topic.objects.filter(preferences__registration=registration).order_by("preferences__rank")
    )


def _absent_round_ids(registration: Registration) -> set[int]:
    return set(registration.absent_rounds.values_list("pk", flat=True))


def _round_blocks(edition: Edition) -> list[Block]:
    return list(
        Block.objects.filter(edition=edition, kind=BlockKind.ROUND).order_by("start", "end")
    )


def _round_choices(edition: Edition) -> list[tuple[int, str]]:
    return [(block.pk, _round_label(block)) for block in _round_blocks(edition)]


def _round_label(block: Block) -> str:
    return _("%(round)s, %(start)s–%(end)s") % {
        "round": block,
        "start": time_format(timezone.localtime(block.start), "H:i"),
        "end": time_format(timezone.localtime(block.end), "H:i"),
    }


def _unattended_message(choice: selectors.UnattendedChoice) -> str:
    return _(
        "Your choice %(rank)s, %(topic)s, runs only in %(rounds)s, which you do not attend: "
        "you cannot get a seat in it. Tick the round again or choose another workshop."
    ) % {"rank": choice.rank, "topic": choice.topic.title, "rounds": choice.round_names}


@dataclass(frozen=True)
class WorkshopRound:
    block: Block
    topics: list[Topic]


def _workshop_rounds(edition: Edition) -> list[WorkshopRound]:
    """The round blocks in time order, each with its workshop topics by title."""
    rounds = []
    for item in programme_for_edition(edition=edition):
        if item.block.is_round:
            topics = {session.topic_id: session.topic for session in item.sessions}
            rounds.append(
                WorkshopRound(
                    block=item.block,
                    topics=sorted(topics.values(), key=lambda t: (t.title.casefold(), t.pk)),
                )
            )
    return rounds


#: Boxes per round when every workshop runs in one round ("choice 1" to "choice 3").
CHOICES_PER_ROUND = 3
#: Boxes beyond the number of rounds when workshops run in several rounds.
EXTRA_CHOICES_ACROSS_ROUNDS = 2


@dataclass(frozen=True)
class RankingLayout:
    per_round: bool
    groups: list[RankingGroup]
    #: (topic, the labels of the rounds it runs in) for the across-rounds overview.
    topics: list[tuple[Topic, list[str]]]


def _ranking_layout(rounds: Sequence[WorkshopRound]) -> RankingLayout:
    runs_in: dict[int, list[str]] = {}
    topics: dict[int, Topic] = {}
    for workshop_round in rounds:
        for topic in workshop_round.topics:
            topics[topic.pk] = topic
            runs_in.setdefault(topic.pk, []).append(str(workshop_round.block))
    if all(len(labels) == 1 for labels in runs_in.values()):
        groups = [
            RankingGroup(
                prefix=f"round{index}",
                legend=_round_label(workshop_round.block),
                topics=[(topic.pk, topic.title) for topic in workshop_round.topics],
                choices=min(CHOICES_PER_ROUND, len(workshop_round.topics)),
            )
            for index, workshop_round in enumerate(rounds, start=1)
            if workshop_round.topics
        ]
        return RankingLayout(per_round=True, groups=groups, topics=[])
    ordered = sorted(topics.values(), key=lambda t: (t.title.casefold(), t.pk))
    group = RankingGroup(
        prefix="choice",
        legend=_("Your workshops in order of preference"),
        topics=[
            (
                topic.pk,
                _("%(topic)s (%(rounds)s)")
                % {"topic": topic.title, "rounds": ", ".join(runs_in[topic.pk])},
            )
            for topic in ordered
        ],
        choices=min(len(ordered), len(rounds) + EXTRA_CHOICES_ACROSS_ROUNDS),
    )
    return RankingLayout(
        per_round=False, groups=[group], topics=[(t, runs_in[t.pk]) for t in ordered]
    )


def interleave(ranked_per_group: Sequence[Sequence[int]]) -> list[int]:
    """All first choices in group order, then all second choices, and so on."""
    longest = max((len(group) for group in ranked_per_group), default=0)
    return [group[i] for i in range(longest) for group in ranked_per_group if i < len(group)]


def _ranking_rows(form: RankingForm, moved: tuple[str, str] | None = None) -> list[dict[str, Any]]:
    """Per group, its boxes with the title chosen in each and which move buttons it gets.

    ``moved`` is (box, direction) of a choice just moved: that box gets the focus (its button
    in the same direction if it still has one), so a keyboard user can go on moving it; htmx
    focuses an ``autofocus`` element in the content it swaps in.
    """
    rows = []
    for group in form.groups:
        titles = {str(pk): title for pk, title in group.topics}
        fields = form.group_fields(group)
        seen: set[str] = set()
        slots = []
        for number, field in enumerate(fields, start=1):
            value = str(field.value() or "")
            title = titles.get(value, "") if value not in seen else ""
            seen.add(value)
            up = bool(title) and number > 1
            down = bool(title) and number < len(fields)
            focus = ""
            if moved is not None and moved[0] == field.html_name:
                available = {"up": up, "down": down}
                other = "down" if moved[1] == "up" else "up"
                focus = next((d for d in (moved[1], other) if available[d]), "select")
            slots.append(
                {
                    "field": field,
                    "topic": value if title else "",
                    "title": title,
                    "up": up,
                    "down": down,
                    "focus": focus,
                }
            )
        rows.append({"group": group, "slots": slots})
    return rows


def _move_target(move: str) -> tuple[str, str]:
    """The box a choice moves to, and the direction, from a valid ``move`` value."""
    name, _sep, direction = move.rpartition(":")
    prefix, _dash, number = name.rpartition("-")
    return f"{prefix}-{int(number) - 1 if direction == 'up' else int(number) + 1}", direction


def _moved_message(form: RankingForm, move: str) -> str:
    target, _direction = _move_target(move)
    titles = {str(pk): title for group in form.groups for pk, title in group.topics}
    title = titles.get(str(form[target].value() or ""))
    if title is None:
        return ""
    return _("%(topic)s is now choice %(number)s. Save your choices to keep this order.") % {
        "topic": title,
        "number": target.rpartition("-")[2],
    }


@_personal
def me(request: HttpRequest, edition: Edition, registration: Registration) -> HttpResponse:
    rounds = _round_blocks(edition)
    absent = _absent_round_ids(registration) if rounds else set()
    return render(
        request,
        "registration/me.html",
        {
            "edition": edition,
            "registration": registration,
            "position": selectors.waitlist_position(registration=registration),
            "ranked_topics": _ranked_topics(registration),
            "rounds": [(_round_label(block), block.pk not in absent) for block in rounds],
            "personal_programme": personal_programme(registration=registration),
            "interest_votes_open": interest_votes_open(edition=edition),
            "day_choices_open": selectors.day_choices_open(edition=edition),
            "arrives_from": _round_label(registration.arrives_from)
            if registration.arrives_from is not None
            else "",
            "answers": question_selectors.registration_answer_rows(
                registration=registration, language=get_language() or "nl"
            ),
            "has_questions": bool(question_selectors.questions_for_edition(edition_id=edition.pk)),
            "answers_open": question_selectors.answers_open(edition=edition),
        },
    )


@require_http_methods(["GET", "POST"])
@_personal
def answers(request: HttpRequest, edition: Edition, registration: Registration) -> HttpResponse:
    """Change the answers to the edition's questions, until its deadline
    (``questions.selectors.answers_open``)."""
    is_open = question_selectors.answers_open(edition=edition)
    form = _answers_form(request, edition, registration=registration, posted=is_open)
    if is_open and request.method == "POST" and form.is_valid():
        try:
            question_services.registration_answers_save(
                registration=registration, raw=form.raw(), language=get_language() or "nl"
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, problems in error.message_dict.items():
                    form.add_error(key if key in form.fields else None, problems)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("Your answers are saved."))
            return redirect(_me_url(edition))
    return render(
        request,
        "registration/answers.html",
        {"edition": edition, "registration": registration, "form": form, "open": is_open},
        status=422 if request.method == "POST" and is_open else 200,
    )


@require_http_methods(["GET", "POST"])
@_personal
def details(request: HttpRequest, edition: Edition, registration: Registration) -> HttpResponse:
    """Change name, job title, needs, networking consent and mail language."""
    initial = {
        name: getattr(registration, name)
        for name in DetailsForm.base_fields
        if hasattr(registration, name)
    }
    form = DetailsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_update_details(registration=registration, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("Your details are saved."))
            return redirect(_me_url(edition))
    return render(
        request,
        "registration/details.html",
        {"edition": edition, "registration": registration, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@_personal
def workshops(request: HttpRequest, edition: Edition, registration: Registration) -> HttpResponse:
    """Rank the workshops: the input of the assignment engine (see docs/allocation-contract.md).

    When every workshop runs in exactly one round, the page shows ordered boxes per round
    (choice 1 to 3). When a workshop runs in several rounds, the ranking is one list across
    workshops, each shown with the rounds it runs in. Either way one ranked list of topic ids
    is stored through ``registration_set_preferences``. Per-round choices are interleaved:
    all first choices in round order, then all second choices, and so on. The engine then
    costs a first choice in any round the same (rank 1..R for R rounds), which keeps a
    first choice in round 2 ahead of a second choice in round 1; within a round the order
    is the participant's own.

    The move buttons are submit buttons named ``move``: without JavaScript they post the form
    and the page comes back in the new order (not saved); with htmx only the boxes are
    swapped. "Save" stores the ranking.
    """
    if not registration.is_active:
        return redirect(_me_url(edition))

    def saved() -> HttpResponse:
        messages.success(request, _("Your workshop choices are saved."))
        return redirect(_me_url(edition))

    return ranking_page(
        request,
        edition=edition,
        registration=registration,
        template="registration/workshops.html",
        saved=saved,
    )


def ranking_page(
    request: HttpRequest,
    *,
    edition: Edition,
    registration: Registration,
    template: str,
    saved: Callable[[], HttpResponse],
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The ranking form of ``registration`` in ``template``: moves, save (then ``saved()``),
    errors. The participant's own page and the desk's page for a walk-in share it."""
    layout = _ranking_layout(_workshop_rounds(edition))
    move = request.POST.get("move", "") if request.method == "POST" else ""
    status = 200
    moved_message = ""
    focus = None
    if move:
        moved = ranking_data_after_move(request.POST, move)
        form = RankingForm(initial=moved or request.POST.dict(), groups=layout.groups)
        if moved is not None:
            moved_message = _moved_message(form, move)
            focus = _move_target(move)
        if _is_htmx(request):
            return render(
                request,
                "registration/_ranking_groups.html",
                {"rows": _ranking_rows(form, focus), "moved_message": moved_message, "oob": True},
            )
    elif request.method == "POST":
        form = RankingForm(request.POST, groups=layout.groups)
        if form.is_valid():
            try:
                services.registration_set_preferences(
                    registration=registration, topic_ids=interleave(form.ranked())
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                return saved()
        status = 422
    else:
        ranked = [topic.pk for topic in _ranked_topics(registration)]
        form = RankingForm(
            initial=RankingForm.initial_for(layout.groups, ranked), groups=layout.groups
        )
    for_the_day = not edition.ranking_is_open(timezone.now()) and selectors.ranks_for_the_day(
        registration=registration
    )
    return render(
        request,
        template,
        {
            "edition": edition,
            "registration": registration,
            "form": form,
            "layout": layout,
            "rows": _ranking_rows(form, focus),
            "moved_message": moved_message,
            "unattended": selectors.choices_in_unattended_rounds(registration=registration),
            "ranking_open": edition.ranking_is_open(timezone.now()) or for_the_day,
            "for_the_day": for_the_day,
            **(context or {}),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@_personal
def rounds(request: HttpRequest, edition: Edition, registration: Registration) -> HttpResponse:
    """Tick the workshop rounds you attend; all are ticked until you say otherwise."""
    if not registration.is_active:
        return redirect(_me_url(edition))
    blocks = _round_blocks(edition)
    choices = [(block.pk, _round_label(block)) for block in blocks]
    absent = _absent_round_ids(registration) if blocks else set()
    initial = {"rounds": [str(block.pk) for block in blocks if block.pk not in absent]}
    posted = request.POST if request.method == "POST" else None
    form = RoundsForm(posted, initial=initial, rounds=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_set_rounds(
                registration=registration, attended_block_ids=form.attended_block_ids()
            )
        except ValidationError as error:
            form.add_error("rounds", error.messages)
        else:
            messages.success(request, _("Your rounds are saved."))
            for choice in selectors.choices_in_unattended_rounds(registration=registration):
                messages.warning(request, _unattended_message(choice))
            return redirect(_me_url(edition))
    return render(
        request,
        "registration/rounds.html",
        {"edition": edition, "registration": registration, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@_personal
def day(request: HttpRequest, edition: Edition, registration: Registration) -> HttpResponse:
    """On the day: a better seat if one frees up, and the round you come from; until the
    doors open."""
    if not registration.is_active:
        return redirect(_me_url(edition))
    is_open = selectors.day_choices_open(edition=edition)
    initial = {
        "wants_better_seat": registration.wants_better_seat,
        "arrives_from": registration.arrives_from_id,
    }
    posted = request.POST if request.method == "POST" and is_open else None
    form = DayForm(posted, initial=initial, rounds=_round_choices(edition))
    if posted is not None and form.is_valid():
        try:
            services.registration_set_day_choices(
                registration=registration,
                wants_better_seat=form.cleaned_data["wants_better_seat"],
                arrives_from_block_id=form.arrives_from_block_id(),
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("Your choices for the day are saved."))
            return redirect(_me_url(edition))
    return render(
        request,
        "registration/day.html",
        {"edition": edition, "registration": registration, "form": form, "open": is_open},
        status=422 if posted is not None else 200,
    )


@require_GET
@_personal
def data(request: HttpRequest, edition: Edition, registration: Registration) -> HttpResponse:
    """Everything stored about the registration, as a JSON download."""
    response = JsonResponse(
        selectors.registration_personal_data(registration=registration),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="{edition.slug}-my-data.json"'
    return response


@require_http_methods(["GET", "POST"])
@_personal
def delete(request: HttpRequest, edition: Edition, registration: Registration) -> HttpResponse:
    """GET asks to confirm; the POST deletes the registration and closes the personal page."""
    if request.method == "POST":
        services.registration_delete(registration=registration)
        access.session_logout(request, edition=edition)
        return redirect(_url("deleted", edition))
    return render(
        request, "registration/delete.html", {"edition": edition, "registration": registration}
    )


@require_GET
def deleted(request: HttpRequest, slug: str) -> HttpResponse:
    """Says the registration is gone; shows nothing personal, so it needs no session."""
    edition = edition_public_get(slug=slug)
    return render(request, "registration/deleted.html", {"edition": edition})


@require_http_methods(["GET", "POST"])
@_personal
def cancel(request: HttpRequest, edition: Edition, registration: Registration) -> HttpResponse:
    """GET asks to confirm on a page of its own; the POST cancels. The result is said as a
    plain fact (info), not celebrated as a success."""
    if not registration.is_active:
        return redirect(_me_url(edition))
    if request.method == "POST":
        services.registration_cancel(registration=registration, by="participant")
        messages.info(request, _("Your registration is cancelled."))
        return redirect(_me_url(edition))
    return render(
        request, "registration/cancel.html", {"edition": edition, "registration": registration}
    )


@require_POST
@_personal
def resume(request: HttpRequest, edition: Edition, registration: Registration) -> HttpResponse:
    """Register again after cancelling or lapsing: only from the page the personal link opened."""
    try:
        outcome = services.registration_resume(registration=registration)
    except services.RegistrationClosed as closed:
        messages.error(request, str(closed))
    else:
        if outcome.created:
            messages.success(request, _("You are registered again."))
    return redirect(_me_url(edition))


@require_POST
def logout(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_public_get(slug=slug)
    access.session_logout(request, edition=edition)
    return redirect(reverse("edition", kwargs={"slug": slug}))

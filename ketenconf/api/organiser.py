"""The organisers' API: editions, blocks, sessions, registrations, preferences, assignment runs
and their seats, and the spreadsheets, for a token (:mod:`.auth`).

What a token may reach follows the workspace's one rule (:mod:`ketenconf.workspace.access`): the
editions its user's organisation leads or partners in. Any other edition is 404, as on the
organisers' pages, so its existence is not given away. Every change goes through the services
the pages use.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from ketenconf.allocation import adapter as allocation_adapter
from ketenconf.allocation import selectors as allocation_selectors
from ketenconf.allocation import services as allocation_services
from ketenconf.allocation.models import Assignment, AssignmentRun, Reoffer
from ketenconf.checkin import services as checkin_services
from ketenconf.core.tenancy import edition_scope_enter
from ketenconf.events.models import Edition
from ketenconf.events.permissions import topics_editable_by
from ketenconf.exports.organise import table_response
from ketenconf.exports.registry import table_exporter_get
from ketenconf.exports.tables import NothingToExport
from ketenconf.programme.models import Block, Host, Session
from ketenconf.questions.models import Answer
from ketenconf.registration import services as registration_services
from ketenconf.registration.exports import registrations_with_position
from ketenconf.registration.models import Preference, Registration
from ketenconf.workspace.access import Part, editions_for

from .auth import ApiTokenAuth
from .organiser_schemas import (
    MAX_ID,
    AssignmentOut,
    BlockOut,
    CheckInIn,
    CheckInOut,
    EditionOut,
    OrganiserRegistrationIn,
    PreferenceOut,
    PreferencesIn,
    RankCount,
    RegistrationDetailOut,
    ReofferIn,
    ReofferOut,
    RunDetailOut,
    RunIn,
    RunMetrics,
    RunOut,
    SessionOut,
    StatusIn,
    StatusOut,
)
from .schemas import Errors, Message

router = Router(auth=ApiTokenAuth(), tags=["organisers"])


def in_request_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Messages in the language of the Accept-Language header (Dutch by default), as the
    public registration does: the API has no language in its path."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = translation.get_language_from_request(request, check_path=False)
        with translation.override(language):
            response = view(request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    return wrapper


router.add_decorator(in_request_language, mode="view")

MAX_PAGE = 500
Id = Path(..., ge=1, le=MAX_ID)


class Pages(LimitOffsetPagination):
    """``?limit=`` (1 to 500, default 100) and ``?offset=``; the answer has ``items`` and
    ``count``, the number of items on all pages."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=10**9)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)


NOT_FOUND = {401: Message, 404: Message}


class Missing(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _edition(request: HttpRequest, slug: str, part: Part = Part.API) -> Edition:
    """The edition at ``slug`` if the token's user may open ``part`` of it, by the
    workspace's one rule; the request is in the edition's scope from here on."""
    edition = (
        editions_for(user=_user(request), part=part)
        .select_related("lead_organisation")
        .filter(slug=slug)
        .first()
    )
    if edition is None:
        raise Missing(_("There is no edition %(slug)s that you organise.") % {"slug": slug})
    edition_scope_enter(edition)
    return edition


def _registration(edition: Edition, registration_id: int) -> Registration:
    found = (
        _with_answers(registrations_with_position(Registration.objects.filter(edition=edition)))
        .filter(pk=registration_id)
        .first()
    )
    if found is None:
        raise Missing(_("This edition has no registration %(id)s.") % {"id": registration_id})
    return found


def _run(edition: Edition, run_id: int) -> AssignmentRun:
    run = allocation_selectors.run_get(edition=edition, pk=run_id)
    if run is None:
        raise Missing(_("This edition has no assignment run %(id)s.") % {"id": run_id})
    return run


def _errors(error: ValidationError) -> Status:
    if hasattr(error, "error_dict"):
        return Status(
            422,
            {"errors": {field: list(messages) for field, messages in error.message_dict.items()}},
        )
    return Status(422, {"errors": {"__all__": list(error.messages)}})


# Editions, blocks, sessions -----------------------------------------------------------------


def _edition_out(edition: Edition) -> dict[str, Any]:
    return {
        "id": edition.pk,
        "slug": edition.slug,
        "title": edition.title,
        "start_date": edition.start_date,
        "end_date": edition.end_date,
        "status": edition.status,
        "capacity": edition.capacity,
        "seats_taken": edition.seats_taken,
        "lead_organisation": edition.lead_organisation.name,
    }


@router.get(
    "/editions",
    response=list[EditionOut],
    summary="The editions you organise",
    operation_id="organiser_editions",
)
@paginate(Pages)
def editions(request: HttpRequest) -> Any:
    return [
        _edition_out(edition)
        for edition in editions_for(user=_user(request), part=Part.API)
        .select_related("lead_organisation")
        .order_by("-start_date", "pk")
    ]


@router.get(
    "/editions/{slug}",
    response={200: EditionOut, **NOT_FOUND},
    summary="One edition",
    operation_id="organiser_edition",
)
def edition(request: HttpRequest, slug: str) -> Any:
    return _edition_out(_edition(request, slug))


@router.get(
    "/editions/{slug}/blocks",
    response={200: list[BlockOut], **NOT_FOUND},
    summary="The blocks of the day, in time order",
    operation_id="organiser_blocks",
)
@paginate(Pages)
def blocks(request: HttpRequest, slug: str) -> Any:
    return [
        {"id": b.pk, "kind": b.kind, "title": str(b), "start": b.start, "end": b.end}
        for b in Block.objects.filter(edition=_edition(request, slug)).order_by(
            "start", "end", "pk"
        )
    ]


@router.get(
    "/editions/{slug}/sessions",
    response={200: list[SessionOut], **NOT_FOUND},
    summary="The sessions, in time order, with rooms, capacity and hosts",
    operation_id="organiser_sessions",
)
@paginate(Pages)
def sessions(request: HttpRequest, slug: str) -> Any:
    edition = _edition(request, slug)
    editable = topics_editable_by(user=_user(request)).filter(pk=OuterRef("topic_id"))
    hosts = Prefetch("topic__hosts", queryset=Host.objects.select_related("organisation"))
    rows: QuerySet[Session] = (
        Session.objects.filter(edition=edition)
        .select_related("topic", "block", "room")
        .prefetch_related(hosts)
        .annotate(editable=Exists(editable))
        .order_by("block__start", "-room__capacity", "room__name", "pk")
    )
    return [
        {
            "id": s.pk,
            "topic_id": s.topic_id,
            "title": s.topic.title,
            "kind": s.topic.kind,
            "block_id": s.block_id,
            "start": s.block.start,
            "end": s.block.end,
            "room": s.room.name,
            "capacity": s.effective_capacity,
            "hosts": [
                {"name": h.name, "organisation": h.organisation.name if h.organisation else None}
                for h in s.topic.hosts.all()
            ],
            "editable": s.editable,  # type: ignore[attr-defined]
        }
        for s in rows
    ]


# Registrations ------------------------------------------------------------------------------


def _registration_out(registration: Registration) -> dict[str, Any]:
    return {
        "id": registration.pk,
        "name": registration.name,
        "email": registration.email,
        "organisation": registration.organisation.name,
        "job_title": registration.job_title,
        "status": registration.status,
        "waitlist_position": getattr(registration, "position", None),
        "language": registration.language,
        "needs_step_free": registration.needs_step_free,
        "networking_consent": registration.networking_consent,
        "created_at": registration.created_at,
        "confirmed_at": registration.confirmed_at,
        "answers": {a.question.key: a.value for a in registration.answers.all()},
    }


def _with_answers(rows: QuerySet[Registration]) -> QuerySet[Registration]:
    return rows.prefetch_related(
        Prefetch("answers", Answer.objects.select_related("question").order_by("question_id"))
    )


class RegistrationFilter(Schema):
    status: str | None = Field(None, description="registered, waitlisted, cancelled or released")


class RegistrationPage(Schema):
    items: list[RegistrationDetailOut]
    count: int


@router.get(
    "/editions/{slug}/registrations",
    response={200: RegistrationPage, **NOT_FOUND},
    summary="The registrations, oldest first, with their place on the waiting list",
    operation_id="organiser_registrations",
)
def registrations(
    request: HttpRequest,
    slug: str,
    filters: Query[RegistrationFilter],
    pages: Query[Pages.Input],
) -> Any:
    edition = _edition(request, slug)
    rows = Registration.objects.filter(edition=edition)
    if filters.status:
        rows = rows.filter(status=filters.status)
    count = rows.count()
    page = _with_answers(registrations_with_position(rows.order_by("created_at", "pk")))[
        pages.offset : pages.offset + pages.limit
    ]
    return {"items": [_registration_out(r) for r in page], "count": count}


@router.post(
    "/editions/{slug}/registrations",
    response={200: RegistrationDetailOut, 201: RegistrationDetailOut, 422: Errors, **NOT_FOUND},
    summary="Add a participant",
    description=(
        "As an organiser adds one in the back-office: whatever the edition's status; a seat "
        "while seats are left, else the waiting list. The fields and messages are those of the "
        "public registration; notify (default true) mails the participant, confirmed (default "
        "false) counts the address as confirmed. 200 when the address is registered already."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": OrganiserRegistrationIn.model_json_schema()}
            },
        }
    },
    operation_id="organiser_registration_create",
)
def registration_create(request: HttpRequest, slug: str) -> Any:
    from ketenconf.registration.forms import RegistrationForm, registration_create_arguments

    from .api import NON_FIELD, _answers, _form_data
    from .body import json_body

    edition = _edition(request, slug)
    try:
        body = json_body(request)
    except ValueError:
        return Status(
            422,
            {"errors": {NON_FIELD: [_("Send a JSON object with the fields of the registration.")]}},
        )
    data, errors = _form_data(body)
    answers: dict[str, Any] = {}
    if not errors:
        answers, answer_errors = _answers(body, edition_id=edition.pk)
        errors.update(answer_errors)
    flags = {}
    for name, default in (("notify", True), ("confirmed", False)):
        value = body.get(name, default) if isinstance(body, dict) else default
        if isinstance(value, bool):
            flags[name] = value
        else:
            errors[name] = [_("Give this as true or false.")]
    if errors:
        return Status(422, {"errors": errors})
    form = RegistrationForm(data)
    if not form.is_valid():
        return Status(422, {"errors": {f: [str(m) for m in ms] for f, ms in form.errors.items()}})
    arguments = {
        "edition": edition,
        "even_if_closed": True,
        **flags,
        **registration_create_arguments(form.cleaned_data),
        "answers": answers,
    }
    try:
        try:
            outcome = registration_services.registration_create(**arguments)
        except IntegrityError:
            outcome = registration_services.registration_create(**arguments)
    except ValidationError as error:
        return _errors(error)
    registration = _registration(edition, outcome.registration.pk)
    return Status(201 if outcome.created else 200, _registration_out(registration))


@router.get(
    "/editions/{slug}/registrations/{registration_id}",
    response={200: RegistrationDetailOut, **NOT_FOUND},
    summary="One registration",
    operation_id="organiser_registration",
)
def registration(request: HttpRequest, slug: str, registration_id: int = Id) -> Any:
    return _registration_out(_registration(_edition(request, slug), registration_id))


@router.post(
    "/editions/{slug}/registrations/{registration_id}/status",
    response={200: StatusOut, 422: Errors, **NOT_FOUND},
    summary="Give a seat, put on the waiting list or cancel",
    description="Seats are counted as for a participant's own change; a freed seat goes to "
    "the first on the waiting list (listed in promoted).",
    operation_id="organiser_registration_status",
)
def registration_status(
    request: HttpRequest, slug: str, payload: StatusIn, registration_id: int = Id
) -> Any:
    edition = _edition(request, slug)
    current = _registration(edition, registration_id)
    try:
        promoted = registration_services.registration_set_status(
            registration=current, status=payload.status, by="organiser"
        )
    except ValidationError as error:
        return _errors(error)
    return {
        "registration": _registration_out(_registration(edition, registration_id)),
        "promoted": [r.pk for r in promoted],
    }


def _preferences(rows: QuerySet[Preference]) -> list[dict[str, Any]]:
    return [
        {
            "registration_id": p.registration_id,
            "topic_id": p.topic_id,
            "topic": p.topic.title,
            "rank": p.rank,
        }
        for p in rows.select_related("topic").order_by("registration_id", "rank")
    ]


@router.get(
    "/editions/{slug}/registrations/{registration_id}/preferences",
    response={200: list[PreferenceOut], **NOT_FOUND},
    summary="A participant's ranked workshop choices",
    operation_id="organiser_registration_preferences",
)
def registration_preferences(request: HttpRequest, slug: str, registration_id: int = Id) -> Any:
    current = _registration(_edition(request, slug), registration_id)
    return _preferences(Preference.objects.filter(registration=current))


@router.put(
    "/editions/{slug}/registrations/{registration_id}/preferences",
    response={200: list[PreferenceOut], 422: Errors, **NOT_FOUND},
    summary="Replace a participant's ranked workshop choices",
    operation_id="organiser_registration_preferences_set",
)
def registration_preferences_set(
    request: HttpRequest, slug: str, payload: PreferencesIn, registration_id: int = Id
) -> Any:
    current = _registration(_edition(request, slug), registration_id)
    try:
        registration_services.registration_set_preferences(
            registration=current, topic_ids=payload.topic_ids
        )
    except ValidationError as error:
        return _errors(error)
    return _preferences(Preference.objects.filter(registration=current))


@router.get(
    "/editions/{slug}/preferences",
    response={200: list[PreferenceOut], **NOT_FOUND},
    summary="Every participant's ranked workshop choices",
    operation_id="organiser_preferences",
)
@paginate(Pages)
def preferences(request: HttpRequest, slug: str) -> Any:
    return _preferences(Preference.objects.filter(registration__edition=_edition(request, slug)))


# Assignment runs and their seats ------------------------------------------------------------


def _run_out(run: AssignmentRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "status": run.status,
        "progress": run.progress,
        "participant_count": run.participant_count,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
        "published_at": run.published_at,
        "objective": run.objective,
        "lower_bound": run.lower_bound,
    }


def _run_detail(run: AssignmentRun) -> dict[str, Any]:
    metrics: RunMetrics | None = None
    if run.status == "done":
        report = allocation_selectors.run_report(run=run)
        metrics = RunMetrics(
            participants=report.participants,
            seats_given=report.seats_given,
            participant_rounds=report.participant_rounds,
            first_choice=report.first_choice,
            with_preferences=report.with_preferences,
            first_choice_percent=round(report.first_choice_percent, 1),
            worst_rank=report.worst_rank,
            gap_percent=report.gap_percent,
            moved=report.moved,
            ranks=[
                RankCount(label=r.label, count=r.count, percent=r.percent) for r in report.ranks
            ],
        )
    return {
        **_run_out(run),
        "problems": allocation_selectors.run_problems(run=run) if run.status == "failed" else [],
        "error": run.error,
        "metrics": metrics,
    }


@router.get(
    "/editions/{slug}/runs",
    response={200: list[RunOut], **NOT_FOUND},
    summary="The assignment runs, newest first",
    operation_id="organiser_runs",
)
@paginate(Pages)
def runs(request: HttpRequest, slug: str) -> Any:
    return [
        _run_out(run)
        for run in allocation_selectors.runs_for_edition(edition=_edition(request, slug))
    ]


@router.post(
    "/editions/{slug}/runs",
    response={201: RunDetailOut, 409: Message, 422: Errors, **NOT_FOUND},
    summary="Start an assignment run",
    description=(
        "Builds the input from the edition as it stands and solves it: at once for small "
        "editions (the answer is done or failed), in the worker for large ones (poll the run). "
        "409 while another run is under way."
    ),
    operation_id="organiser_run_start",
)
def run_start(request: HttpRequest, slug: str, payload: RunIn) -> Any:
    edition = _edition(request, slug)
    try:
        run = allocation_services.assignment_run_start(
            edition=edition,
            by=_user(request),
            time_limit=payload.time_limit,
            seed=payload.seed,
            max_organisation_share=payload.max_organisation_share,
            background=payload.background,
        )
    except ValidationError as error:
        return Status(409, {"message": " ".join(error.messages)})
    return Status(201, _run_detail(run))


@router.get(
    "/editions/{slug}/runs/{run_id}",
    response={200: RunDetailOut, **NOT_FOUND},
    summary="A run: its status, progress and figures",
    operation_id="organiser_run",
)
def run(request: HttpRequest, slug: str, run_id: int = Id) -> Any:
    return _run_detail(_run(_edition(request, slug), run_id))


def _assignments(run: AssignmentRun) -> list[dict[str, Any]]:
    rows = (
        Assignment.objects.filter(run=run)
        .select_related("registration__organisation", "block", "session__topic", "session__room")
        .order_by("registration__name", "registration_id", "block__start")
    )
    return [
        {
            "registration_id": a.registration_id,
            "name": a.registration.name,
            "organisation": a.registration.organisation.name,
            "block_id": a.block_id,
            "round": str(a.block),
            "session_id": a.session_id,
            "session": a.session.topic.title,
            "room": a.session.room.name,
            "rank": a.rank,
        }
        for a in rows
    ]


@router.get(
    "/editions/{slug}/runs/{run_id}/assignments",
    response={200: list[AssignmentOut], **NOT_FOUND},
    summary="The seats a run gives",
    operation_id="organiser_run_assignments",
)
@paginate(Pages)
def run_assignments(request: HttpRequest, slug: str, run_id: int = Id) -> Any:
    return _assignments(_run(_edition(request, slug), run_id))


@router.get(
    "/editions/{slug}/assignments",
    response={200: list[AssignmentOut], **NOT_FOUND},
    summary="The published seats: what participants see",
    operation_id="organiser_assignments",
)
@paginate(Pages)
def assignments(request: HttpRequest, slug: str) -> Any:
    edition = _edition(request, slug)
    published = allocation_selectors.published_run(edition=edition)
    if published is None:
        raise Missing(_("Nothing of %(edition)s is published yet.") % {"edition": edition.title})
    return _assignments(published)


# The day: check-ins and re-offers ---------------------------------------------------------


@router.post(
    "/editions/{slug}/checkins",
    response={200: CheckInOut, 422: Errors, **NOT_FOUND},
    summary="Check a registration in at a door",
    description=(
        "As the door page does: the answer says whether they came in now (welcome), before "
        "(already), or why not. The same nonce again changes nothing (repeated)."
    ),
    operation_id="organiser_checkin",
)
def checkin(request: HttpRequest, slug: str, payload: CheckInIn) -> Any:
    edition = _edition(request, slug)
    registration = Registration.objects.filter(edition=edition, pk=payload.registration_id).first()
    if registration is None:
        raise Missing(
            _("This edition has no registration %(id)s.") % {"id": payload.registration_id}
        )
    try:
        result = checkin_services.checkin_registration(
            edition=edition,
            registration=registration,
            door=payload.door,
            nonce=payload.nonce,
            by=_user(request),
        )
    except ValidationError as error:
        return _errors(error)
    return {
        "outcome": str(result.outcome),
        "ok": result.ok,
        "message": result.message,
        "note": result.note,
        "registration_id": registration.pk,
        "checked_in_at": result.check_in.at if result.check_in is not None else None,
    }


def _reoffer_out(
    reoffer: Reoffer, *, dry_run: bool, message: str = "", mailed: int = 0
) -> dict[str, Any]:
    figures = reoffer.figures or {}
    empty_total = dict.fromkeys(
        ("freed", "refilled", "upgrades", "ranks_gained", "walk_ins", "empty"), 0
    )
    return {
        "id": reoffer.pk,
        "before_round": reoffer.round_number,
        "dry_run": dry_run,
        "status": reoffer.status,
        "message": message or reoffer.message,
        "run_id": reoffer.run_id,
        "moved": len({move["registration"] for move in reoffer.moves}),
        "worse_off": figures.get("worse_off", 0),
        "kept_in_place": reoffer.kept_in_place,
        "mailed": mailed,
        "seconds": round(reoffer.seconds, 3),
        "rounds": [
            {**row, "round": allocation_adapter.pk_of(row["round"])}
            for row in figures.get("rounds", [])
        ],
        "total": figures.get("total") or empty_total,
    }


@router.post(
    "/editions/{slug}/reoffers",
    response={200: ReofferOut, 201: ReofferOut, 409: ReofferOut, 422: Errors, **NOT_FOUND},
    summary="Re-offer the seats of those not there, from a workshop round on",
    description=(
        "Participants not checked in at the door lose their seats from round `before_round` "
        "(counted from 1) on; those there who want a better seat, and walk-ins who ranked "
        "workshops, get them, nobody worse off. `dry_run`: only the figures (200). Otherwise "
        "the new seats are published at once and everyone who moves is mailed (201, with "
        "`run_id`; GET .../assignments shows them). 409 when nothing was published (no "
        "answer in time, or the published seats changed meanwhile)."
    ),
    operation_id="organiser_reoffer",
)
def reoffer(request: HttpRequest, slug: str, payload: ReofferIn) -> Any:
    edition = _edition(request, slug)
    try:
        preview = allocation_services.reoffer_preview(
            edition=edition, before_round=payload.before_round, by=_user(request)
        )
    except ValidationError as error:
        return _errors(error)
    if preview.status != "preview":
        return Status(409, _reoffer_out(preview, dry_run=payload.dry_run))
    if payload.dry_run:
        return _reoffer_out(preview, dry_run=True)
    outcome = allocation_services.reoffer_confirm(preview=preview, by=_user(request))
    body = _reoffer_out(
        outcome.reoffer, dry_run=False, message=outcome.message, mailed=outcome.mailed
    )
    return Status(201 if outcome.published else 409, body)


# Spreadsheets -------------------------------------------------------------------------------


class ExportQuery(Schema):
    run: int | None = Field(None, ge=1, le=MAX_ID, description="assignments: this run's seats")


@router.get(
    "/editions/{slug}/exports/{identifier}",
    response={200: bytes, **NOT_FOUND},
    summary="A spreadsheet: programme, participants or assignments, as .csv or .xlsx",
    description="identifier is programme.xlsx, programme.excel.csv, programme.csv, and the "
    "same for participants and assignments (the published run, or ?run=); .excel.csv is CSV "
    "for Excel: semicolons, decimal commas and a UTF-8 byte-order mark.",
    operation_id="organiser_export",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                        "schema": {"type": "string", "format": "binary"}
                    },
                },
            }
        }
    },
)
def export(request: HttpRequest, slug: str, identifier: str, query: Query[ExportQuery]) -> Any:
    edition = _edition(request, slug)
    exporter = table_exporter_get(identifier)
    if exporter is None:
        raise Missing(_("There is no export %(identifier)s.") % {"identifier": identifier})
    run = _run(edition, query.run) if exporter.of_a_run and query.run else None
    try:
        return table_response(exporter, edition, run=run)
    except NothingToExport as nothing:
        raise Missing(str(nothing)) from nothing


def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
    from .api import api

    return api.create_response(request, {"message": exc.message}, status=404)

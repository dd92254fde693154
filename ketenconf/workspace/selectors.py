"""What the dashboard of an edition shows: figures, where each part stands, what to do next.

Every figure comes from an aggregate, so the dashboard costs the same number of queries for
60 registrations as for 600.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ketenconf.allocation.models import AssignmentRun, RunStatus
from ketenconf.checkin.models import BadgeBatch, CheckIn, CheckInKind
from ketenconf.evaluation.models import Response, Survey
from ketenconf.events.models import Edition, EditionStatus, OrganisationKind
from ketenconf.market.models import Stand, StandStatus
from ketenconf.networking.models import ACTIVE_MEETING, Meeting, NetworkingProfile
from ketenconf.programme.models import Session
from ketenconf.proposals.models import Call, Proposal, ProposalStatus
from ketenconf.registration.models import Preference, Registration, RegistrationStatus


@dataclass(frozen=True)
class Registrations:
    registered: int
    unconfirmed: int  # registered, email not confirmed yet
    waitlisted: int
    cancelled: int  # cancelled by themselves or released unconfirmed
    ranked: int  # registered people who ranked the workshops


@dataclass(frozen=True)
class Day:
    day: date
    new: int
    total: int


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class Parts:
    call: Call | None
    proposals_submitted: int
    proposals_accepted: int
    sessions: int
    latest_run: AssignmentRun | None
    published_run: AssignmentRun | None
    stands_applied: int
    stands_accepted: int
    networking_profiles: int
    meetings: int
    badge_batches: int
    last_batch: BadgeBatch | None
    checked_in: int
    survey: Survey | None
    survey_responses: int


@dataclass(frozen=True)
class Dashboard:
    edition: Edition
    registrations: Registrations
    days: list[Day]
    kinds: list[KindCount]
    parts: Parts


def _registrations(edition: Edition) -> Registrations:
    ranked = Preference.objects.filter(registration=OuterRef("pk"))
    figures = (
        Registration.objects.filter(edition=edition)
        .annotate(has_ranked=Exists(ranked))
        .aggregate(
            registered=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED)),
            unconfirmed=Count(
                "pk", filter=Q(status=RegistrationStatus.REGISTERED, confirmed_at__isnull=True)
            ),
            waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
            cancelled=Count(
                "pk",
                filter=Q(status__in=[RegistrationStatus.CANCELLED, RegistrationStatus.RELEASED]),
            ),
            ranked=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED, has_ranked=True)),
        )
    )
    return Registrations(**figures)


def _days(edition: Edition) -> list[Day]:
    """New registrations per day (in the site's time zone), with the running total."""
    rows = (
        Registration.objects.filter(edition=edition)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(new=Count("pk"))
        .order_by("day")
    )
    days, total = [], 0
    for row in rows:
        total += row["new"]
        days.append(Day(day=row["day"], new=row["new"], total=total))
    return days


def _kinds(edition: Edition) -> list[KindCount]:
    rows = (
        Registration.objects.filter(edition=edition, status=RegistrationStatus.REGISTERED)
        .values("organisation__kind")
        .annotate(count=Count("pk"))
        .order_by("-count", "organisation__kind")
    )
    labels = dict(OrganisationKind.choices)
    return [
        KindCount(
            kind=row["organisation__kind"] or "",
            label=str(labels.get(row["organisation__kind"], "—")),
            count=row["count"],
        )
        for row in rows
    ]


def _parts(edition: Edition) -> Parts:
    call = Call.objects.filter(edition=edition).first()
    proposals = Proposal.objects.filter(call__edition=edition).aggregate(
        submitted=Count("pk", filter=Q(status=ProposalStatus.SUBMITTED)),
        accepted=Count("pk", filter=Q(status=ProposalStatus.ACCEPTED)),
    )
    runs = AssignmentRun.objects.filter(edition=edition).defer("problem", "result")
    latest_run = runs.exclude(status=RunStatus.FAILED).order_by("-pk").first()
    published_run = runs.filter(published_at__isnull=False).order_by("-published_at", "-pk").first()
    stands = Stand.objects.filter(edition=edition).aggregate(
        applied=Count("pk", filter=Q(status=StandStatus.APPLIED)),
        accepted=Count("pk", filter=Q(status=StandStatus.ACCEPTED)),
    )
    batches = list(BadgeBatch.objects.filter(edition=edition).order_by("-pk")[:1])
    survey = Survey.objects.filter(edition=edition).first()
    return Parts(
        call=call,
        proposals_submitted=proposals["submitted"],
        proposals_accepted=proposals["accepted"],
        sessions=Session.objects.filter(block__edition=edition).count(),
        latest_run=latest_run,
        published_run=published_run,
        stands_applied=stands["applied"],
        stands_accepted=stands["accepted"],
        networking_profiles=NetworkingProfile.objects.filter(registration__edition=edition).count(),
        meetings=Meeting.objects.filter(ACTIVE_MEETING, edition=edition).count(),
        badge_batches=BadgeBatch.objects.filter(edition=edition).count(),
        last_batch=batches[0] if batches else None,
        checked_in=CheckIn.objects.filter(edition=edition, kind=CheckInKind.ENTRY).count(),
        survey=survey,
        survey_responses=Response.objects.filter(survey__edition=edition).count(),
    )


def edition_dashboard(*, edition: Edition) -> Dashboard:
    return Dashboard(
        edition=edition,
        registrations=_registrations(edition),
        days=_days(edition),
        kinds=_kinds(edition),
        parts=_parts(edition),
    )


@dataclass(frozen=True)
class NextStep:
    text: str
    part: str  # the workspace part where it is done


def next_steps(*, dashboard: Dashboard, now: datetime) -> list[NextStep]:
    """What the organisers should do next, most pressing first, as plain sentences."""
    edition, parts, regs = dashboard.edition, dashboard.parts, dashboard.registrations
    today = timezone.localdate(now)
    steps: list[NextStep] = []
    if edition.status == EditionStatus.DRAFT:
        steps.append(NextStep(_("The edition is a draft: publish it in its settings."), "settings"))
    call = parts.call
    if call is not None and call.open and call.deadline and call.deadline < now:
        days = (today - timezone.localdate(call.deadline)).days
        steps.append(
            NextStep(
                ngettext(
                    "The call for sessions closed %(days)d day ago: close it and decide.",
                    "The call for sessions closed %(days)d days ago: close it and decide.",
                    days,
                )
                % {"days": days},
                "proposals",
            )
        )
    if parts.proposals_submitted:
        steps.append(
            NextStep(
                ngettext(
                    "%(count)d proposal waits for a decision.",
                    "%(count)d proposals wait for a decision.",
                    parts.proposals_submitted,
                )
                % {"count": parts.proposals_submitted},
                "proposals",
            )
        )
    before_the_day = today < edition.start_date
    registration_closed = edition.status in (
        EditionStatus.REGISTRATION_CLOSED,
        EditionStatus.FINISHED,
        EditionStatus.ARCHIVED,
    )
    run, published = parts.latest_run, parts.published_run
    ranking_closed = edition.ranking_closes_at is not None and edition.ranking_closes_at <= now
    if regs.ranked and published is None:
        if run is None:
            if ranking_closed:
                assert edition.ranking_closes_at is not None
                days = (today - timezone.localdate(edition.ranking_closes_at)).days
                steps.append(
                    NextStep(
                        _("Ranking closed today: run the assignment.")
                        if days == 0
                        else ngettext(
                            "Ranking closed %(days)d day ago: run the assignment.",
                            "Ranking closed %(days)d days ago: run the assignment.",
                            days,
                        )
                        % {"days": days},
                        "assignment",
                    )
                )
            elif registration_closed:
                steps.append(
                    NextStep(
                        _("Registration has closed: run the workshop assignment."),
                        "assignment",
                    )
                )
            else:
                steps.append(
                    NextStep(
                        _(
                            "%(ranked)d of %(registered)d participants have ranked the "
                            "workshops; run the assignment once registration closes."
                        )
                        % {"ranked": regs.ranked, "registered": regs.registered},
                        "assignment",
                    )
                )
        elif run.status == RunStatus.DONE:
            steps.append(
                NextStep(
                    _("Assignment %(run)d is ready: check it and publish it.")
                    % {"run": run.number},
                    "assignment",
                )
            )
    if (
        published is not None
        and run is not None
        and run.pk != published.pk
        and run.status == RunStatus.DONE
    ):
        steps.append(
            NextStep(
                _("Assignment %(run)d is newer than the published one: publish it or leave it.")
                % {"run": run.number},
                "assignment",
            )
        )
    if parts.stands_applied:
        steps.append(
            NextStep(
                ngettext(
                    "%(count)d stand application waits for a decision.",
                    "%(count)d stand applications wait for a decision.",
                    parts.stands_applied,
                )
                % {"count": parts.stands_applied},
                "market",
            )
        )
    days_to_go = (edition.start_date - today).days
    if before_the_day and days_to_go <= 14 and regs.registered and parts.badge_batches == 0:
        steps.append(
            NextStep(
                ngettext(
                    "The edition starts in %(days)d day: print the badges.",
                    "The edition starts in %(days)d days: print the badges.",
                    days_to_go,
                )
                % {"days": days_to_go},
                "badges",
            )
        )
    after_the_day = today > edition.end_date
    if (
        after_the_day
        and parts.checked_in
        and (parts.survey is None or parts.survey.invitations_sent_at is None)
    ):
        steps.append(
            NextStep(_("The edition is over: send the survey to those who came."), "report")
        )
    if after_the_day and parts.survey_responses:
        steps.append(
            NextStep(
                ngettext(
                    "%(count)d response to the survey: read the report.",
                    "%(count)d responses to the survey: read the report.",
                    parts.survey_responses,
                )
                % {"count": parts.survey_responses},
                "report",
            )
        )
    return steps


@dataclass(frozen=True)
class PartState:
    part: str
    label: str
    state: str


def part_states(*, dashboard: Dashboard, now: datetime) -> list[PartState]:
    """Where each part of the edition stands, one sentence each."""
    edition, parts, regs = dashboard.edition, dashboard.parts, dashboard.registrations
    states: list[PartState] = []
    call = parts.call
    if call is None:
        call_state = _("No call for sessions.")
    elif call.open:
        call_state = _("Open; %(submitted)d to decide, %(accepted)d accepted.") % {
            "submitted": parts.proposals_submitted,
            "accepted": parts.proposals_accepted,
        }
    else:
        call_state = _("Closed; %(submitted)d to decide, %(accepted)d accepted.") % {
            "submitted": parts.proposals_submitted,
            "accepted": parts.proposals_accepted,
        }
    states.append(PartState("proposals", _("Call for sessions"), call_state))
    if edition.status == EditionStatus.DRAFT:
        programme = _("Not published (draft); %(sessions)d sessions.") % {
            "sessions": parts.sessions
        }
    else:
        programme = _("Published; %(sessions)d sessions.") % {"sessions": parts.sessions}
    states.append(PartState("programme", _("Programme"), programme))
    ranked = _("%(ranked)d of %(registered)d registered participants have ranked.") % {
        "ranked": regs.ranked,
        "registered": regs.registered,
    }
    if edition.ranking_is_open(now):
        window = _("Open.")
    elif edition.ranking_closes_at is not None and edition.ranking_closes_at <= now:
        window = _("Closed since %(day)s.") % {
            "day": date_format(timezone.localtime(edition.ranking_closes_at), "j F Y")
        }
    else:
        assert edition.ranking_opens_at is not None
        window = _("Opens on %(day)s.") % {
            "day": date_format(timezone.localtime(edition.ranking_opens_at), "j F Y")
        }
    states.append(PartState("settings", _("Ranking of workshops"), f"{window} {ranked}"))
    run, published = parts.latest_run, parts.published_run
    if published is not None:
        assignment = _("Assignment %(run)d published on %(day)s.") % {
            "run": published.number,
            "day": date_format(timezone.localtime(published.published_at), "j F Y"),
        }
    elif run is not None:
        assignment = _("Assignment %(run)d: %(status)s, not published.") % {
            "run": run.number,
            "status": run.get_status_display(),
        }
    else:
        assignment = _("Not run yet.")
    states.append(PartState("assignment", _("Workshop assignment"), assignment))
    states.append(
        PartState(
            "market",
            _("Information market"),
            _("%(applied)d applications to decide, %(accepted)d stands accepted.")
            % {"applied": parts.stands_applied, "accepted": parts.stands_accepted},
        )
    )
    states.append(
        PartState(
            "networking",
            _("Networking"),
            _("%(profiles)d participants take part; %(meetings)d meetings planned.")
            % {"profiles": parts.networking_profiles, "meetings": parts.meetings},
        )
    )
    batch = parts.last_batch
    states.append(
        PartState(
            "badges",
            _("Badges"),
            _("No badges made yet.")
            if batch is None
            else _("%(count)d batches; the last is %(status)s.")
            % {"count": parts.badge_batches, "status": batch.get_status_display()},
        )
    )
    states.append(
        PartState(
            "checkin",
            _("Check-in"),
            _("%(count)d of %(registered)d participants checked in.")
            % {"count": parts.checked_in, "registered": regs.registered},
        )
    )
    survey = parts.survey
    if survey is None:
        survey_state = _("No survey.")
    elif survey.invitations_sent_at is None:
        survey_state = _("Not sent yet; %(count)d responses.") % {"count": parts.survey_responses}
    else:
        survey_state = _("Sent on %(day)s; %(count)d responses.") % {
            "day": date_format(timezone.localtime(survey.invitations_sent_at), "j F Y"),
            "count": parts.survey_responses,
        }
    states.append(PartState("report", _("Survey and report"), survey_state))
    return states

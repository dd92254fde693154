"""Every write on a survey: inviting the participants, and taking one participant's answers.

Anonymity (see the models' docstring): the ``Response`` and its ``Answer`` rows carry no link to
the person, only the kind of organisation and the day. That someone answered is recorded on
their ``SurveyInvitation`` as the start of the day, not the moment, so the order in which
people answered cannot be matched against the order of the anonymous rows written that day.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ketenconf.accounts.models import Actor, actor_user
from ketenconf.core.validators import validate_multiline_text
from ketenconf.events.models import Edition
from ketenconf.mail.services import mail_enqueue
from ketenconf.registration.links import access_link_url
from ketenconf.registration.models import Registration

from . import selectors
from .attendance import sessions_attended
from .models import (
    RATING_MAX,
    Answer,
    Question,
    QuestionKind,
    Quote,
    ReportPdf,
    ReportPdfStatus,
    Response,
    Survey,
    SurveyInvitation,
)
from .selectors import SurveyState

#: The longest free-text answer, in characters.
TEXT_MAX_LENGTH = 2000

#: What a participant sends: per question id, a rating (1..5), a choice (its stored value), a
#: text, or for a session rating a mapping of session id to rating. Values may be strings as
#: they come from a form; a missing question or an empty value is no answer.
Answers = Mapping[int, object]


class SurveyUnavailable(Exception):
    """The participant cannot answer now; ``state`` says why, ``str()`` says it to them."""

    def __init__(self, state: SurveyState, message: str) -> None:
        super().__init__(message)
        self.state = state


def answer_field(question_id: int, session_id: int | None = None) -> str:
    """The name under which an answer is sent and its problems are reported."""
    if session_id is None:
        return f"q{question_id}"
    return f"q{question_id}-s{session_id}"


def _start_of_day(now: dt.datetime) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time()))


# --- Invitations ----------------------------------------------------------------------------


def survey_send_invitations(*, survey: Survey, now: dt.datetime | None = None) -> int:
    """Invite every attendee not invited yet: an invitation row and a mail with a fresh personal
    link each, in their own language. Returns how many were invited; running it again invites
    only attendees added since. Raises ``ValidationError`` before the edition is over, for a
    survey without questions and after it closed; nothing changes then.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        # The lock serialises two organisers pressing the button at once.
        survey = Survey.objects.select_for_update().select_related("edition").get(pk=survey.pk)
        edition = survey.edition
        if today <= edition.end_date:
            raise ValidationError(
                _("Invitations can go out after the last day of the edition, from %(date)s.")
                % {"date": date_format(edition.end_date + dt.timedelta(days=1))}
            )
        if not survey.questions.exists():
            raise ValidationError(_("Add at least one question before inviting anyone."))
        if survey.closes_on is not None and survey.closes_on < today:
            raise ValidationError(
                _("The survey closed on %(date)s; move its closing day to invite people.")
                % {"date": date_format(survey.closes_on)}
            )
        invitees = list(
            selectors.survey_invitees(survey=survey).select_related("edition").order_by("pk")
        )
        # A participant may answer uninvited at this very moment and get a row first: theirs
        # stays, and only the rows written here (invited_at == now) get a mail.
        SurveyInvitation.objects.bulk_create(
            [SurveyInvitation(survey=survey, registration=r, invited_at=now) for r in invitees],
            ignore_conflicts=True,
        )
        mine = set(
            SurveyInvitation.objects.filter(
                survey=survey, registration__in=[r.pk for r in invitees], invited_at=now
            ).values_list("registration_id", flat=True)
        )
        for registration in invitees:
            if registration.pk in mine:
                _mail_invitation(survey, registration)
        if survey.invitations_sent_at is None:
            survey.invitations_sent_at = now
            survey.save(update_fields=["invitations_sent_at"])
    return len(mine)


def _mail_invitation(survey: Survey, registration: Registration) -> None:
    mail_enqueue(
        to=registration.email,
        template="evaluation/mail/invitation",
        context={
            "registration": registration,
            "edition": registration.edition,
            "survey": survey,
            "link": access_link_url(registration=registration),
        },
        language=registration.language,
        edition=registration.edition,
    )


# --- Answers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Valid:
    question: Question
    session_id: int | None = None
    rating: int | None = None
    choice: str = ""
    text: str = ""


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _rating(value: object) -> int:
    """A rating from 1 to RATING_MAX; raises ``ValueError`` for anything else."""
    if isinstance(value, bool):
        raise ValueError(value)
    number = value if isinstance(value, int) else int(str(value).strip())
    if not 1 <= number <= RATING_MAX:
        raise ValueError(value)
    return number


def _text(value: object) -> str:
    """A free text: line breaks kept (as \\n), other control characters refused."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    validate_multiline_text(text)
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("Keep your answer to %(max)s characters; it has %(count)s.")
            % {"max": TEXT_MAX_LENGTH, "count": len(text)}
        )
    return text


def _validate(
    questions: list[Question], answers: Answers, attended: frozenset[int]
) -> list[_Valid]:
    """Check every answer against its question; collect every problem, per field."""
    errors: dict[str, list[str]] = {}
    valid: list[_Valid] = []
    rating_problem = _("Choose a rating from 1 to %(max)s.") % {"max": RATING_MAX}
    known = {question.pk for question in questions}
    if any(key not in known for key in answers):
        errors[NON_FIELD_ERRORS] = [_("An answer was sent for a question not in this survey.")]
    for question in questions:
        field = answer_field(question.pk)
        value = answers.get(question.pk)
        if question.kind == QuestionKind.SESSION_RATING:
            try:
                ratings = (
                    {int(str(k)): v for k, v in value.items()} if isinstance(value, Mapping) else {}
                )
            except ValueError:
                ratings = {0: None}
            if any(session_id not in attended for session_id in ratings):
                errors[field] = [_("You can only rate the sessions you attended.")]
                continue
            for session_id in sorted(attended):
                session_field = answer_field(question.pk, session_id)
                raw = ratings.get(session_id)
                if _empty(raw):
                    if question.required:
                        errors[session_field] = [_("Rate this session.")]
                    continue
                try:
                    valid.append(_Valid(question, session_id=session_id, rating=_rating(raw)))
                except ValueError:
                    errors[session_field] = [rating_problem]
            continue
        if _empty(value):
            if question.required:
                errors[field] = [_("Answer this question.")]
            continue
        if question.kind == QuestionKind.RATING:
            try:
                valid.append(_Valid(question, rating=_rating(value)))
            except ValueError:
                errors[field] = [rating_problem]
        elif question.kind == QuestionKind.CHOICE:
            choice = str(value).strip()
            if choice not in selectors.choice_values(question):
                errors[field] = [_("Choose one of the options given.")]
            else:
                valid.append(_Valid(question, choice=choice))
        else:
            try:
                valid.append(_Valid(question, text=_text(value)))
            except ValidationError as error:
                errors[field] = error.messages
    if not errors and not valid:
        errors[NON_FIELD_ERRORS] = [_("Answer at least one question.")]
    if errors:
        raise ValidationError(errors)
    return valid


def _claim(survey: Survey, registration: Registration, now: dt.datetime) -> None:
    """Mark the participant as having answered, once: the conditional UPDATE lets exactly one
    of two simultaneous submits through; the other raises ``SurveyUnavailable``."""
    invitation = SurveyInvitation.objects.filter(survey=survey, registration=registration).first()
    if invitation is None:
        try:
            with transaction.atomic():
                invitation = SurveyInvitation.objects.create(
                    survey=survey, registration=registration
                )
        except IntegrityError:
            invitation = SurveyInvitation.objects.get(survey=survey, registration=registration)
    claimed = SurveyInvitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(
        answered_at=_start_of_day(now)
    )
    if claimed != 1:
        raise SurveyUnavailable(SurveyState.ANSWERED, _unavailable_message(SurveyState.ANSWERED))


def _unavailable_message(state: SurveyState) -> str:
    return {
        SurveyState.ANSWERED: _("You have answered this survey already. Thank you!"),
        SurveyState.CLOSED: _("This survey is not open for answers."),
        SurveyState.NOT_INVITED: _("This survey is for the participants of the edition."),
        SurveyState.OPEN: "",
    }[state]


def survey_submit(
    *,
    survey: Survey,
    registration: Registration,
    answers: Answers,
    quote_consent: bool,
    now: dt.datetime | None = None,
) -> Response:
    """Take one participant's answers, once.

    The answers are stored in an anonymous ``Response`` (kind of organisation, day); the
    participant's invitation records that they answered (a row is made for a registered
    participant who was not invited). Answers to quotable questions also become a ``Quote``
    under their name when ``quote_consent`` is true. Raises ``ValidationError`` with messages
    per field (see ``answer_field``) on bad input and ``SurveyUnavailable`` when this
    participant cannot answer; nothing is written then.
    """
    now = now or timezone.now()
    # As it stands now: the caller's copy may be from before the invitations or a new closing day.
    survey = Survey.objects.select_related("edition").get(pk=survey.pk)
    state = selectors.survey_state(
        survey=survey, registration=registration, today=timezone.localdate(now)
    )
    if state != SurveyState.OPEN:
        raise SurveyUnavailable(state, _unavailable_message(state))
    questions = selectors.survey_questions(survey=survey)
    attended = sessions_attended(edition=survey.edition, registration_id=registration.pk)
    valid = _validate(questions, answers, attended)
    with transaction.atomic():
        _claim(survey, registration, now)
        response = Response.objects.create(
            survey=survey,
            organisation_kind=registration.organisation.kind,
            submitted_on=timezone.localdate(now),
        )
        Answer.objects.bulk_create(
            [
                Answer(
                    response=response,
                    question=item.question,
                    session_id=item.session_id,
                    rating=item.rating,
                    choice=item.choice,
                    text=item.text,
                )
                for item in valid
            ]
        )
        if quote_consent:
            Quote.objects.bulk_create(
                [
                    Quote(
                        survey=survey,
                        question=item.question,
                        registration=registration,
                        text=item.text,
                    )
                    for item in valid
                    if item.question.quotable
                    and item.question.kind == QuestionKind.TEXT
                    and item.text
                ]
            )
    return response


# --- Organisers -----------------------------------------------------------------------------


def quote_set_shown(*, quote: Quote, shown: bool) -> None:
    """Organisers leave a quote out of the report, or put it back."""
    Quote.objects.filter(pk=quote.pk).update(shown=shown)


# --- The report as PDF, made by the worker ------------------------------------------------


def report_pdf_start(*, edition: Edition, language: str, by: Actor) -> ReportPdf:
    """Queue the report of the edition as a PDF in ``language``; the worker makes it."""
    from . import tasks

    with transaction.atomic():
        report = ReportPdf.objects.create(
            edition=edition, language=language, created_by=actor_user(by)
        )
        transaction.on_commit(partial(tasks.make_report_pdf.enqueue, report.pk), robust=True)
    return report


def report_pdf_path(*, report: ReportPdf) -> Path:
    return Path(settings.VAR_DIR) / "reports" / f"{report.edition.slug}-{report.pk}.pdf"


def report_pdf_execute(*, report_id: int) -> str:
    """Make the PDF, writing each step to its row as it begins (the page polls it).

    Runs in the worker, outside a transaction: every step commits at once."""
    from .report import edition_report
    from .report_files import report_pdf

    report = ReportPdf.objects.select_related("edition").get(pk=report_id)
    if report.is_finished:
        return report.status
    began = time.perf_counter()
    rows = ReportPdf.objects.filter(pk=report.pk)
    try:
        with translation.override(report.language):
            rows.update(status=ReportPdfStatus.FIGURES)
            figures = edition_report(edition=report.edition)
            rows.update(status=ReportPdfStatus.LAYOUT)
            content = report_pdf(figures)
        target = report_pdf_path(report=report)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial_file = target.with_suffix(".part")
        partial_file.write_bytes(content)
        partial_file.replace(target)
    except Exception as error:
        rows.update(status=ReportPdfStatus.FAILED, error=repr(error), finished_at=timezone.now())
        raise
    rows.update(
        status=ReportPdfStatus.DONE,
        file=str(target),
        seconds=time.perf_counter() - began,
        finished_at=timezone.now(),
    )
    return ReportPdfStatus.DONE

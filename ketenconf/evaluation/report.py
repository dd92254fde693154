"""The conference report of an edition, computed from the database into plain dataclasses.

What is counted, and how:

- **registered**: registrations holding a seat (status "registered") at the time of the report;
  **attended**: those of them checked in at an entrance; **no-shows**: registered, never checked
  in, only once the edition has any entrance check-in (before that, nobody is a no-show yet).
- **by link of the chain**: an organisation may work on several links; a participant counts once
  under every link of their organisation, so the rows add up to more than the total; an
  organisation without links counts under "no link given".
- **workshops**: the sessions of the round blocks. Who was present comes from
  :func:`~ketenconf.evaluation.attendance.edition_attendance` (room check-ins, else the
  published seats of those who came in); preference satisfaction from the published run
  (:func:`~ketenconf.allocation.selectors.run_report`).
- **ratings**: a mean or distribution of fewer than :data:`MIN_ANSWERS` answers is not shown
  (only the count), so nobody's answer can be told from the figure. Free-text answers are never
  shown verbatim, only counted; only quotes participants agreed to, and organisers kept shown.
- **who met whom**: two organisations met when people of both sat in the same workshop session
  or had an accepted networking meeting; a pair of organisations counts once however often they
  met. People of the same organisation do not make a pair. Kinds of organisation are counted
  in pairs of organisations, so the kind × kind matrix adds up to the number of pairs.

Queries: a fixed number for the edition (14, whatever its size), and as many again for each
earlier edition of the series in the comparison.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import combinations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ketenconf.allocation.selectors import (
    DayRound,
    RankRow,
    day_rounds,
    published_run,
    reoffers_published,
    run_report,
)
from ketenconf.checkin.models import CheckIn, CheckInKind
from ketenconf.events.models import ChainLink, Edition, OrganisationKind
from ketenconf.programme.models import BlockKind, Session
from ketenconf.questions.selectors import QuestionReport, questions_report
from ketenconf.registration.models import Registration, RegistrationStatus

from .attendance import Attendance, edition_attendance, meeting_pairs
from .models import RATING_MAX, Answer, QuestionKind, Quote, Response, Survey
from .selectors import choice_options

#: A mean or distribution of fewer answers than this is not shown.
MIN_ANSWERS = 3
#: Organisation pairs listed as those that met most often.
TOP_PAIRS = 30  # the table of the pairs that met most often, and their picture
#: The key of the row of organisations that named no link of the chain.
NO_LINK = "none"


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# Participation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Organisation:
    pk: int
    name: str
    kind: str
    chain_links: tuple[str, ...]

    def __str__(self) -> str:
        """Its name (the short one where it has one), as labels and descriptions print it."""
        return self.name


@dataclass(frozen=True)
class Person:
    """A registration as the report needs it: nothing personal."""

    pk: int
    status: str
    organisation_id: int
    entered: bool


@dataclass(frozen=True)
class People:
    people: dict[int, Person]
    organisations: dict[int, Organisation]

    @property
    def checked_in(self) -> bool:
        return any(person.entered for person in self.people.values())


def _people(*, edition: Edition) -> People:
    """Every registration of the edition with its organisation and entrance check-in. One query."""
    entered = CheckIn.objects.filter(registration=OuterRef("pk"), kind=CheckInKind.ENTRY)
    rows = (
        Registration.objects.filter(edition=edition)
        .annotate(entered=Exists(entered))
        .values_list(
            "pk",
            "status",
            "entered",
            "organisation_id",
            "organisation__name",
            "organisation__short_name",
            "organisation__kind",
            "organisation__chain_links",
        )
    )
    people: dict[int, Person] = {}
    organisations: dict[int, Organisation] = {}
    for pk, status, came, org_id, name, short_name, kind, links in rows:
        people[pk] = Person(pk=pk, status=status, organisation_id=org_id, entered=came)
        if org_id not in organisations:
            organisations[org_id] = Organisation(
                pk=org_id, name=short_name or name, kind=kind, chain_links=tuple(links or ())
            )
    return People(people=people, organisations=organisations)


@dataclass(frozen=True)
class GroupRow:
    key: str
    label: str
    registered: int
    attended: int
    #: None before the edition has entrance check-ins.
    no_shows: int | None

    @property
    def no_show_percent(self) -> float | None:
        return None if self.no_shows is None else percent(self.no_shows, self.registered)


@dataclass(frozen=True)
class Participation:
    checked_in: bool
    registered: int
    attended: int
    no_shows: int | None
    waitlisted: int
    cancelled: int
    by_kind: list[GroupRow]
    by_link: list[GroupRow]

    @property
    def no_show_percent(self) -> float | None:
        return None if self.no_shows is None else percent(self.no_shows, self.registered)


def _group_rows(
    groups: Iterable[tuple[str, str]],
    registered: Counter[str],
    attended: Counter[str],
    checked_in: bool,
) -> list[GroupRow]:
    return [
        GroupRow(
            key=key,
            label=label,
            registered=registered[key],
            attended=attended[key],
            no_shows=registered[key] - attended[key] if checked_in else None,
        )
        for key, label in groups
        if registered[key]
    ]


def participation(people: People) -> Participation:
    checked_in = people.checked_in
    statuses: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    by_kind_attended: Counter[str] = Counter()
    by_link: Counter[str] = Counter()
    by_link_attended: Counter[str] = Counter()
    attended = 0
    for person in people.people.values():
        statuses[person.status] += 1
        if person.status != RegistrationStatus.REGISTERED:
            continue
        organisation = people.organisations[person.organisation_id]
        links = organisation.chain_links or (NO_LINK,)
        by_kind[organisation.kind] += 1
        for link in links:
            by_link[link] += 1
        if person.entered:
            attended += 1
            by_kind_attended[organisation.kind] += 1
            for link in links:
                by_link_attended[link] += 1
    registered = statuses[RegistrationStatus.REGISTERED]
    link_groups = [*ChainLink.choices, (NO_LINK, _("no link given"))]
    return Participation(
        checked_in=checked_in,
        registered=registered,
        attended=attended,
        no_shows=registered - attended if checked_in else None,
        waitlisted=statuses[RegistrationStatus.WAITLISTED],
        cancelled=statuses[RegistrationStatus.CANCELLED] + statuses[RegistrationStatus.RELEASED],
        by_kind=_group_rows(
            [(k, str(label)) for k, label in OrganisationKind.choices],
            by_kind,
            by_kind_attended,
            checked_in,
        ),
        by_link=_group_rows(
            [(k, str(label)) for k, label in link_groups], by_link, by_link_attended, checked_in
        ),
    )


# Workshops ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionInfo:
    pk: int
    title: str
    round: str
    room: str
    start: datetime
    capacity: int
    is_round: bool

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M} {self.title} ({self.room})"


def _sessions(*, edition: Edition) -> dict[int, SessionInfo]:
    """Every session of the edition in time order. One query."""
    rows = (
        Session.objects.filter(edition=edition)
        .select_related("topic", "room", "block")
        .order_by("block__start", "block_id", "room__name", "pk")
    )
    return {
        row.pk: SessionInfo(
            pk=row.pk,
            title=row.topic.title,
            round=str(row.block),
            room=row.room.name,
            start=timezone.localtime(row.block.start),
            capacity=row.effective_capacity,
            is_round=row.block.kind == BlockKind.ROUND,
        )
        for row in rows
    }


@dataclass(frozen=True)
class SessionFill:
    session: SessionInfo
    #: Seats in the published run; None without one.
    assigned: int | None
    #: Present by the edition's attendance (see ``Workshops.source``).
    present: int

    @property
    def percent(self) -> float | None:
        return percent(self.present, self.session.capacity)


@dataclass(frozen=True)
class Satisfaction:
    run_id: int
    with_preferences: int
    first_choice: int
    ranks: list[RankRow]
    worst_rank: int | None
    seats: int

    @property
    def first_choice_percent(self) -> float | None:
        return percent(self.first_choice, self.with_preferences)


@dataclass(frozen=True)
class Workshops:
    #: "rooms", "assignment" or "none", as ``edition_attendance`` says.
    source: str
    fill: list[SessionFill]
    satisfaction: Satisfaction | None
    #: Per workshop round, what the day's re-offers did; empty when none was published.
    day: list[DayRound]


def _satisfaction(*, edition: Edition) -> tuple[Satisfaction | None, dict[int, int]]:
    run = published_run(edition=edition)
    if run is None:
        return None, {}
    report = run_report(run=run)
    taken = {item.session.pk: item.taken for item in report.sessions}
    return (
        Satisfaction(
            run_id=run.pk,
            with_preferences=report.with_preferences,
            first_choice=report.first_choice,
            ranks=report.ranks,
            worst_rank=report.worst_rank,
            seats=report.seats_given,
        ),
        taken,
    )


def workshops(
    *, edition: Edition, sessions: dict[int, SessionInfo], attendance: Attendance
) -> Workshops:
    satisfaction, taken = _satisfaction(edition=edition)
    fill = [
        SessionFill(
            session=info,
            assigned=taken.get(info.pk, 0) if satisfaction is not None else None,
            present=len(attendance.by_session.get(info.pk, ())),
        )
        for info in sessions.values()
        if info.is_round
    ]
    day = day_rounds(edition=edition) if reoffers_published(edition=edition) else []
    return Workshops(source=attendance.source, fill=fill, satisfaction=satisfaction, day=day)


# The survey -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingSummary:
    """Answers to one rating or choice: the count, and the rest only from MIN_ANSWERS on."""

    count: int
    #: (value, count) per rating 1..RATING_MAX or per choice; None below MIN_ANSWERS.
    distribution: list[tuple[str, int]] | None
    mean: float | None

    @property
    def shown(self) -> bool:
        return self.distribution is not None


def _summary(counts: Counter[str], order: list[str], *, ratings: bool) -> RatingSummary:
    total = sum(counts.values())
    if total < MIN_ANSWERS:
        return RatingSummary(count=total, distribution=None, mean=None)
    extra = sorted(key for key in counts if key not in order)
    distribution = [(key, counts[key]) for key in [*order, *extra]]
    mean = (
        round(sum(int(key) * n for key, n in counts.items()) / total, 2)
        if ratings and total
        else None
    )
    return RatingSummary(count=total, distribution=distribution, mean=mean)


RATING_VALUES = [str(value) for value in range(1, RATING_MAX + 1)]


@dataclass(frozen=True)
class SessionRating:
    session: SessionInfo
    summary: RatingSummary


@dataclass(frozen=True)
class QuestionSummary:
    pk: int
    text: str
    kind: str
    #: For rating and choice questions; None for free text.
    summary: RatingSummary | None
    #: Free-text answers given (never shown); 0 for other kinds.
    texts: int


@dataclass(frozen=True)
class QuoteRow:
    text: str
    byline: str
    question: str


@dataclass(frozen=True)
class SurveyReport:
    responses: int
    questions: list[QuestionSummary]
    sessions: list[SessionRating]
    quotes: list[QuoteRow]

    @property
    def overall(self) -> QuestionSummary | None:
        """The first rating question: the edition's overall mark in the comparison."""
        return next((q for q in self.questions if q.kind == QuestionKind.RATING), None)


def _survey(*, edition: Edition, sessions: dict[int, SessionInfo]) -> SurveyReport | None:
    survey = Survey.objects.filter(edition=edition).first()
    if survey is None:
        return None
    questions = list(survey.questions.all())
    rows = (
        Answer.objects.filter(question__survey=survey)
        .values_list("question_id", "session_id", "rating", "choice")
        .annotate(n=Count("pk"), texts=Count("pk", filter=~Q(text="")))
        .order_by()
    )
    per_question: dict[int, Counter[str]] = defaultdict(Counter)
    per_session: dict[int, Counter[str]] = defaultdict(Counter)
    texts: Counter[int] = Counter()
    for question_id, session_id, rating, choice, n, text_count in rows:
        texts[question_id] += text_count
        if session_id is not None and rating is not None:
            per_session[session_id][str(rating)] += n
        elif rating is not None:
            per_question[question_id][str(rating)] += n
        elif choice:
            per_question[question_id][choice] += n
    summaries = []
    for question in questions:
        summary = None
        if question.kind == QuestionKind.RATING:
            summary = _summary(per_question[question.pk], RATING_VALUES, ratings=True)
        elif question.kind == QuestionKind.CHOICE:
            # Answers hold the Dutch wording whatever the participant saw; label them in the
            # report's language.
            options = choice_options(question)
            summary = _summary(per_question[question.pk], [v for v, _l in options], ratings=False)
            if summary.distribution is not None:
                labels = dict(options)
                summary = replace(
                    summary,
                    distribution=[(labels.get(v, v), n) for v, n in summary.distribution],
                )
        summaries.append(
            QuestionSummary(
                pk=question.pk,
                text=question.text,
                kind=question.kind,
                summary=summary,
                texts=texts[question.pk] if question.kind == QuestionKind.TEXT else 0,
            )
        )
    session_ratings = [
        SessionRating(
            session=info, summary=_summary(per_session[info.pk], RATING_VALUES, ratings=True)
        )
        for info in sessions.values()
        if per_session[info.pk]
    ]
    return SurveyReport(
        responses=Response.objects.filter(survey=survey).count(),
        questions=summaries,
        sessions=session_ratings,
        quotes=_quotes(survey=survey),
    )


def _quotes(*, survey: Survey) -> list[QuoteRow]:
    rows = (
        Quote.objects.filter(survey=survey, shown=True)
        .select_related("registration__organisation", "question")
        .order_by("question__position", "created_at", "pk")
    )
    quotes = []
    for quote in rows:
        organisation = str(quote.registration.organisation)
        if quote.registration.anonymised_at is not None:
            byline = _("a participant of %(organisation)s") % {"organisation": organisation}
        else:
            byline = _("%(name)s, %(organisation)s") % {
                "name": quote.registration.name,
                "organisation": organisation,
            }
        quotes.append(QuoteRow(text=quote.text, byline=byline, question=quote.question.text))
    return quotes


# Who met whom -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairRow:
    first: Organisation
    second: Organisation
    #: Workshop sessions people of both attended.
    workshops: int
    #: Accepted networking meetings between people of both.
    meetings: int

    @property
    def times(self) -> int:
        return self.workshops + self.meetings


@dataclass(frozen=True)
class Encounters:
    #: (key, label) of the kinds of the organisations present, in the order of the matrix.
    kinds: list[tuple[str, str]]
    #: Pairs of organisations that met, by kind × kind (symmetric).
    matrix: list[list[int]]
    pairs: int
    cross_kind_pairs: int
    workshop_pairs: int
    meeting_pairs: int
    organisations: int
    top: list[PairRow]

    def rows(self) -> list[tuple[str, list[int]]]:
        return [(label, self.matrix[i]) for i, (_key, label) in enumerate(self.kinds)]


def encounters(
    *,
    people: People,
    sessions: dict[int, SessionInfo],
    attendance: Attendance,
    meetings: list[tuple[int, int]],
) -> Encounters:
    """Pairs of organisations that met, from the attendance sets.

    For each workshop session the distinct organisations present, then their pairs: the work is
    the sum of the session sizes plus the pairs of organisations per session, never the pairs of
    people.
    """
    organisation_of = {pk: person.organisation_id for pk, person in people.people.items()}
    in_workshop: Counter[tuple[int, int]] = Counter()
    for session_id, present in attendance.by_session.items():
        info = sessions.get(session_id)
        if info is None or not info.is_round:
            continue
        present_organisations = {organisation_of[pk] for pk in present if pk in organisation_of}
        for pair in combinations(sorted(present_organisations), 2):
            in_workshop[pair] += 1
    in_meeting: Counter[tuple[int, int]] = Counter()
    for first, second in meetings:
        a, b = organisation_of.get(first), organisation_of.get(second)
        if a is not None and b is not None and a != b:
            in_meeting[(min(a, b), max(a, b))] += 1
    pairs = set(in_workshop) | set(in_meeting)

    organisations = people.organisations
    present_kinds = {
        organisations[person.organisation_id].kind
        for person in people.people.values()
        if person.status == RegistrationStatus.REGISTERED
    } | {organisations[o].kind for pair in pairs for o in pair}
    kinds = [(key, str(label)) for key, label in OrganisationKind.choices if key in present_kinds]
    index = {key: i for i, (key, _label) in enumerate(kinds)}
    matrix = [[0] * len(kinds) for _kind in kinds]
    cross = 0
    for a, b in pairs:
        i, j = index[organisations[a].kind], index[organisations[b].kind]
        matrix[i][j] += 1
        if i != j:
            matrix[j][i] += 1
            cross += 1
    top = sorted(
        (
            PairRow(
                first=first,
                second=second,
                workshops=in_workshop[(a, b)],
                meetings=in_meeting[(a, b)],
            )
            for a, b in pairs
            for first, second in [
                sorted((organisations[a], organisations[b]), key=lambda o: o.name.casefold())
            ]
        ),
        key=lambda row: (-row.times, row.first.name.casefold(), row.second.name.casefold()),
    )[:TOP_PAIRS]
    taking_part = {
        person.organisation_id
        for person in people.people.values()
        if person.status == RegistrationStatus.REGISTERED
    }
    return Encounters(
        kinds=kinds,
        matrix=matrix,
        pairs=len(pairs),
        cross_kind_pairs=cross,
        workshop_pairs=len(in_workshop),
        meeting_pairs=len(in_meeting),
        organisations=len(taking_part),
        top=top,
    )


# The comparison -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The figures of one edition, side by side with the others of its series."""

    edition_id: int
    title: str
    start_date: date
    registered: int
    attended: int | None
    no_show_percent: float | None
    first_choice_percent: float | None
    pairs: int
    overall_rating: float | None
    current: bool


def _headline(
    edition: Edition,
    participation: Participation,
    workshops: Workshops,
    survey: SurveyReport | None,
    encounters: Encounters,
    *,
    current: bool,
) -> Headline:
    overall = survey.overall if survey is not None else None
    satisfaction = workshops.satisfaction
    return Headline(
        edition_id=edition.pk,
        title=edition.title,
        start_date=edition.start_date,
        registered=participation.registered,
        attended=participation.attended if participation.checked_in else None,
        no_show_percent=participation.no_show_percent,
        first_choice_percent=(
            satisfaction.first_choice_percent if satisfaction is not None else None
        ),
        pairs=encounters.pairs,
        overall_rating=(
            overall.summary.mean if overall is not None and overall.summary is not None else None
        ),
        current=current,
    )


# The whole report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EditionReport:
    edition: Edition
    participation: Participation
    workshops: Workshops
    survey: SurveyReport | None
    encounters: Encounters
    #: Earlier editions of the series, oldest first, then this one.
    comparison: list[Headline]
    #: The registration questions: per question how many answered and, for choices and
    #: yes/no, how many chose what (free text is only counted).
    questions: list[QuestionReport] = field(default_factory=list)


def _parts(
    edition: Edition,
) -> tuple[Participation, Workshops, SurveyReport | None, Encounters]:
    people = _people(edition=edition)
    sessions = _sessions(edition=edition)
    attendance = edition_attendance(edition=edition)
    return (
        participation(people),
        workshops(edition=edition, sessions=sessions, attendance=attendance),
        _survey(edition=edition, sessions=sessions),
        encounters(
            people=people,
            sessions=sessions,
            attendance=attendance,
            meetings=meeting_pairs(edition=edition),
        ),
    )


def earlier_editions(*, edition: Edition) -> list[Edition]:
    """The editions of the same series that began before this one, oldest first."""
    return list(
        Edition.objects.filter(series_id=edition.series_id, start_date__lt=edition.start_date)
        .exclude(pk=edition.pk)
        .order_by("start_date", "pk")
    )


def edition_report(*, edition: Edition) -> EditionReport:
    """The report of one edition, and the headline figures of the earlier ones beside it."""
    parts = _parts(edition)
    comparison = [
        _headline(earlier, *_parts(earlier), current=False)
        for earlier in earlier_editions(edition=edition)
    ]
    comparison.append(_headline(edition, *parts, current=True))
    participation_, workshops_, survey, encounters_ = parts
    return EditionReport(
        edition=edition,
        participation=participation_,
        workshops=workshops_,
        survey=survey,
        encounters=encounters_,
        comparison=comparison,
        questions=questions_report(edition=edition, language=get_language() or "nl"),
    )

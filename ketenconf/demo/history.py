"""The history of a past demo edition: who came, where they sat, whom they met, what they said.

A past edition's programme alone gives an empty report. This plays the edition's life once,
seeded by its year: registrations close to capacity from the same generators as the open
edition, a workshop assignment solved by the real engine and published two weeks before the
day, check-ins at the entrance and the room doors, networking meetings proposed by the real
matchmaking engine, a survey afterwards with anonymous answers and quotes from those who
agreed, and at last the anonymisation the retention job carries out once the retention
period has ended.

Nobody is mailed: these people were told about their seats, meetings and survey in the
year of the edition. Where a service mails as part of its work (publishing a run, proposing
meetings, inviting to the survey) the rows it would write are written here directly,
without the mail. Rows that record what happened on a day long past (registrations,
check-ins, answers) are bulk-inserted: they are history, not actions of a user, and going
through the services one row at a time would make ``ketenconf demo`` several times slower.
"""

from __future__ import annotations

import math
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connections, router, transaction
from django.db.models import Model
from django.utils import timezone

from ketenconf.allocation.models import Assignment, AssignmentRun, RunStatus
from ketenconf.allocation.services import assignment_run_start
from ketenconf.checkin.models import CheckIn, CheckInKind
from ketenconf.evaluation.models import (
    Answer,
    Question,
    QuestionKind,
    Quote,
    Response,
    Survey,
    SurveyInvitation,
)
from ketenconf.events.models import Edition, Organisation, OrganisationKind
from ketenconf.networking import adapter as networking_adapter
from ketenconf.networking.engine import pair_weight, shared_interests, solve
from ketenconf.networking.models import (
    Answer as MeetingAnswer,
)
from ketenconf.networking.models import (
    MatchRun,
    Meeting,
    MeetingStatus,
    NetworkingProfile,
    NetworkingSlot,
)
from ketenconf.networking.services import networking_tables_create
from ketenconf.networking.themes import CHAIN_LINK_KEYS, THEME_KEYS
from ketenconf.programme.models import Block, BlockKind, Session, Topic
from ketenconf.questions.models import Answer as RegistrationAnswer
from ketenconf.questions.models import Question as RegistrationQuestion
from ketenconf.questions.services import questions_add_defaults
from ketenconf.registration.models import Preference, Registration, RegistrationStatus
from ketenconf.registration.services import edition_anonymise

from .editions import EditionSpec
from .participants import (
    SyntheticParticipant,
    edition_preference_topics,
    generate_participants,
    generate_preferences,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

#: Share of the capacity that registered for a past edition.
REGISTERED_SHARE = 0.95
#: Chance that a registered participant came, by kind of organisation (else CAME_DEFAULT).
CAME_BY_KIND: dict[str, float] = {
    "national_agency": 0.90,
    "municipality": 0.87,
    "ministry": 0.82,
    "police": 0.85,
    "ngo": 0.89,
    "municipal_association": 0.90,
    "civil_society": 0.84,
    "knowledge_institute": 0.86,
    "business": 0.80,
}
CAME_DEFAULT = 0.85
#: Of those who came, the share that answered the survey.
RESPONSE_SHARE = 0.40
#: Of the respondents, the share that wrote something in the free-text question.
TEXT_SHARE = 0.55
#: Of those who wrote something, the share that agreed to be quoted.
QUOTE_CONSENT_SHARE = 0.18
#: Of those with networking consent, the share that filled in what they want to talk about.
PROFILE_SHARE = 0.6
#: Chance that someone who came accepts a proposed meeting.
MEETING_ACCEPT_SHARE = 0.9
NETWORKING_SLOT = timedelta(minutes=15)
DOORS = ("Hoofdingang", "Zij-ingang")


def _at(day: date, hours: float) -> datetime:
    """``hours`` after midnight of ``day`` in Amsterdam, as an aware moment."""
    whole = int(hours * 60)
    return timezone.make_aware(
        datetime.combine(day, time(whole // 60, whole % 60)), AMSTERDAM
    ) + timedelta(seconds=int((hours * 3600) % 60))


def anonymised_on(edition: Edition) -> datetime:
    """When the retention job anonymised the edition: its first run once the period ended.

    The job (``editions_anonymise_expired``) anonymises an edition once
    ``end_date + retention_days`` is before today, so on the day after that.
    """
    day = edition.end_date + timedelta(days=edition.retention_days + 1)
    return _at(day, 0.5)


@dataclass
class HistoryCounts:
    registrations: int = 0
    came: int = 0
    room_check_ins: int = 0
    met: int = 0  # participants with an accepted meeting
    responses: int = 0
    quotes: int = 0


def _backdate(model: type[Model], rows: Sequence[Model], fields: Sequence[str]) -> None:
    """Write the moments of ``rows`` that an insert sets to now (``auto_now_add``).

    One prepared UPDATE run for every row: ``bulk_update`` builds a CASE expression of every
    row per field, which took longer than all the inserts together.
    """
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = {field.name: str(field.column) for field in model._meta.concrete_fields}
    assignments = ", ".join(f"{quote(columns[name])} = %s" for name in fields)
    table, key = quote(model._meta.db_table), quote(str(model._meta.pk.column))
    # Only names from the model go into the text; every value is a parameter.
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            sql, [[*(adapt(getattr(row, name)) for name in fields), row.pk] for row in rows]
        )


# --- Registrations ------------------------------------------------------------------------


def _registered_at(rng: random.Random, day: date) -> datetime:
    """Most register in the first weeks after the invitation, some in the last week."""
    opened, closed = 84.0, 5.0  # days before the edition
    if rng.random() < 0.15:
        days_before = rng.uniform(closed, 14.0)
    else:
        days_before = opened - min(rng.expovariate(1 / 18.0), opened - 14.0)
    moment = _at(day - timedelta(days=math.floor(days_before)), rng.uniform(8.0, 22.0))
    return moment


def _registrations(
    edition: Edition,
    spec: EditionSpec,
    topics: dict[str, Topic],
    organisations: dict[str, Organisation],
    rng: random.Random,
) -> list[tuple[Registration, SyntheticParticipant]]:
    count = round(edition.capacity * REGISTERED_SHARE)
    year = spec.day.year
    people = generate_participants(count=count, seed=year)
    preference_topics, round_keys = edition_preference_topics(spec)
    wishes = {
        w.email: w for w in generate_preferences(people, preference_topics, round_keys, seed=year)
    }
    rows = [
        Registration(
            edition=edition,
            email=person.email,
            name=person.name,
            organisation=organisations[person.organisation],
            job_title=person.job_title,
            needs_step_free=person.needs_step_free,
            networking_consent=person.networking_consent,
            language=person.language,
            status=RegistrationStatus.REGISTERED,
        )
        for person in people
    ]
    Registration.objects.bulk_create(rows, batch_size=500)
    # created_at is set on insert; the registrations were made in the weeks before the day.
    for row in rows:
        row.created_at = _registered_at(rng, spec.day)
        row.confirmed_at = row.created_at + timedelta(minutes=rng.randint(1, 240))
    _backdate(Registration, rows, ["created_at", "confirmed_at"])
    # Every registration holds a seat; the counter the services keep says so.
    Edition.objects.filter(pk=edition.pk).update(seats_taken=len(rows))

    rounds = dict(
        zip(round_keys, edition.blocks.filter(kind=BlockKind.ROUND).order_by("start"), strict=True)
    )
    chosen = [(row, wishes[person.email]) for row, person in zip(rows, people, strict=True)]
    Preference.objects.bulk_create(
        (
            Preference(registration_id=row.pk, topic_id=topics[key].pk, rank=rank)
            for row, wish in chosen
            for rank, key in enumerate(wish.ranking, start=1)
        ),
        batch_size=1000,
    )
    questions_add_defaults(edition=edition)  # the edition's own, when it was made elsewhere
    dietary = RegistrationQuestion.objects.get(edition=edition, key="dietary_needs")
    RegistrationAnswer.objects.bulk_create(
        (
            RegistrationAnswer(registration_id=row.pk, question=dietary, value=person.dietary_needs)
            for row, person in zip(rows, people, strict=True)
            if person.dietary_needs
        ),
        batch_size=1000,
    )
    through = Registration.absent_rounds.through
    through.objects.bulk_create(
        (
            through(registration_id=row.pk, block_id=block.pk)
            for row, wish in chosen
            if wish.rounds is not None
            for key, block in rounds.items()
            if key not in wish.rounds
        ),
        batch_size=1000,
    )
    return list(zip(rows, people, strict=True))


# --- Workshop assignment ------------------------------------------------------------------


def _assignment(edition: Edition, day: date) -> dict[int, list[Assignment]]:
    """Solve the rounds with the real engine and mark the run published two weeks before.

    ``assignment_run_publish`` would mail every participant their programme; these people
    had theirs in the year of the edition, so the run is marked published here (the only
    other thing publishing writes) and nobody is mailed.
    """
    run = assignment_run_start(edition=edition, by=None, seed=day.year, background=False)
    if run.status != RunStatus.DONE:
        raise RuntimeError(f"The demo assignment of {edition.slug} failed: {run.problems}")
    published = _at(day - timedelta(days=14), 10.0)
    AssignmentRun.objects.filter(pk=run.pk).update(
        created_at=published - timedelta(minutes=20),
        started_at=published - timedelta(minutes=20),
        finished_at=published - timedelta(minutes=19),
        published_at=published,
    )
    seats: dict[int, list[Assignment]] = defaultdict(list)
    for seat in Assignment.objects.filter(run=run).select_related("block"):
        seats[seat.registration_id].append(seat)
    return seats


# --- The day ------------------------------------------------------------------------------


def _arrival(rng: random.Random) -> float:
    """Hour of arrival: a peak in the quarter before the opening, a few late comers."""
    if rng.random() < 0.06:
        return rng.uniform(10.0, 13.5)
    return min(max(rng.triangular(8.4, 9.9, 9.3), 8.25), 9.95)


@dataclass
class Day:
    came: dict[int, datetime]  # registration id -> entrance check-in
    attended: dict[int, list[int]]  # registration id -> session ids (room check-ins)


def _check_ins(
    edition: Edition,
    registrations: Sequence[tuple[Registration, SyntheticParticipant]],
    seats: dict[int, list[Assignment]],
    rng: random.Random,
) -> Day:
    sessions = list(
        Session.objects.filter(edition=edition, block__kind=BlockKind.ROUND).select_related(
            "room", "block"
        )
    )
    by_block: dict[int, list[Session]] = defaultdict(list)
    for session in sessions:
        by_block[session.block_id].append(session)
    seat_limit = {s.pk: s.capacity or s.room.capacity for s in sessions}
    taken: Counter[int] = Counter()
    rows: list[CheckIn] = []
    came: dict[int, datetime] = {}
    attended: dict[int, list[int]] = defaultdict(list)
    for registration, person in registrations:
        if rng.random() >= CAME_BY_KIND.get(person.organisation_kind, CAME_DEFAULT):
            continue
        at = _at(edition.start_date, _arrival(rng))
        came[registration.pk] = at
        rows.append(
            CheckIn(
                edition=edition,
                registration=registration,
                kind=CheckInKind.ENTRY,
                door=rng.choices(DOORS, weights=(4, 1))[0],
                at=at,
                nonce=f"demo-{edition.pk}-entry-{registration.pk}",
            )
        )
    # The rooms: most sit where they were assigned, a few swap to a session with seats left
    # or skip a round; someone who arrived late misses the rounds that had begun.
    for registration, _person in registrations:
        if registration.pk not in came:
            continue
        for seat in sorted(seats.get(registration.pk, []), key=lambda s: s.block.start):
            if seat.block.start < came[registration.pk]:
                continue
            draw = rng.random()
            if draw < 0.05:
                continue
            session_id = seat.session_id
            if draw < 0.09:
                others = [
                    s.pk
                    for s in by_block[seat.block_id]
                    if s.pk != seat.session_id and taken[s.pk] < seat_limit[s.pk]
                ]
                if others:
                    session_id = rng.choice(others)
            if taken[session_id] >= seat_limit[session_id]:
                continue
            taken[session_id] += 1
            attended[registration.pk].append(session_id)
            at = seat.block.start - timedelta(seconds=rng.randint(0, 720))
            rows.append(
                CheckIn(
                    edition=edition,
                    registration=registration,
                    kind=CheckInKind.ROOM,
                    session_id=session_id,
                    door="",
                    at=max(at, came[registration.pk] + timedelta(minutes=2)),
                    nonce=f"demo-{edition.pk}-room-{registration.pk}-{session_id}",
                )
            )
    CheckIn.objects.bulk_create(rows, batch_size=1000)
    return Day(came=came, attended=dict(attended))


# --- Networking ---------------------------------------------------------------------------


def networking_setup(
    edition: Edition,
    registrations: Sequence[tuple[Registration, SyntheticParticipant]],
    rng: random.Random,
) -> bool:
    """Slots of 15 minutes in the edition's first networking block, 30 tables of four, and
    what those who agreed to networking want to talk about (most of them filled it in).
    False when the edition has no networking block."""
    block = (
        Block.objects.filter(edition=edition, kind=BlockKind.NETWORKING).order_by("start").first()
    )
    if block is None:
        return False
    slots = []
    start = block.start
    while start + NETWORKING_SLOT <= block.end:
        slots.append(
            NetworkingSlot(edition=edition, block=block, start=start, end=start + NETWORKING_SLOT)
        )
        start += NETWORKING_SLOT
    NetworkingSlot.objects.bulk_create(slots)
    networking_tables_create(edition=edition, count=30)

    kinds = list(OrganisationKind.values)
    profiles = []
    for registration, person in registrations:
        if not person.networking_consent or rng.random() >= PROFILE_SHARE:
            continue
        own_links = [key for key in person.chain_links if key in CHAIN_LINK_KEYS]
        interests = set(rng.sample(own_links, min(len(own_links), rng.randint(1, 2))))
        interests.update(rng.sample(THEME_KEYS, rng.randint(1, 3)))
        wanted = rng.sample([k for k in kinds if k != person.organisation_kind], rng.randint(1, 3))
        profiles.append(
            NetworkingProfile(
                registration=registration,
                interests=[key for key in (*CHAIN_LINK_KEYS, *THEME_KEYS) if key in interests],
                wanted_kinds=[kind for kind in kinds if kind in wanted],
            )
        )
    NetworkingProfile.objects.bulk_create(profiles)
    return True


def _networking(
    edition: Edition,
    registrations: Sequence[tuple[Registration, SyntheticParticipant]],
    day: Day,
    rng: random.Random,
) -> set[int]:
    """The set-up of :func:`networking_setup`, and meetings from the matchmaking engine.

    ``meetings_propose`` mails everyone with a new meeting; the engine runs here on the
    same input it builds, and the meetings are written as it writes them, without the mail.
    Returns the registrations with an accepted meeting.
    """
    if not networking_setup(edition, registrations, rng):
        return set()
    problem = networking_adapter.problem_build(edition=edition, max_meetings=2)
    result = solve(problem, time_limit=5.0, seed=edition.start_date.year, lp=False)
    run = MatchRun.objects.create(
        edition=edition,
        max_meetings=2,
        problem=problem.to_dict(),
        result=result.to_dict(),
        proposed=len(result.meetings),
        weight=result.weight,
        upper_bound=result.upper_bound,
        seconds=result.seconds,
    )
    people = {person.id: person for person in problem.people}
    meetings = []
    met: set[int] = set()
    for proposed in result.meetings:
        a, b = sorted((proposed.first, proposed.second), key=int)
        answers = []
        for side in (int(a), int(b)):
            if side not in day.came:
                answers.append(MeetingAnswer.OPEN)  # did not come, never answered
            elif rng.random() < MEETING_ACCEPT_SHARE:
                answers.append(MeetingAnswer.ACCEPTED)
            else:
                answers.append(MeetingAnswer.DECLINED)
        if MeetingAnswer.DECLINED in answers:
            status = MeetingStatus.DECLINED
        elif answers == [MeetingAnswer.ACCEPTED, MeetingAnswer.ACCEPTED]:
            status = MeetingStatus.ACCEPTED
            met.update((int(a), int(b)))
        else:
            status = MeetingStatus.PROPOSED
        meetings.append(
            Meeting(
                edition=edition,
                run=run,
                slot_id=int(proposed.slot),
                table_id=int(proposed.table),
                first_id=int(a),
                second_id=int(b),
                first_answer=answers[0],
                second_answer=answers[1],
                status=status,
                weight=pair_weight(people[a], people[b], problem.rules),
                shared_interests=shared_interests(people[a], people[b]),
            )
        )
    Meeting.objects.bulk_create(meetings)
    proposed_at = _at(edition.start_date - timedelta(days=7), 14.0)
    MatchRun.objects.filter(pk=run.pk).update(created_at=proposed_at)
    Meeting.objects.filter(run=run).update(created_at=proposed_at)
    return met


# --- Survey -------------------------------------------------------------------------------

VALUED_NL = (
    "De workshops",
    "Contact met mensen van andere organisaties",
    "De plenaire sessies",
    "De informatiemarkt",
)
VALUED_EN = (
    "The workshops",
    "Meeting people from other organisations",
    "The plenary sessions",
    "The information market",
)

# Answers to "What will you take back to your organisation?", written for the demo. The
# whole answers go to those who agreed to be quoted, each at most once per edition and only
# to someone it fits (by kind of organisation; never naming their own organisation); the
# others' answers, only counted in the report, are put together from parts.
ANY: frozenset[str] = frozenset(OrganisationKind.values)
LOCAL = frozenset({"municipality", "municipal_association"})
PROFESSIONAL = ANY - {"civil_society"}
OUTSIDE_ASYLUM = ANY - {"national_agency"}
CIVIL = frozenset({"ngo", "civil_society", "knowledge_institute", "other"})
INTERNATIONAL = frozenset({"other", "ngo"})
# fmt: off
# By series: each demo series has one past edition, and its people talk about its themes.
TAKEAWAYS: dict[str, tuple[tuple[str, str, frozenset[str]], ...]] = {
    "ketenconferentie": (
        ("nl", "Dat ik de collega's van het COA gewoon kan bellen in plaats van een formulier te sturen.", ANY),
        ("nl", "Een lijstje namen bij de IND voor als een dossier vastloopt. Daar heb ik maandag al één van gebeld.", ANY),
        ("nl", "Meer begrip voor waarom de IND soms langer nodig heeft. Dat ga ik mijn team ook uitleggen.", ANY),
        ("nl", "Het idee om één keer per kwartaal met de regievoerders van DT&V om tafel te gaan.", ANY),
        ("nl", "Hoe klein de keten eigenlijk is als je de mensen eenmaal kent.", ANY),
        ("nl", "Concrete afspraken over wie de bewoner informeert als de beslissing komt.", ANY),
        ("nl", "Een andere kijk op terugkeer: het gesprek begint eerder dan ik dacht.", ANY),
        ("nl", "Vooral energie. Het is fijn om te zien dat iedereen hetzelfde wil, ook al werken we anders.", ANY),
        ("nl", "De tip om tolken al bij de eerste afspraak te regelen, niet pas als het misgaat.", ANY),
        ("nl", "Een uitnodiging van Nidos om een dag mee te lopen. Die neem ik aan.", ANY),
        ("nl", "Dat informatie delen vaak wél mag, als je weet welke grondslag je gebruikt.", ANY),
        ("nl", "Meer geduld met de andere schakels. Iedereen heeft zijn eigen druk.", ANY),
        ("nl", "Dat we cijfers over instroom eerder met elkaar kunnen delen, zodat niemand verrast wordt.", ANY),
        ("nl", "Inzicht in hoe de aanmeldstraat in Ter Apel werkt. Ik had er een verkeerd beeld van.", OUTSIDE_ASYLUM),
        ("nl", "Hoe je een lastig gesprek over vertrek menselijk houdt.", ANY),
        ("nl", "Het besef dat de keten pas werkt als de overdracht werkt.", ANY),
        ("nl", "Dat op- en afschalen van de opvang alleen lukt als gemeenten eerder meedenken.", ANY),
        ("nl", "Het scenariospel uit de workshop over capaciteit wil ik met ons managementteam spelen.", PROFESSIONAL),
        ("nl", "Dat een vertrekgesprek geen eindpunt is maar een begin.", ANY),
        ("nl", "De mensen van de IND aan mijn tafel liepen tegen hetzelfde aan als wij. Dat helpt.", ANY),
        ("nl", "Dat we dossiers eerder moeten overdragen, niet pas als de termijn bijna verloopt.", ANY),
        ("nl", "Ik wil een keer meelopen in een aanmeldcentrum. Dat is inmiddels geregeld.", OUTSIDE_ASYLUM),
        ("en", "A much clearer picture of who does what in the Dutch asylum chain.", ANY),
        ("en", "A better understanding of the return procedure and where we can help.", ANY),
        ("en", "That asking the other organisation first saves weeks later on.", ANY),
        ("en", "Honestly, the conversations over lunch were worth the trip.", ANY),
        ("en", "That resettlement only works when the receiving municipality is involved early.", INTERNATIONAL),
    ),
    "van-migratie-tot-participatie": (
        ("nl", "Dat we bij een warme overdracht naar de gemeente eerder moeten beginnen, niet pas bij de sleutel.", ANY),
        ("nl", "Ik neem mee dat statushouders al in de opvang met taal kunnen beginnen. Wij wachten te lang.", LOCAL),
        ("nl", "De signalen van uitbuiting herkennen: ik weet nu wie ik bij de politie moet bellen.", ANY),
        ("nl", "Dat vrijwilligers veel meer zien dan wij denken. Ik wil ze vaker vragen wat ze merken.", PROFESSIONAL),
        ("nl", "Dat onze gemeente niet de enige is die worstelt met huisvesting. Daar leer ik van.", LOCAL),
        ("nl", "Ik ga voorstellen om onze overleggen met het COA-locatieteam weer op te starten.", LOCAL),
        ("nl", "Voorbeelden van werkgevers die statushouders aannemen. Die deel ik met ons werkgeversloket.", LOCAL),
        ("nl", "De vraag die de dagvoorzitter stelde: wat doe jij morgen anders? Daar heb ik nu een antwoord op.", ANY),
        ("nl", "Dat arbeidsmigranten en statushouders vaak dezelfde vragen hebben over huisvesting.", ANY),
        ("nl", "Het stappenplan uit de sessie over gezondheid. Dat leg ik bij onze GGD-collega neer.", LOCAL),
        ("nl", "Een paar nieuwe contacten bij andere gemeenten in de regio. Dat scheelt veel mailen.", LOCAL),
        ("nl", "Ik neem vooral vragen mee, en dat is ook goed.", ANY),
        ("nl", "Dat jongeren na hun achttiende niet tussen wal en schip mogen vallen.", ANY),
        ("nl", "Ideeën om de informatiemarkt volgende keer zelf te gebruiken voor ons project.", ANY),
        ("nl", "Dat de Spreidingswet pas werkt als gemeenten elkaars plannen kennen.", ANY),
        ("nl", "Het voorbeeld van kleinschalige opvang in een dorp. Dat wil ik bij ons bespreken.", LOCAL),
        ("nl", "Dat werk vinden sneller gaat als taalles en baan samen beginnen.", ANY),
        ("nl", "Een contact bij een uitzendbureau dat arbeidsmigranten echt fatsoenlijk huisvest.", LOCAL),
        ("nl", "Hoe de opvang van Oekraïners liet zien wat er kan als iedereen meewerkt.", ANY),
        ("nl", "De inburgeringswet werkt als je er tijd in steekt: ik zag goede voorbeelden.", ANY),
        ("nl", "Dat meedoen niet hoeft te wachten op een verblijfsvergunning.", ANY),
        ("nl", "Dat we taalmaatjes veel eerder kunnen inzetten.", ANY),
        ("en", "The idea of a shared contact list across organisations. We will start one.", ANY),
        ("en", "How much the people here care about getting it right, despite the pressure.", ANY),
        ("en", "Notes from the labour migration session for our next policy paper.", ANY),
        ("en", "Practical examples of early integration that I can share with colleagues abroad.", INTERNATIONAL),
        ("en", "Contacts at two municipalities that want to pilot our language programme.", CIVIL),
        ("en", "That housing, work and language have to start together, not one after the other.", ANY),
    ),
}
THINGS_NL = (
    "de korte lijnen met het COA", "contacten bij de IND", "het verhaal van de gemeente Utrecht",
    "de aanpak van de warme overdracht", "afspraken over informatie delen",
    "een beter beeld van het werk van DT&V", "ideeën voor onze eigen locatie",
    "de tips over tolken", "het gesprek met de politie over signalen",
    "de ervaringen van vrijwilligers", "de cijfers over huisvesting",
    "het werk van VluchtelingenWerk", "de aanpak van arbeidsmigratie in de regio",
)
FRAMES_NL = (
    "Vooral {}.", "Ik neem {} mee.", "{} — daar ga ik mee aan de slag.",
    "Concreet: {}.", "Voor mijn team: {}.", "Niet veel nieuws, wel {}.",
)
THINGS_EN = (
    "the contacts at the IND", "the examples from municipalities",
    "the discussion on information sharing", "a clearer view of reception",
    "the ideas on early integration", "the session on labour migration",
)
FRAMES_EN = ("Mostly {}.", "I take home {}.", "{}, which I will share with my team.")
# fmt: on


def _composed(rng: random.Random, person: SyntheticParticipant) -> str:
    english = person.language == "en"
    frames, things = (FRAMES_EN, THINGS_EN) if english else (FRAMES_NL, THINGS_NL)
    fitting = [thing for thing in things if person.organisation not in thing]
    text = rng.choice(frames).format(rng.choice(fitting))
    return text[0].upper() + text[1:]


def _quotable(
    pool: list[tuple[str, str, frozenset[str]]], person: SyntheticParticipant
) -> str | None:
    """Take the first whole answer from ``pool`` that fits ``person``, if any is left."""
    for index, (language, text, kinds) in enumerate(pool):
        fits = person.organisation_kind in kinds and person.organisation not in text
        if language == person.language and fits:
            del pool[index]
            return text
    return None


def _rating(rng: random.Random, mean: float, spread: float = 0.8) -> int:
    return min(max(round(rng.gauss(mean, spread)), 1), 5)


def _survey(
    edition: Edition,
    registrations: Sequence[tuple[Registration, SyntheticParticipant]],
    day: Day,
    met: set[int],
    rng: random.Random,
) -> tuple[int, int]:
    """A survey the day after, answered by about 40% of those who came. Returns the numbers
    of responses and quotes.

    Written as rows: inviting through the survey service mails everyone, and answers were
    given in the weeks after the edition. Responses keep only the kind of organisation and
    the day; a quote is kept only for respondents who agreed.
    """
    start = edition.start_date
    survey = Survey(
        edition=edition,
        introduction_nl=(
            "Bedankt dat u erbij was. Deze vragen kosten u vijf minuten; uw antwoorden zijn "
            "anoniem, tenzij u ervoor kiest geciteerd te worden."
        ),
        introduction_en=(
            "Thank you for coming. These questions take five minutes; your answers are "
            "anonymous unless you choose to be quoted."
        ),
        closes_on=start + timedelta(days=21),
        invitations_sent_at=_at(start + timedelta(days=1), 10.0),
    )
    survey.full_clean()
    survey.save()
    specs = (
        (QuestionKind.RATING, "Hoe beoordeelt u de dag als geheel?",
         "How do you rate the day as a whole?", "", "", True, False),
        (QuestionKind.CHOICE, "Wat vond u het waardevolst?", "What did you value most?",
         "\n".join(VALUED_NL), "\n".join(VALUED_EN), False, False),
        (QuestionKind.RATING, "Hoe goed kon u mensen van andere organisaties spreken?",
         "How well could you meet people from other organisations?", "", "", False, False),
        (QuestionKind.SESSION_RATING, "Hoe beoordeelt u de sessies die u bijwoonde?",
         "How do you rate the sessions you attended?", "", "", False, False),
        (QuestionKind.TEXT, "Wat neemt u mee terug naar uw organisatie?",
         "What will you take back to your organisation?", "", "", False, True),
    )  # fmt: skip
    questions = []
    for position, (kind, text_nl, text_en, choices_nl, choices_en, required, quotable) in enumerate(
        specs, start=1
    ):
        question = Question(
            survey=survey,
            position=position,
            kind=kind,
            text_nl=text_nl,
            text_en=text_en,
            choices_nl=choices_nl,
            choices_en=choices_en,
            required=required,
            quotable=quotable,
        )
        question.full_clean()
        questions.append(question)
    Question.objects.bulk_create(questions)
    overall, valued, networking, sessions, takeaway = questions

    # Each edition has its own mood and each session its own quality, so ratings differ.
    mood = rng.uniform(3.7, 4.2)
    quality = {
        pk: rng.uniform(3.0, 4.6)
        for pk in Session.objects.filter(edition=edition).values_list("pk", flat=True)
    }
    pool = list(TAKEAWAYS[edition.series.slug])
    rng.shuffle(pool)
    invited_at = survey.invitations_sent_at
    came = sorted(day.came)
    respondents = set(rng.sample(came, round(RESPONSE_SHARE * len(came))))
    assert invited_at is not None
    invitations, responses, answers, quotes = [], [], [], []
    for registration, person in registrations:
        if registration.pk not in day.came:
            continue
        invitation = SurveyInvitation(
            survey=survey, registration=registration, invited_at=invited_at
        )
        invitations.append(invitation)
        if registration.pk not in respondents:
            continue
        answered = invited_at + timedelta(hours=min(rng.expovariate(1 / 40.0), 20 * 24.0))
        # As the survey service records it: the day, not the moment (see its docstring).
        invitation.answered_at = datetime.combine(
            timezone.localtime(answered, AMSTERDAM).date(), time(), tzinfo=AMSTERDAM
        )
        response = Response(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            survey=survey,
            organisation_kind=person.organisation_kind,
            submitted_on=timezone.localtime(answered, AMSTERDAM).date(),
        )
        responses.append(response)
        # How this person rates in general; a few had a bad day and say so.
        bias = rng.gauss(0.0, 0.5) - (1.8 if rng.random() < 0.03 else 0.0)
        had_meeting = registration.pk in met
        answers.append(
            Answer(response=response, question=overall, rating=_rating(rng, mood + bias))
        )
        weights = (38, 40 if had_meeting else 22, 15, 12)
        answers.append(
            Answer(response=response, question=valued, choice=rng.choices(VALUED_NL, weights)[0])
        )
        if rng.random() < 0.9:
            mean = (4.2 if had_meeting else 3.4) + bias
            answers.append(
                Answer(response=response, question=networking, rating=_rating(rng, mean))
            )
        for session_id in day.attended.get(registration.pk, []):
            if rng.random() < 0.92:
                rating = _rating(rng, quality[session_id] + bias, 0.7)
                answers.append(
                    Answer(
                        response=response, question=sessions, session_id=session_id, rating=rating
                    )
                )
        if rng.random() < TEXT_SHARE:
            # Quoted are those who agreed and whose words are among the whole answers left.
            quoted = _quotable(pool, person) if rng.random() < QUOTE_CONSENT_SHARE else None
            text = quoted or _composed(rng, person)
            answers.append(Answer(response=response, question=takeaway, text=text))
            if quoted:
                quotes.append(
                    (Quote(survey=survey, question=takeaway, registration=registration, text=text),
                     answered)
                )  # fmt: skip
    SurveyInvitation.objects.bulk_create(invitations, batch_size=1000)
    # The random ids keep the order of responses apart from the order of invitations.
    Response.objects.bulk_create(responses, batch_size=1000)
    Answer.objects.bulk_create(answers, batch_size=1000)
    rows = Quote.objects.bulk_create([quote for quote, _ in quotes])
    for quote, (_, answered) in zip(rows, quotes, strict=True):
        quote.created_at = answered
    _backdate(Quote, rows, ["created_at"])
    return len(responses), len(rows)


# --- All of it ----------------------------------------------------------------------------


@transaction.atomic
def edition_history(
    *,
    edition: Edition,
    spec: EditionSpec,
    topics: dict[str, Topic],
    organisations: dict[str, Organisation],
) -> HistoryCounts:
    """Play a finished edition's life once, seeded by its year; then anonymise it.

    Called only when the edition is created, so loading the demo again changes nothing.
    """
    rng = random.Random(spec.day.year)
    registrations = _registrations(edition, spec, topics, organisations, rng)
    seats = _assignment(edition, spec.day)
    day = _check_ins(edition, registrations, seats, rng)
    met = _networking(edition, registrations, day, rng)
    responses, quotes = _survey(edition, registrations, day, met, rng)
    # The retention period ended long ago: the worker's daily job would have anonymised it.
    edition.refresh_from_db()
    edition_anonymise(edition=edition, now=anonymised_on(edition))
    return HistoryCounts(
        registrations=len(registrations),
        came=len(day.came),
        room_check_ins=sum(len(v) for v in day.attended.values()),
        met=len(met),
        responses=responses,
        quotes=quotes,
    )

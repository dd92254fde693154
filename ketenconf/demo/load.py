"""Load the demo: organisations, the editions with their programme, and demo accounts.

Idempotent: everything is looked up by its natural key (organisation name, series slug,
venue name and city, edition slug, username) and only created when missing. What hangs
under a series or an edition (partners; rooms, blocks, topics, sessions, hosts; the open
edition's registrations; a past edition's history, see :mod:`.history`) is only created
together with it, so a second run changes nothing, even after an organiser edited the
programme. Every programme object passes ``full_clean`` before it is saved.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from ketenconf.core.tenancy import with_scopes_disabled
from ketenconf.events.models import (
    Edition,
    Organisation,
    Room,
    RoomKind,
    Series,
    SeriesPartner,
    Venue,
)
from ketenconf.programme.models import Block, BlockKind, Host, Session, Topic
from ketenconf.programme.services import programme_changed
from ketenconf.questions.services import questions_add_defaults
from ketenconf.registration.services import (
    registration_create,
    registration_set_preferences,
    registration_set_rounds,
)
from ketenconf.team.models import EditionRole, Role
from ketenconf.team.services import edition_role_grant, user_roles_from_organisation

from .editions import (
    CHAIN_LINK_THEMES,
    DOOR_STAFF_USERS,
    EDITIONS,
    HOST_USERS,
    ORGANISER_USERNAME,
    ROOM_KINDS,
    SERIES,
    STAFF_USERS,
    EditionSpec,
    SeriesSpec,
)
from .history import edition_history, networking_setup
from .organisations import ORGANISATIONS
from .participants import edition_preference_topics, generate_participants, generate_preferences

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEFAULT_PASSWORD = "ketenconf-demo"  # noqa: S105 - demo data only, printed on purpose

M = TypeVar("M", bound=Model)


def demo_password() -> str:
    """The password of the demo accounts: ``KETENCONF_DEMO_PASSWORD`` or a fixed demo one."""
    return os.environ.get("KETENCONF_DEMO_PASSWORD") or DEFAULT_PASSWORD


@dataclass(frozen=True)
class DemoLogin:
    username: str
    organisation: str  # short name, or "" for the superuser
    is_superuser: bool
    created: bool
    password_works: bool  # False when someone changed the password since it was created
    roles: tuple[str, ...] = ()  # "<role> of <edition slug>", one per edition


@dataclass
class DemoSummary:
    created: Counter[str] = field(default_factory=Counter)  # what this run created, by kind
    existing: Counter[str] = field(default_factory=Counter)  # what was already there
    logins: list[DemoLogin] = field(default_factory=list)
    password: str = ""

    @property
    def changed(self) -> bool:
        return sum(self.created.values()) > 0


def _get_or_create(
    summary: DemoSummary, label: str, model: type[M], lookup: dict[str, Any], **values: Any
) -> tuple[M, bool]:
    found = model._default_manager.filter(**lookup).first()
    if found is not None:
        summary.existing[label] += 1
        return found, False
    return _create(summary, label, model, **lookup, **values), True


def _create(summary: DemoSummary, label: str, model: type[M], **values: Any) -> M:
    obj = model(**values)
    obj.full_clean()
    obj.save()
    summary.created[label] += 1
    return obj


def _moment(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return timezone.make_aware(datetime.combine(day, time(hours, minutes)), AMSTERDAM)


def _load_series(
    summary: DemoSummary, spec: SeriesSpec, organisations: dict[str, Organisation]
) -> Series:
    series, created = _get_or_create(
        summary,
        "series",
        Series,
        {"slug": spec.slug},
        name_nl=spec.name_nl,
        name_en=spec.name_en,
        description_nl=spec.description_nl,
        description_en=spec.description_en,
    )
    if created:
        for position, short_name in enumerate(spec.partners, start=1):
            _create(
                summary,
                "partners",
                SeriesPartner,
                series=series,
                organisation=organisations[short_name],
                position=position,
            )
    return series


def _load_programme(
    summary: DemoSummary, edition: Edition, spec: EditionSpec, orgs: dict[str, Organisation]
) -> dict[str, Topic]:
    rooms = {
        name: _create(
            summary,
            "rooms",
            Room,
            edition=edition,
            name=name,
            kind=ROOM_KINDS.get(name, RoomKind.WORKSHOP),
            capacity=cap,
            step_free=step_free,
        )
        for name, cap, step_free in spec.rooms
    }
    blocks = {
        key: _create(
            summary,
            "blocks",
            Block,
            edition=edition,
            kind=kind,
            title_nl=title_nl,
            title_en=title_en,
            start=_moment(spec.day, start),
            end=_moment(spec.day, end),
        )
        for key, kind, start, end, title_nl, title_en in spec.blocks
    }
    topics: dict[str, Topic] = {}
    for t in spec.topics:
        theme_nl, theme_en = CHAIN_LINK_THEMES[t.chain_links[0]] if t.chain_links else ("", "")
        topics[t.key] = _create(
            summary,
            "topics",
            Topic,
            edition=edition,
            kind=t.kind,
            title_nl=t.title_nl,
            title_en=t.title_en,
            description_nl=t.description_nl,
            description_en=t.description_en,
            theme_nl=theme_nl,
            theme_en=theme_en,
            language=t.language,
        )
        for order, h in enumerate(t.hosts):
            _create(
                summary,
                "hosts",
                Host,
                topic=topics[t.key],
                name=h.name,
                role_nl=h.role_nl,
                role_en=h.role_en,
                organisation=orgs[h.organisation] if h.organisation else None,
                order=order,
            )
    for block_key, sessions in spec.sessions.items():
        for topic_key, room_name, capacity in sessions:
            _create(
                summary,
                "sessions",
                Session,
                edition=edition,
                topic=topics[topic_key],
                block=blocks[block_key],
                room=rooms[room_name],
                capacity=capacity,
            )
    # The loader writes rows as they are: the public programme is renewed once, here.
    programme_changed(edition_id=edition.pk)
    return topics


# How many synthetic people register for an edition open for registration: enough to try the
# workshop assignment on, leaving seats for whoever tries the registration form.
DEMO_REGISTRATIONS = 450


def _load_registrations(
    summary: DemoSummary, edition: Edition, spec: EditionSpec, topics: dict[str, Topic]
) -> None:
    """Synthetic participants with ranked workshops, through the registration services.

    They come from a trusted list, so no mail goes out and their addresses count as confirmed.
    """
    people = generate_participants(count=DEMO_REGISTRATIONS, seed=spec.day.year)
    preference_topics, round_keys = edition_preference_topics(spec)
    preferences = {
        p.email: p
        for p in generate_preferences(people, preference_topics, round_keys, seed=spec.day.year)
    }
    rounds = dict(
        zip(round_keys, edition.blocks.filter(kind="round").order_by("start"), strict=True)
    )
    organisations = {o.short_name: o for o in Organisation.objects.all()}
    registered = []
    for person in people:
        outcome = registration_create(
            edition=edition,
            name=person.name,
            email=person.email,
            organisation=organisations[person.organisation],
            job_title=person.job_title,
            answers={"dietary_needs": person.dietary_needs} if person.dietary_needs else None,
            needs_step_free=person.needs_step_free,
            networking_consent=person.networking_consent,
            language=person.language,
            notify=False,
            confirmed=True,
        )
        registered.append((outcome.registration, person))
        wish = preferences[person.email]
        registration_set_preferences(
            registration=outcome.registration, topic_ids=[topics[key].pk for key in wish.ranking]
        )
        if wish.rounds is not None:
            registration_set_rounds(
                registration=outcome.registration,
                attended_block_ids=[rounds[key].pk for key in wish.rounds],
            )
        summary.created["registrations"] += 1
    # Networking ready to try, as the market is: slots, tables, and people who agreed and said
    # what they want to talk about, so that "propose meetings" proposes meetings.
    networking_setup(edition, registered, random.Random(spec.day.year))


def _load_edition(
    summary: DemoSummary,
    spec: EditionSpec,
    series: dict[str, Series],
    organisations: dict[str, Organisation],
) -> None:
    venue_name, address, city = spec.venue
    venue, _ = _get_or_create(
        summary, "venues", Venue, {"name": venue_name, "city": city}, address=address
    )
    edition, created = _get_or_create(
        summary,
        "editions",
        Edition,
        {"slug": spec.slug},
        series=series[spec.series],
        title_nl=spec.title_nl,
        title_en=spec.title_en,
        theme_nl=spec.theme_nl,
        theme_en=spec.theme_en,
        description_nl=spec.description_nl,
        description_en=spec.description_en,
        start_date=spec.day,
        end_date=spec.day,
        venue=venue,
        capacity=spec.capacity,
        status=spec.status,
        lead_organisation=organisations[spec.lead],
        # Nothing moves on its own while someone looks at the demo; the day's page can re-offer.
        reoffer_minutes_before=None,
    )
    if created:
        questions_add_defaults(edition=edition)
        topics = _load_programme(summary, edition, spec, organisations)
        if spec.status == "registration_open":
            _load_registrations(summary, edition, spec, topics)
        elif spec.status == "finished":
            # A past edition gets its day and its survey once, when it is created.
            history = edition_history(
                edition=edition, spec=spec, topics=topics, organisations=organisations
            )
            summary.created["registrations"] += history.registrations


def _load_user(
    summary: DemoSummary,
    username: str,
    organisation: Organisation | None,
    password: str,
    *,
    role: tuple[Role, Edition] | None = None,
) -> None:
    """An account; staff of an organisation get the roles it implies in every edition, and
    ``role`` gives one role in one edition (door staff, a host)."""
    user_model = get_user_model()
    superuser = organisation is None and role is None
    user = user_model._default_manager.filter(username=username).first()
    created = user is None
    if user is None:
        user = user_model(
            username=username,
            organisation=organisation,
            is_staff=True,
            is_superuser=superuser,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        summary.created["users"] += 1
    else:
        summary.existing["users"] += 1
    if role is not None:
        kind, edition = role
        if not EditionRole.objects.filter(edition=edition, user=user).exists():
            topics = (
                Topic.objects.filter(edition=edition, sessions__block__kind=BlockKind.ROUND)
                .distinct()
                .order_by("pk")[:2]
                if kind == Role.HOST
                else []
            )
            edition_role_grant(edition=edition, user=user, role=kind, topics=topics, by=None)
    else:
        user_roles_from_organisation(user=user)
    summary.logins.append(
        DemoLogin(
            username=username,
            organisation=organisation.short_name if organisation else "",
            is_superuser=superuser,
            created=created,
            password_works=user.check_password(password),
            roles=tuple(
                f"{row.get_role_display()} of {row.edition.slug}"
                for row in EditionRole.objects.filter(user=user)
                .select_related("edition")
                .order_by("edition__start_date")
            ),
        )
    )


@with_scopes_disabled  # several editions and their history
@transaction.atomic
def demo_load(*, password: str | None = None) -> DemoSummary:
    """Create whatever of the demo is missing; return what was created and the logins."""
    summary = DemoSummary(password=password or demo_password())
    organisations: dict[str, Organisation] = {}
    for org in ORGANISATIONS:
        organisations[org.short_name], _ = _get_or_create(
            summary,
            "organisations",
            Organisation,
            {"name": org.name},
            short_name=org.short_name,
            kind=org.kind,
            chain_links=list(org.chain_links),
        )
    series = {spec.slug: _load_series(summary, spec, organisations) for spec in SERIES}
    for edition in EDITIONS:
        _load_edition(summary, edition, series, organisations)
    _load_user(summary, ORGANISER_USERNAME, None, summary.password)
    for username, short_name in STAFF_USERS:
        _load_user(summary, username, organisations[short_name], summary.password)
    for username, slug in DOOR_STAFF_USERS:
        duty = Edition.objects.get(slug=slug)
        _load_user(summary, username, None, summary.password, role=(Role.DOOR, duty))
    for username, slug in HOST_USERS:
        hosted = Edition.objects.get(slug=slug)
        _load_user(summary, username, None, summary.password, role=(Role.HOST, hosted))
    return summary

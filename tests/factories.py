"""One factory per model, with no surprises: what a test relies on, it sets."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from ketenconf.accounts.models import User
from ketenconf.events.models import (
    Edition,
    EditionStatus,
    Organisation,
    OrganisationKind,
    Room,
    Series,
    SeriesPartner,
    Venue,
)
from ketenconf.programme.models import Block, BlockKind, Host, Session, SessionKind, Topic
from ketenconf.team.services import user_roles_from_organisation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    short_name = factory.Sequence(lambda n: f"ORG{n}")
    kind = OrganisationKind.NATIONAL_AGENCY
    chain_links = factory.LazyFunction(list)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True  # the roles hook saves rows of its own

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create: bool, extracted: object, **kwargs: object) -> None:
        """The roles the organisation implies in the editions that exist, as the migration
        gave the accounts of the time; ``roles=False`` gives none."""
        if create and extracted is not False:
            user_roles_from_organisation(user=self)


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    name_nl = factory.Sequence(lambda n: f"Ketenconferentie {n}")
    slug = factory.Sequence(lambda n: f"series-{n}")


class SeriesPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeriesPartner

    series = factory.SubFactory(SeriesFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    position = factory.Sequence(lambda n: n)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = "Congrescentrum"
    city = "Utrecht"


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    series = factory.SubFactory(SeriesFactory)
    slug = factory.Sequence(lambda n: f"editie-{n}")
    title_nl = factory.Sequence(lambda n: f"Ketenconferentie {2000 + n}")
    title_en = factory.Sequence(lambda n: f"Chain Conference {2000 + n}")
    theme_nl = "Samen werken in de keten"
    theme_en = "Working together along the chain"
    start_date = dt.date(2027, 4, 15)
    end_date = factory.LazyAttribute(lambda e: e.start_date)
    venue = factory.SubFactory(VenueFactory)
    capacity = 600
    status = EditionStatus.PUBLISHED
    lead_organisation = factory.SubFactory(OrganisationFactory)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Zaal {n}")
    capacity = 40
    step_free = True


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    edition = factory.SubFactory(EditionFactory)
    kind = BlockKind.ROUND
    title_nl = "Ronde 1"
    title_en = "Round 1"
    start = factory.LazyAttribute(lambda b: at(b.edition.start_date, 11))
    end = factory.LazyAttribute(lambda b: b.start + dt.timedelta(hours=1))


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    edition = factory.SubFactory(EditionFactory)
    kind = SessionKind.WORKSHOP
    title_nl = factory.Sequence(lambda n: f"Workshop {n}")
    title_en = factory.Sequence(lambda n: f"Workshop {n} (en)")
    description_nl = "Over **samenwerking**."


class HostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Host

    topic = factory.SubFactory(TopicFactory)
    name = factory.Sequence(lambda n: f"Host {n}")
    organisation = factory.SubFactory(OrganisationFactory)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    edition = factory.SubFactory(EditionFactory)
    topic = factory.SubFactory(TopicFactory, edition=factory.SelfAttribute("..edition"))
    block = factory.SubFactory(BlockFactory, edition=factory.SelfAttribute("..edition"))
    room = factory.SubFactory(RoomFactory, edition=factory.SelfAttribute("..edition"))


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration written directly, for tests of what happens after registering."""

    class Meta:
        model = "registration.Registration"

    edition = factory.SubFactory(EditionFactory, status=EditionStatus.REGISTRATION_OPEN)
    email = factory.Sequence(lambda n: f"deelnemer{n}@example.org")
    name = factory.Sequence(lambda n: f"Deelnemer {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    status = "registered"


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluation.Survey"

    edition = factory.SubFactory(EditionFactory, status=EditionStatus.FINISHED)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluation.Question"

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n)
    kind = "rating"
    text_nl = factory.Sequence(lambda n: f"Vraag {n}")
    text_en = factory.Sequence(lambda n: f"Question {n}")

"""What the loaded demo holds: full days, consistent rooms, hosts from the articles, logins,
and the open edition's participants. The demo is loaded once for the module (see conftest)."""

from collections import Counter
from itertools import combinations, pairwise
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from ketenconf.demo.load import DEFAULT_PASSWORD
from ketenconf.events.models import (
    Edition,
    EditionStatus,
)
from ketenconf.events.permissions import editions_editable_by
from ketenconf.events.services import series_next_lead
from ketenconf.programme.models import BlockKind, Host, Session, Topic
from ketenconf.registration.models import Registration

pytestmark = pytest.mark.django_db

SLUGS = ("ketenconferentie-2018", "van-migratie-tot-participatie-2024")


def test_both_editions_are_finished_with_their_lead_and_rotation(loaded):
    old = Edition.objects.get(slug=SLUGS[0])
    new = Edition.objects.get(slug=SLUGS[1])
    assert {old.status, new.status} == {EditionStatus.FINISHED}
    assert old.lead_organisation.short_name == "DT&V"
    assert [p.organisation.short_name for p in old.series.partnerships.all()] == [
        "IND",
        "COA",
        "DT&V",
        "J&V",
    ]
    assert series_next_lead(series=old.series, after=old.lead_organisation).short_name == "J&V"
    assert new.lead_organisation.short_name == "VNG"
    assert [p.organisation.short_name for p in new.series.partnerships.all()] == [
        "VNG",
        "J&V",
        "SZW",
        "BZK",
    ]
    assert (old.venue.city, new.venue.name) == ("'s-Hertogenbosch", "Beatrixgebouw")
    assert old.theme_nl == "Samen werken aan flexibilisering in de migratieketen"
    for edition in (old, new):
        assert edition.title_en and edition.description_nl and edition.description_en


@pytest.mark.parametrize("slug", SLUGS)
def test_each_edition_has_a_full_day_in_amsterdam_time(slug, loaded):
    edition = Edition.objects.get(slug=slug)
    blocks = list(edition.blocks.order_by("start"))
    kinds = Counter(block.kind for block in blocks)
    for kind in BlockKind.values:
        assert kinds[kind] >= 1, kind
    amsterdam = ZoneInfo("Europe/Amsterdam")
    assert blocks[0].start.astimezone(amsterdam).hour == 9
    assert blocks[-1].kind == BlockKind.DRINKS
    for block in blocks:
        assert block.start.astimezone(amsterdam).date() == edition.start_date
    for earlier, later in pairwise(blocks):
        assert earlier.end <= later.start, f"{earlier} overlaps {later}"


@pytest.mark.parametrize(("slug", "rounds"), [(SLUGS[0], 2), (SLUGS[1], 3)])
def test_rounds_have_parallel_sessions_and_some_topics_run_twice(slug, rounds, loaded):
    edition = Edition.objects.get(slug=slug)
    round_blocks = edition.blocks.filter(kind=BlockKind.ROUND)
    assert round_blocks.count() == rounds
    for block in round_blocks:
        sessions = block.sessions.select_related("room")
        assert 6 <= sessions.count() <= 10
        assert any(not s.room.step_free for s in sessions)
        assert sum(s.effective_capacity for s in sessions if s.room.step_free) >= 30
    runs = Counter(
        Session.objects.filter(block__in=round_blocks).values_list("topic_id", flat=True)
    )
    assert sum(1 for n in runs.values() if n >= 2) >= 4
    plenary = edition.sessions.filter(block__kind=BlockKind.PLENARY).select_related("room")
    assert plenary and all(s.room.capacity >= edition.capacity for s in plenary)


def test_no_room_is_double_booked_and_no_session_exceeds_its_room(loaded):
    sessions = list(Session.objects.select_related("block", "room", "topic"))
    assert len({(s.block_id, s.room_id) for s in sessions}) == len(sessions)
    for a, b in combinations(sessions, 2):
        if a.room_id == b.room_id:
            assert a.block.end <= b.block.start or b.block.end <= a.block.start, (a, b)
    for session in sessions:
        assert session.effective_capacity <= session.room.capacity
        assert session.room.edition_id == session.edition_id == session.block.edition_id
        assert session.topic.edition_id == session.edition_id
        assert session.room.capacity >= 25
    capped = [s for s in sessions if s.capacity is not None]
    assert capped and all(s.capacity < s.room.capacity for s in capped)


def test_hosts_come_from_organisations_as_the_articles_give_them(loaded):
    without = sorted(set(Host.objects.filter(organisation=None).values_list("name", flat=True)))
    assert without == ["Ad Verbrugge", "Karin Geuijen", "Katinka Baehr"]
    talk_show = Topic.objects.get(edition__slug=SLUGS[0], kind="talk_show")
    assert [(h.name, h.organisation.short_name) for h in talk_show.hosts.all()] == [
        ("Jan Kees Goet", "J&V"),
        ("Aly van Berckel", "IND"),
        ("Gerard Bakker", "COA"),
        ("Jannita Robberse", "DT&V"),
    ]
    opening = Host.objects.get(name="Mark Harbers")
    assert (opening.role_nl, opening.organisation.short_name) == (
        "staatssecretaris van Justitie en Veiligheid",
        "J&V",
    )
    assert Host.objects.get(name="Monika Sie").organisation.short_name == "Clingendael"
    for topic in Topic.objects.exclude(
        edition__slug="ketenconferentie-2027", kind__in=["keynote", "talk_show"]
    ):
        assert topic.hosts.exists(), topic
        assert topic.title_nl and topic.title_en and topic.description_nl and topic.description_en
    labour = Topic.objects.filter(edition__slug=SLUGS[1], theme_en="labour migration")
    assert labour.count() >= 4
    assert Topic.objects.filter(kind="mini_lecture", hosts__organisation__short_name="VNG")


def test_the_demo_organiser_and_lead_staff_can_log_in(client, loaded):
    assert client.login(username="organisator", password=DEFAULT_PASSWORD)
    assert client.get("/admin/").status_code == 200
    client.logout()

    dtv = get_user_model().objects.get(username="dtv")
    assert dtv.is_staff and not dtv.is_superuser
    assert dtv.organisation.short_name == "DT&V"
    assert client.login(username="dtv", password=DEFAULT_PASSWORD)
    # DT&V led 2018 and is a partner of the series, so it edits the 2027 edition too.
    assert sorted(editions_editable_by(user=dtv).values_list("slug", flat=True)) == [
        SLUGS[0],
        "ketenconferentie-2027",
    ]
    vng = get_user_model().objects.get(username="vng")
    assert list(editions_editable_by(user=vng).values_list("slug", flat=True)) == [SLUGS[1]]


def test_the_open_edition_has_people_with_ranked_workshops_and_no_mail_went_out(loaded):
    from ketenconf.mail.models import OutboxMessage

    edition = Edition.objects.get(slug="ketenconferentie-2027")
    registrations = Registration.objects.filter(edition=edition)
    assert registrations.filter(status="registered", confirmed_at__isnull=False).count() == 450
    edition.refresh_from_db()
    assert (edition.capacity, edition.seats_taken) == (600, 450)
    workshop_ids = set(
        Session.objects.filter(edition=edition, block__kind="round").values_list(
            "topic_id", flat=True
        )
    )
    ranked = registrations.filter(preferences__isnull=False).distinct().count()
    assert ranked == 450
    assert set(registrations.values_list("preferences__topic_id", flat=True)) <= workshop_ids
    assert OutboxMessage.objects.count() == 0


def test_the_open_edition_is_ready_for_networking_and_meetings_can_be_proposed(loaded):
    """As it shows the market, the demo shows networking: slots, tables, people who agreed and
    said what they want to talk about; 'propose meetings' proposed 0 for lack of them."""
    from ketenconf.networking import selectors, services

    edition = Edition.objects.get(slug="ketenconferentie-2027")
    summary = selectors.edition_networking(edition=edition)
    assert selectors.networking_missing(summary=summary) == []
    assert (len(summary.slots), summary.tables) == (3, 30)
    assert summary.participants > 250 and summary.with_profile > 150
    run = services.meetings_propose(edition=edition, max_meetings=2, time_limit=5.0)
    assert run.proposed > 100

"""The re-offer on the day, on the small day of ``reoffer_day`` whose answer is known by hand:
a chain of three moves from one freed seat, nobody worse off, the opt-out kept, unranked
sessions never given, the started round untouched, the late arrival kept, capacities kept,
one mail each, and a second confirm that does nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ketenconf.allocation import selectors, services
from ketenconf.allocation.models import Assignment, AssignmentRun, Reoffer, ReofferStatus
from ketenconf.mail.models import OutboxMessage
from ketenconf.mail.services import mail_deliver
from tests.allocation.reoffer_day import BASE, Day, make_day, seats
from tests.mail.conftest import SMTPServer, smtp_server  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

AFTER = {
    "Lena": ("2D",),
    "Olga": ("1B", "2E"),
    "Walter": ("2E",),
    "Xander": ("1A",),
    "Yara": ("1A", "2C"),
    "Zeno": ("1B", "2D"),
}


@pytest.fixture
def day() -> Day:
    d = make_day()
    d.arrive("Yara", "Zeno", "Olga", "Walter", "Vera")
    return d


def preview(day: Day, before_round: int = 2) -> Reoffer:
    with translation.override("en"):
        return services.reoffer_preview(
            edition=day.edition, before_round=before_round, by=day.organiser
        )


def test_the_preview_finds_the_chain_and_changes_nothing_yet(day: Day) -> None:
    found = preview(day)

    assert found.status == ReofferStatus.PREVIEW
    assert found.figures["total"] == {
        "freed": 1,
        "refilled": 1,
        "upgrades": 2,
        "ranks_gained": 2,
        "walk_ins": 1,
        "empty": 5,
    }
    assert (found.figures["absent"], found.figures["walk_ins"], found.figures["worse_off"]) == (
        1,
        2,
        0,
    )
    s = day.sessions
    p = day.people
    assert [(m["registration"], m["from"], m["to"], m["gain"]) for m in found.moves] == [
        (p["Yara"].pk, s["2D"].pk, s["2C"].pk, 1),
        (p["Zeno"].pk, s["2E"].pk, s["2D"].pk, 1),
        (p["Walter"].pk, None, s["2E"].pk, None),
    ]
    assert selectors.published_run(edition=day.edition) == day.base
    assert OutboxMessage.objects.count() == 0


def test_confirm_publishes_the_new_seats_and_mails_each_mover_once(
    day: Day,
    smtp_server: SMTPServer,  # noqa: F811 - the fixture imported above
) -> None:
    outcome = services.reoffer_confirm(preview=preview(day), by=day.organiser)

    assert (outcome.published, outcome.already, outcome.mailed) == (True, False, 3)
    run = selectors.published_run(edition=day.edition)
    assert run is not None and run.pk != day.base.pk and run == outcome.reoffer.run
    assert seats(run) == AFTER
    assert seats(day.base) == {name: tuple(k for k in keys if k) for name, keys in BASE.items()}
    for pk in OutboxMessage.objects.order_by("pk").values_list("pk", flat=True):
        assert mail_deliver(message_id=pk) == "sent"
    received = {m["To"]: m for m in smtp_server.recorder.received()}
    assert sorted(received) == [
        "walter@example.org",
        "yara@example.org",
        "zeno@example.org",
    ]
    yara = received["yara@example.org"]
    assert yara["Subject"] == "A better workshop seat for you at Chain Conference 2027"
    body = yara.get_body(("plain",)).get_content()
    assert "- Workshop C: room Zaal C at Congrescentrum, starts at 11:30 (Round 2)" in body


def test_a_second_confirm_changes_nothing(day: Day) -> None:
    found = preview(day)
    first = services.reoffer_confirm(preview=found, by=day.organiser)
    runs = AssignmentRun.objects.count()
    mails = OutboxMessage.objects.count()

    again = services.reoffer_confirm(preview=found, by=day.organiser)

    assert (again.published, again.already, again.mailed) == (False, True, 0)
    assert (AssignmentRun.objects.count(), OutboxMessage.objects.count()) == (runs, mails)
    assert selectors.published_run(edition=day.edition) == first.reoffer.run


def test_someone_who_arrives_after_the_preview_keeps_their_seat_and_the_chain_stays(
    day: Day,
) -> None:
    found = preview(day)
    day.arrive("Xander")

    outcome = services.reoffer_confirm(preview=found, by=day.organiser)

    assert outcome.published
    assert outcome.reoffer.kept_in_place == 4  # Xander, and the chain of three behind his seat
    run = selectors.published_run(edition=day.edition)
    assert seats(run) == {name: tuple(k for k in keys if k) for name, keys in BASE.items()}
    assert outcome.mailed == 0


def test_nobody_is_worse_off_and_no_session_is_over_its_capacity(day: Day) -> None:
    outcome = services.reoffer_confirm(preview=preview(day), by=day.organiser)
    run = outcome.reoffer.run
    for session in day.sessions.values():
        taken = Assignment.objects.filter(run=run, session=session).count()
        assert taken <= session.effective_capacity
    for name in ("Yara", "Zeno", "Olga", "Lena"):
        before = {
            a.block_id: a.rank or 99
            for a in Assignment.objects.filter(run=day.base, registration=day.people[name])
        }
        after = {
            a.block_id: a.rank or 99
            for a in Assignment.objects.filter(run=run, registration=day.people[name])
        }
        assert set(after) == set(before)
        assert all(after[block] <= before[block] for block in before)
    vera = day.people["Vera"]
    assert not Assignment.objects.filter(run=run, registration=vera).exists()


def test_a_preview_after_another_publication_publishes_nothing(day: Day) -> None:
    old = preview(day)
    services.reoffer_confirm(preview=preview(day), by=day.organiser)

    with translation.override("en"):
        outcome = services.reoffer_confirm(preview=old, by=day.organiser)

    assert (outcome.published, outcome.reoffer.status) == (False, ReofferStatus.NOTHING)
    assert outcome.message == "The published seats changed after this preview; make a new preview."


def test_bad_rounds_are_refused_in_words(day: Day) -> None:
    with pytest.raises(ValidationError) as error:
        preview(day, before_round=3)
    assert error.value.message_dict == {"before_round": ["Choose a round from 1 to 2."]}
    with pytest.raises(ValidationError) as error, translation.override("en"):
        services.reoffer_preview(
            edition=day.edition,
            before_round=1,
            by=None,
            now=day.rounds[0].start + timedelta(minutes=1),
        )
    assert error.value.message_dict == {
        "before_round": ["Round 1 has started; re-offer from a later round."]
    }


def test_the_periodic_job_reoffers_once_before_each_round(day: Day) -> None:
    day.edition.reoffer_minutes_before = 20
    day.edition.save()
    now = day.rounds[1].start - timedelta(minutes=15)

    assert services.reoffer_due(now=now) == f"{day.edition.slug} round 2: 3 moved"
    assert services.reoffer_due(now=now + timedelta(minutes=1)) == "nothing due"
    assert seats(selectors.published_run(edition=day.edition)) == AFTER
    assert services.reoffer_due(now=day.rounds[1].start - timedelta(minutes=40)) == "nothing due"

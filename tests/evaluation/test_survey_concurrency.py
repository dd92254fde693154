"""One response per participant when two submits arrive at the same moment, on PostgreSQL: each
submit is a thread with its own connection (SQLite's IMMEDIATE transactions serialise writers,
so there is nothing to race there)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from ketenconf.evaluation import services
from ketenconf.evaluation.models import Answer, Response, SurveyInvitation
from ketenconf.mail.models import OutboxMessage
from tests.evaluation import make_survey_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at once; an exception is returned as the result."""
    results: list[Any] = [None] * len(calls)
    gate = threading.Barrier(len(calls))

    def run(index: int) -> None:
        try:
            gate.wait()
            # A thread starts without the test's scope: as the test does, it crosses editions.
            with scopes_disabled():
                results[index] = calls[index]()
        except Exception as error:  # the test looks at what each call got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("who", ["anna", "cor"])
@pytest.mark.parametrize("attempt", range(3))
def test_two_submits_at_once_make_one_response(who: str, attempt: int) -> None:
    """anna was invited; cor was not (no row yet: both submits try to make it)."""
    world = make_survey_world()
    services.survey_send_invitations(survey=world.survey)
    q = world.questions

    def submit(rating: int) -> Callable[[], Any]:
        return lambda: services.survey_submit(
            survey=world.survey,
            registration=world.people[who],
            answers={q["day"].pk: rating},
            quote_consent=False,
        )

    results = together(submit(1), submit(5))
    kinds = sorted(type(result).__name__ for result in results)
    assert kinds == ["Response", "SurveyUnavailable"]
    response = Response.objects.get()
    winner = next(r for r in results if isinstance(r, Response))
    assert response.pk == winner.pk
    assert Answer.objects.count() == 1
    assert (
        SurveyInvitation.objects.filter(
            registration=world.people[who], answered_at__isnull=False
        ).count()
        == 1
    )


def test_two_organisers_send_the_invitations_at_once_one_mail_each() -> None:
    world = make_survey_world()
    results = together(
        lambda: services.survey_send_invitations(survey=world.survey),
        lambda: services.survey_send_invitations(survey=world.survey),
    )
    assert sorted(results) == [0, 2]
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == [
        "anna@example.org",
        "bram@example.org",
    ]

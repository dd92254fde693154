"""The rules of registration questions and answers, through the services every way in uses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from ketenconf.core.personal_data import personal_data_sections
from ketenconf.events.services import edition_create_next
from ketenconf.mail.models import OutboxMessage
from ketenconf.questions import selectors, services
from ketenconf.questions.models import Answer, Question
from ketenconf.registration import services as registration_services
from ketenconf.registration.exports import EXPORTERS
from ketenconf.registration.models import Registration
from tests.factories import SeriesPartnerFactory

from .conftest import World

pytestmark = pytest.mark.django_db


def register(world: World, email: str = "anna@example.org", **extra: Any) -> Registration:
    extra.setdefault("organisation", world.municipality)
    return registration_services.registration_create(
        edition=world.edition, name="Anna de Vries", email=email, **extra
    ).registration


def question(world: World, kind: str, **extra: Any) -> Question:
    return services.question_create(
        edition=world.edition,
        kind=kind,
        text_nl=f"Vraag {kind}",
        text_en=f"Question {kind}",
        **extra,
    )


def clean(q: Question, raw: Any, language: str = "en") -> Any:
    with translation.override(language):
        return services.answers_clean(
            questions=[q], raw={q.key: raw}, organisation_kind="ngo", language=language
        )


@pytest.mark.parametrize(
    ("kind", "raw", "stored"),
    [
        ("short_text", "  vegan  ", "vegan"),
        ("long_text", "regel 1\r\nregel 2", "regel 1\nregel 2"),
        ("yes_no", "ja", True),
        ("yes_no", False, False),
        ("number", "2,5", 2.5),
        ("number", 12, 12),
        ("date", "2027-03-14", "2027-03-14"),
    ],
)
def test_answers_are_stored_as_their_kind(world: World, kind: str, raw: Any, stored: Any) -> None:
    q = question(world, kind)
    assert clean(q, raw) == {q.pk: stored}


@pytest.mark.parametrize(
    ("kind", "raw", "english", "dutch"),
    [
        (
            "short_text",
            "x" * 301,
            "Keep this answer under 300 characters (it has 301).",
            "Houd dit antwoord onder 300 tekens (het heeft er 301).",
        ),
        ("short_text", 12, "Give this answer as text.", "Geef dit antwoord als tekst."),
        ("yes_no", "misschien", "Answer yes or no.", "Antwoord ja of nee."),
        (
            "number",
            "twaalf",
            "Give a number, such as 12 or 2,5.",
            "Geef een getal, zoals 12 of 2,5.",
        ),
        ("number", True, "Give a number, such as 12 or 2,5.", "Geef een getal, zoals 12 of 2,5."),
        (
            "date",
            "14-03-2027",
            "Give a date as year-month-day, such as 2027-03-14.",
            "Geef een datum als jaar-maand-dag, zoals 2027-03-14.",
        ),
    ],
)
def test_a_wrong_answer_is_refused_in_the_users_language(
    world: World, kind: str, raw: Any, english: str, dutch: str
) -> None:
    q = question(world, kind)
    for language, expected in (("en", english), ("nl", dutch)):
        with pytest.raises(ValidationError) as caught:
            clean(q, raw, language)
        assert caught.value.message_dict == {q.key: [expected]}


def test_choices_take_option_keys_only(world: World) -> None:
    lunch = world.lunch
    assert clean(lunch, "vlees") == {lunch.pk: "vlees"}
    with pytest.raises(ValidationError) as caught:
        clean(lunch, "Vis", "nl")
    assert caught.value.message_dict == {
        lunch.key: ["Kies een van: Vegetarisch, Vlees, Geen lunch."]
    }
    several = question(
        world,
        "choices",
        options=[{"nl": "Ochtend", "en": "Morning"}, {"nl": "Middag", "en": "Afternoon"}],
    )
    assert clean(several, ["middag", "ochtend", "middag"]) == {several.pk: ["ochtend", "middag"]}
    with pytest.raises(ValidationError) as caught:
        clean(several, ["avond"])
    assert caught.value.message_dict == {several.key: ["Choose from: Morning, Afternoon."]}


def test_a_required_question_asked_of_some_kinds_only_binds_them(world: World) -> None:
    q = question(world, "short_text", required=True, organisation_kinds=["municipality"])
    raw = {world.lunch.key: "vlees"}
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        services.answers_clean(
            questions=[world.lunch, q], raw=raw, organisation_kind="municipality", language="nl"
        )
    assert caught.value.message_dict == {q.key: ["Beantwoord deze vraag."]}
    # Someone of an NGO is not asked: an answer they send anyway is not kept.
    given = {**raw, q.key: "iets"}
    assert services.answers_clean(
        questions=[world.lunch, q], raw=given, organisation_kind="ngo", language="nl"
    ) == {world.lunch.pk: "vlees"}
    # Before the organisation is known (the page's first check) it is not required yet.
    assert services.answers_clean(
        questions=[world.lunch, q], raw=raw, organisation_kind=None, language="nl"
    ) == {world.lunch.pk: "vlees"}


def test_registering_writes_the_answers_by_key_or_id(world: World) -> None:
    registration = register(
        world, answers={world.lunch.key: "vegetarisch", "dietary_needs": "geen noten"}
    )
    assert selectors.answers_api(registration=registration) == {
        "dietary_needs": "geen noten",
        world.lunch.key: "vegetarisch",
    }
    second = register(world, email="bram@example.org", answers={str(world.lunch.pk): "vlees"})
    assert selectors.answers_api(registration=second) == {world.lunch.key: "vlees"}


def test_a_wrong_answer_writes_nothing(world: World) -> None:
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        register(
            world,
            organisation=None,
            organisation_name="Nieuwe Stichting",
            answers={world.lunch.key: "vis", "kleur": "blauw"},
        )
    assert caught.value.message_dict == {
        f"answers.{world.lunch.key}": ["Kies een van: Vegetarisch, Vlees, Geen lunch."],
        "answers.kleur": ["Deze editie heeft geen vraag kleur."],
    }
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        register(world)
    assert caught.value.message_dict == {f"answers.{world.lunch.key}": ["Beantwoord deze vraag."]}
    assert not Registration.objects.exists()
    assert not Answer.objects.exists()
    assert not OutboxMessage.objects.exists()
    from ketenconf.events.models import Organisation

    assert not Organisation.objects.filter(name="Nieuwe Stichting").exists()


def test_organisers_and_trusted_lists_need_not_answer_required_questions(world: World) -> None:
    outcome = registration_services.registration_create(
        edition=world.edition,
        name="Cees",
        email="cees@example.org",
        organisation=world.ngo,
        even_if_closed=True,
        notify=False,
    )
    assert outcome.created
    assert selectors.answers_api(registration=outcome.registration) == {}


def test_a_question_with_answers_keeps_its_kind(world: World) -> None:
    register(world, answers={world.lunch.key: "vlees"})
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        services.question_update(question=world.lunch, kind="short_text")
    assert caught.value.message_dict == {
        "kind": [
            "Deze vraag heeft 1 antwoord: het soort antwoord kan niet veranderen. "
            "Voeg in plaats daarvan een nieuwe vraag toe."
        ]
    }
    unanswered = question(world, "short_text")
    assert services.question_update(question=unanswered, kind="number").kind == "number"


def test_an_option_someone_chose_stays_but_its_text_may_change(world: World) -> None:
    register(world, answers={world.lunch.key: "vlees"})
    keep = [
        {"key": "vegetarisch", "nl": "Vegetarisch", "en": "Vegetarian"},
        {"key": "vlees", "nl": "Vlees of vis", "en": "Meat or fish"},
    ]
    changed = services.question_update(question=world.lunch, options=keep)
    assert [o["en"] for o in changed.options] == ["Vegetarian", "Meat or fish"]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.question_update(
            question=world.lunch, options=[*keep[:1], {"nl": "Vis", "en": "Fish"}]
        )
    assert caught.value.message_dict == {
        "options": ["Vlees of vis was chosen once: it cannot be removed."]
    }


def test_a_choice_question_needs_two_options_and_a_free_key(world: World) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        question(world, "choice", options=[{"nl": "Ja", "en": "Yes"}])
    assert caught.value.message_dict == {"options": ["Give at least two options to choose from."]}
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        question(world, "short_text", key="dietary_needs")
    assert caught.value.message_dict == {
        "key": ["This edition has a question dietary_needs already."]
    }
    # Without a key one is made from the English text, unique in the edition.
    assert question(world, "number").key == "question-number"
    assert question(world, "number").key == "question-number-2"


def test_deleting_a_question_takes_its_answers(world: World) -> None:
    register(world, answers={world.lunch.key: "vlees"})
    register(world, email="bram@example.org", answers={world.lunch.key: "vlees"})
    assert services.question_delete(question=world.lunch) == 2
    assert not Answer.objects.exists()
    assert Registration.objects.count() == 2


def test_a_new_edition_starts_with_the_two_default_questions(world: World) -> None:
    SeriesPartnerFactory(series=world.edition.series, organisation=world.edition.lead_organisation)
    following = edition_create_next(series=world.edition.series, slug="keten-2028")
    assert [(q.key, q.kind, q.position) for q in Question.objects.filter(edition=following)] == [
        ("dietary_needs", "short_text", 1),
        ("accessibility_needs", "short_text", 2),
    ]


def test_answers_change_until_the_doors_open(world: World) -> None:
    registration = register(world, answers={world.lunch.key: "vlees"})
    world.edition.doors_open_at = timezone.now() + dt.timedelta(hours=1)
    world.edition.save()
    services.registration_answers_save(
        registration=registration, raw={world.lunch.key: "vegetarisch"}, language="nl"
    )
    assert selectors.answers_api(registration=registration) == {world.lunch.key: "vegetarisch"}
    later = timezone.now() + dt.timedelta(hours=2)
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        services.registration_answers_save(
            registration=registration, raw={world.lunch.key: "vlees"}, language="nl", now=later
        )
    assert caught.value.messages == [
        "De antwoorden kunnen voor deze editie niet meer worden gewijzigd."
    ]
    assert selectors.answers_api(registration=registration) == {world.lunch.key: "vegetarisch"}


def test_the_export_has_a_column_per_question(world: World) -> None:
    register(world, answers={world.lunch.key: "vlees", "dietary_needs": "halal"})
    with translation.override("en"):
        text = EXPORTERS["csv"].render(Registration.objects.all()).decode()
    header, row = text.splitlines()[:2]
    columns = header.split(",")
    assert columns[9:12] == ["Dietary wishes", "Accessibility needs", "Which lunch would you like?"]
    assert row.split(",")[9:12] == ["halal", "", "Meat"]


def test_the_report_counts_choices_and_only_counts_free_text(world: World) -> None:
    register(world, answers={world.lunch.key: "vlees", "dietary_needs": "halal"})
    register(world, email="b@example.org", answers={world.lunch.key: "vlees"})
    register(world, email="c@example.org", answers={world.lunch.key: "geen-lunch"})
    report = {
        r.question.key: r for r in selectors.questions_report(edition=world.edition, language="nl")
    }
    assert report[world.lunch.key].counts == [("Vegetarisch", 0), ("Vlees", 2), ("Geen lunch", 1)]
    assert (report["dietary_needs"].answered, report["dietary_needs"].counts) == (1, [])


def test_the_download_and_the_end_of_retention(world: World) -> None:
    registration = register(world, answers={world.lunch.key: "vlees", "dietary_needs": "halal"})
    assert personal_data_sections(registration=registration)["answers"] == [
        {
            "key": "dietary_needs",
            "question_nl": "Dieetwensen",
            "question_en": "Dietary wishes",
            "answer": "halal",
        },
        {
            "key": world.lunch.key,
            "question_nl": "Welke lunch wilt u?",
            "question_en": "Which lunch would you like?",
            "answer": "vlees",
        },
    ]
    registration_services.edition_anonymise(edition=world.edition)
    # Free text may say who someone is: gone. The choice stays for the report, nameless.
    assert list(Answer.objects.values_list("question__key", "value")) == [
        (world.lunch.key, "vlees")
    ]

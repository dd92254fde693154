"""Dietary wishes and accessibility needs were fixed fields of a registration: every edition
gets them as its first two questions, and what participants wrote is kept as their answers
(the fields go in the registration's next migration)."""

from django.db import migrations

DEFAULTS = (
    (
        "dietary_needs",
        "Dieetwensen",
        "Dietary wishes",
        "Bijvoorbeeld vegetarisch, halal of een allergie.",
        "For example vegetarian, halal or an allergy.",
    ),
    (
        "accessibility_needs",
        "Toegankelijkheid",
        "Accessibility needs",
        "Wat hebt u nodig om goed mee te kunnen doen?",
        "What do you need to take part fully?",
    ),
)


def forwards(apps, schema_editor):
    Edition = apps.get_model("events", "Edition")
    Registration = apps.get_model("registration", "Registration")
    Question = apps.get_model("questions", "Question")
    Answer = apps.get_model("questions", "Answer")
    for edition in Edition.objects.all().order_by("pk"):
        for position, (key, text_nl, text_en, help_nl, help_en) in enumerate(DEFAULTS, start=1):
            question = Question.objects.create(
                edition_id=edition.pk,
                key=key,
                kind="short_text",
                text_nl=text_nl,
                text_en=text_en,
                help_nl=help_nl,
                help_en=help_en,
                position=position,
            )
            given = (
                Registration.objects.filter(edition_id=edition.pk)
                .exclude(**{key: ""})
                .values_list("pk", key)
            )
            Answer.objects.bulk_create(
                (Answer(registration_id=pk, question_id=question.pk, value=value) for pk, value in given),
                batch_size=1000,
            )


def backwards(apps, schema_editor):
    Registration = apps.get_model("registration", "Registration")
    Answer = apps.get_model("questions", "Answer")
    for answer in Answer.objects.filter(question__key__in=[d[0] for d in DEFAULTS]).values(
        "registration_id", "question__key", "value"
    ):
        Registration.objects.filter(pk=answer["registration_id"]).update(
            **{answer["question__key"]: str(answer["value"])[:300]}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0001_initial"),
        ("registration", "0003_registration_day_choices"),
        ("events", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

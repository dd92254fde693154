from django.db import migrations, models


def number_runs(apps, schema_editor):
    """Existing runs numbered within their edition in the order they were started."""
    ScheduleRun = apps.get_model("proposals", "ScheduleRun")
    numbers: dict[int, int] = {}
    for run in ScheduleRun.objects.order_by("edition_id", "created_at", "pk"):
        numbers[run.edition_id] = numbers.get(run.edition_id, 0) + 1
        run.number = numbers[run.edition_id]
        run.save(update_fields=["number"])


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="schedulerun",
            name="number",
            field=models.PositiveIntegerField(
                blank=True, editable=False, null=True, verbose_name="number"
            ),
        ),
        migrations.RunPython(number_runs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="schedulerun",
            constraint=models.UniqueConstraint(
                fields=("edition", "number"), name="schedule_run_number_once_per_edition"
            ),
        ),
    ]

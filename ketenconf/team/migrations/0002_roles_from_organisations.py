"""Existing accounts keep their access: each active staff account gets, in every edition, the
role its organisation implied before roles (staff of the lead organisation: lead organiser;
staff of a partner of the series: partner organiser), and door staff become the door-staff
role of their edition."""

from django.db import migrations


def forward(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Edition = apps.get_model("events", "Edition")
    SeriesPartner = apps.get_model("events", "SeriesPartner")
    DoorStaff = apps.get_model("checkin", "DoorStaff")
    EditionRole = apps.get_model("team", "EditionRole")
    partners: dict[int, set[int]] = {}
    for series_id, organisation_id in SeriesPartner._base_manager.values_list(
        "series_id", "organisation_id"
    ):
        partners.setdefault(series_id, set()).add(organisation_id)
    staff = list(
        User._base_manager.filter(
            is_active=True, is_staff=True, is_superuser=False, organisation__isnull=False
        ).values_list("pk", "organisation_id")
    )
    rows = {}
    for edition in Edition._base_manager.all():
        for user_id, organisation_id in staff:
            if organisation_id == edition.lead_organisation_id:
                role = "lead"
            elif organisation_id in partners.get(edition.series_id, set()):
                role = "partner"
            else:
                continue
            rows[(edition.pk, user_id)] = EditionRole(
                edition_id=edition.pk, user_id=user_id, role=role, organisation_id=organisation_id
            )
    for duty in DoorStaff._base_manager.all():
        # An organiser of the edition who also had door duty keeps the larger role.
        rows.setdefault(
            (duty.edition_id, duty.user_id),
            EditionRole(edition_id=duty.edition_id, user_id=duty.user_id, role="door"),
        )
    EditionRole._base_manager.bulk_create(rows.values())


def backward(apps, schema_editor):
    DoorStaff = apps.get_model("checkin", "DoorStaff")
    EditionRole = apps.get_model("team", "EditionRole")
    DoorStaff._base_manager.bulk_create(
        DoorStaff(edition_id=row.edition_id, user_id=row.user_id)
        for row in EditionRole._base_manager.filter(role="door")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("team", "0001_initial"),
        ("checkin", "0001_initial"),
        ("events", "0008_edition_reoffer_settings"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]

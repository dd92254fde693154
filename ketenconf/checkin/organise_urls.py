"""The day itself in the workspace, /organise/<edition>/checkin/: door staff and organisers."""

from django.urls import path

from . import organise

app_name = "checkin"

urlpatterns = [
    path("", organise.edition, name="edition"),
    path("doors/<slug:door>/", organise.door, name="door"),
    path("doors/<slug:door>/search/", organise.search, name="search"),
    path(
        "doors/<slug:door>/registrations/<int:registration_id>/",
        organise.check_in_found,
        name="check_in_found",
    ),
    path("doors/<slug:door>/walk-in/", organise.walk_in, name="walk_in"),
    path(
        "doors/<slug:door>/walk-in/<int:registration_id>/workshops/",
        organise.walk_in_workshops,
        name="walk_in_workshops",
    ),
    path("sessions/<int:session_id>/", organise.room, name="room"),
    path("dashboard/", organise.dashboard, name="dashboard"),
    path("badges/", organise.badges, name="badges"),
    path("badges/batches/<int:batch_id>/", organise.batch, name="batch"),
    path("badges/batches/<int:batch_id>.pdf", organise.batch_pdf, name="batch_pdf"),
    path("badges/<int:registration_id>.pdf", organise.badge, name="badge"),
    path(
        "badges/<int:registration_id>/replace/",
        organise.badge_replace,
        name="badge_replace",
    ),
]

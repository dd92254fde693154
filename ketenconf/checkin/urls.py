"""The day itself, under /checkin/ beside the admin: staff only."""

from django.urls import path

from . import views

app_name = "checkin"

urlpatterns = [
    path("", views.editions, name="editions"),
    path("<slug:slug>/", views.edition, name="edition"),
    path("<slug:slug>/doors/<slug:door>/", views.door, name="door"),
    path("<slug:slug>/doors/<slug:door>/search/", views.search, name="search"),
    path(
        "<slug:slug>/doors/<slug:door>/registrations/<int:registration_id>/",
        views.check_in_found,
        name="check_in_found",
    ),
    path("<slug:slug>/doors/<slug:door>/walk-in/", views.walk_in, name="walk_in"),
    path("<slug:slug>/sessions/<int:session_id>/", views.room, name="room"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/badges/", views.badges, name="badges"),
    path("<slug:slug>/badges/batches/<int:batch_id>/", views.batch, name="batch"),
    path("<slug:slug>/badges/batches/<int:batch_id>.pdf", views.batch_pdf, name="batch_pdf"),
    path("<slug:slug>/badges/<int:registration_id>.pdf", views.badge, name="badge"),
    path(
        "<slug:slug>/badges/<int:registration_id>/replace/",
        views.badge_replace,
        name="badge_replace",
    ),
]

"""The organisers' assignment pages, under /admin/assignment/ beside the admin."""

from django.urls import path

from . import views

app_name = "allocation"

urlpatterns = [
    path("", views.editions, name="editions"),
    path("<int:edition_id>/", views.edition, name="edition"),
    path("<int:edition_id>/runs/<int:run_id>/", views.run, name="run"),
    path(
        "<int:edition_id>/runs/<int:run_id>/participants/<int:registration_id>/",
        views.participant,
        name="participant",
    ),
    path("<int:edition_id>/runs/<int:run_id>/publish/", views.publish, name="publish"),
    path(
        "<int:edition_id>/runs/<int:run_id>/<str:part>.json",
        views.download,
        name="download",
    ),
    path("<int:edition_id>/locks/<int:lock_id>/unlock/", views.unlock, name="unlock"),
]

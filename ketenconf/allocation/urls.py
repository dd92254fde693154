"""The workshop assignment of an edition in the workspace: /organise/<edition>/assignment/."""

from django.urls import path

from . import views

app_name = "allocation"

urlpatterns = [
    path("", views.edition, name="edition"),
    path("runs/<int:run_id>/", views.run, name="run"),
    path(
        "runs/<int:run_id>/participants/<int:registration_id>/",
        views.participant,
        name="participant",
    ),
    path("runs/<int:run_id>/publish/", views.publish, name="publish"),
    path(
        "runs/<int:run_id>/<str:part>.json",
        views.download,
        name="download",
    ),
    path("locks/<int:lock_id>/unlock/", views.unlock, name="unlock"),
]

"""The workshop assignment of an edition in the workspace: /organise/<edition>/assignment/."""

from django.urls import path

from . import organise

app_name = "allocation"

urlpatterns = [
    path("", organise.edition, name="edition"),
    path("runs/<int:run_id>/", organise.run, name="run"),
    path(
        "runs/<int:run_id>/participants/<int:registration_id>/",
        organise.participant,
        name="participant",
    ),
    path("runs/<int:run_id>/publish/", organise.publish, name="publish"),
    path(
        "runs/<int:run_id>/<str:part>.json",
        organise.download,
        name="download",
    ),
    path("locks/<int:lock_id>/unlock/", organise.unlock, name="unlock"),
]

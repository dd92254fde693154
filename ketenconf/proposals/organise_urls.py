"""The call for sessions of an edition in the workspace: /organise/<edition>/call/."""

from django.urls import path

from . import organise

app_name = "proposals_organise"

urlpatterns = [
    path("", organise.overview, name="overview"),
    path("proposals/<int:pk>/", organise.proposal, name="proposal"),
    path("schedule/", organise.schedule, name="schedule"),
    path("schedule/runs/<int:run_id>/", organise.run, name="run"),
    path("schedule/pins/<int:pin_id>/remove/", organise.pin_remove, name="pin_remove"),
]

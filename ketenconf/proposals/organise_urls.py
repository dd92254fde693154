"""The organising team's pages of the call for sessions, under /admin/proposals/."""

from django.urls import path

from . import organise

app_name = "proposals_organise"

urlpatterns = [
    path("", organise.editions, name="editions"),
    path("<int:edition_id>/", organise.overview, name="overview"),
    path("<int:edition_id>/proposals/<int:pk>/", organise.proposal, name="proposal"),
    path("<int:edition_id>/schedule/", organise.schedule, name="schedule"),
    path("<int:edition_id>/schedule/runs/<int:run_id>/", organise.run, name="run"),
    path(
        "<int:edition_id>/schedule/pins/<int:pin_id>/remove/",
        organise.pin_remove,
        name="pin_remove",
    ),
]

"""The day's page of an edition in the workspace: /organise/<edition>/day/."""

from django.urls import path

from . import organise_day as day

app_name = "allocation_day"

urlpatterns = [
    path("", day.day, name="day"),
    path("reoffers/<int:reoffer_id>/", day.reoffer_detail, name="reoffer"),
]

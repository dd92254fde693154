"""The organisers' organisation pages, under /organise/<edition>/organisations/."""

from django.urls import path

from . import organise

app_name = "events_organise"

urlpatterns = [
    path("", organise.proposed, name="proposed"),
    path("<int:pk>/accept/", organise.accept, name="accept"),
    path("<int:pk>/merge/", organise.merge, name="merge"),
]

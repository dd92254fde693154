"""The settings of an edition in the workspace: /organise/<edition>/settings/."""

from django.urls import path

from . import organise_settings as organise

app_name = "edition_settings"

urlpatterns = [
    path("", organise.edition_settings, name="edit"),
    path("ranking/<str:action>/", organise.ranking, name="ranking"),
    path("next/", organise.next_edition, name="next"),
]

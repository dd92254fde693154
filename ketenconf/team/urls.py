"""The page an invitation's link opens: /organise/invitation/<token>/."""

from django.urls import path

from . import views

app_name = "team_invitation"

urlpatterns = [path("<str:token>/", views.accept, name="accept")]

"""A host's own sessions in the workspace: /organise/<edition>/sessions/."""

from django.urls import path

from . import organise

app_name = "team_sessions"

urlpatterns = [path("", organise.sessions, name="list")]

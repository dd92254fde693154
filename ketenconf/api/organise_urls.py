"""The organiser's API tokens in the workspace: /organise/<edition>/api/."""

from django.urls import path

from . import organise

app_name = "api_tokens"

urlpatterns = [
    path("", organise.tokens, name="list"),
    path("<int:token_id>/revoke/", organise.revoke, name="revoke"),
]

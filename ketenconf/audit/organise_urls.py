"""The audit trail in the workspace: /organise/<edition>/audit/."""

from django.urls import path

from . import organise

app_name = "audit"

urlpatterns = [
    path("", organise.audit_list, name="list"),
]

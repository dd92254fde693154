"""The conference report of an edition in the workspace: /organise/<edition>/report/."""

from django.urls import path

from . import organise

app_name = "report"

urlpatterns = [
    path("", organise.report, name="edition"),
    path("report.pdf", organise.pdf, name="pdf"),
    path("report.xlsx", organise.xlsx, name="xlsx"),
]

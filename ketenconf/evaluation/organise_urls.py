"""The conference report of an edition in the workspace: /organise/<edition>/report/."""

from django.urls import path

from . import organise

app_name = "report"

urlpatterns = [
    path("", organise.report, name="edition"),
    path("survey/", organise.survey, name="survey"),
    path("report.pdf", organise.pdf, name="pdf"),
    path("pdf/", organise.pdf_start, name="pdf_start"),
    path("pdf/<int:report_id>/", organise.pdf_status, name="pdf_status"),
    path("pdf/<int:report_id>/report.pdf", organise.pdf_file, name="pdf_file"),
    path("report.xlsx", organise.xlsx, name="xlsx"),
]

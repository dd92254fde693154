"""The organisers' conference report, under /admin/report/ beside the admin."""

from django.urls import path

from . import report_views

app_name = "report"

urlpatterns = [
    path("", report_views.editions, name="editions"),
    path("<slug:slug>/", report_views.report, name="edition"),
    path("<slug:slug>/report.pdf", report_views.pdf, name="pdf"),
    path("<slug:slug>/report.xlsx", report_views.xlsx, name="xlsx"),
]

"""The organisers' import pages, under /admin/imports/ beside the admin."""

from django.urls import path

from . import organise

app_name = "imports"

urlpatterns = [
    path("", organise.new, name="new"),
    path("<int:job_id>/", organise.job, name="job"),
    path("<int:job_id>/import/", organise.run, name="run"),
]

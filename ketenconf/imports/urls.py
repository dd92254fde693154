"""The organisers' import pages, under /admin/imports/ beside the admin."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("<int:edition_id>/", views.new, name="new"),
    path("<int:edition_id>/<int:job_id>/", views.job, name="job"),
    path("<int:edition_id>/<int:job_id>/import/", views.run, name="run"),
]

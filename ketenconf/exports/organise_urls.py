"""The organisers' downloads, under /admin/exports/ beside the admin."""

from django.urls import path

from . import organise

app_name = "exports"

urlpatterns = [
    path("", organise.edition_tables, name="tables"),
    path("<str:identifier>", organise.table_download, name="table"),
]

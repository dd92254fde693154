"""The day itself, under /checkin/ beside the admin: staff only."""

from django.urls import URLPattern

app_name = "checkin"

urlpatterns: list[URLPattern] = []

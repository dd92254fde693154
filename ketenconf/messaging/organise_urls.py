"""The organisers' message pages, under /organise/<edition>/messages/."""

from django.urls import path

from . import organise

app_name = "messaging"

urlpatterns = [
    path("", organise.message_list, name="list"),
    path("new/", organise.message_new, name="new"),
    path("reminders/", organise.reminders, name="reminders"),
    path("<int:message_id>/", organise.message_detail, name="detail"),
]

"""The registrations of an edition in the workspace: /organise/<edition>/registrations/."""

from django.urls import path

from . import organise

app_name = "registrations"

urlpatterns = [
    path("", organise.registration_list, name="list"),
    path("add/", organise.registration_add, name="add"),
    path("<int:pk>/", organise.registration_detail, name="detail"),
    path("<int:pk>/<str:status>/", organise.registration_status, name="status"),
]

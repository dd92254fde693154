"""The programme of an edition in the workspace: /organise/<edition>/programme/."""

from django.urls import path

from . import organise

app_name = "programme_organise"

urlpatterns = [
    path("", organise.overview, name="overview"),
    path("blocks/add/", organise.block_edit, name="block_add"),
    path("blocks/<int:pk>/", organise.block_edit, name="block"),
    path("rooms/add/", organise.room_edit, name="room_add"),
    path("rooms/<int:pk>/", organise.room_edit, name="room"),
    path("sessions/add/", organise.session_edit, name="session_add"),
    path("sessions/<int:pk>/", organise.session_edit, name="session"),
    path("<str:kind>/<int:pk>/remove/", organise.remove, name="remove"),
]

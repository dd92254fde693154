"""The people of an edition in the workspace: /organise/<edition>/team/."""

from django.urls import path

from . import organise

app_name = "team"

urlpatterns = [
    path("", organise.people, name="people"),
    path("<int:role_id>/", organise.role_edit, name="role_edit"),
    path("<int:role_id>/remove/", organise.role_remove, name="role_remove"),
    path(
        "invitations/<int:invitation_id>/remove/",
        organise.invitation_remove,
        name="invitation_remove",
    ),
]

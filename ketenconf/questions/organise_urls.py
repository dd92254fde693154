"""The organisers' pages for the registration questions, under /organise/<edition>/questions/."""

from django.urls import path

from . import organise

app_name = "questions"

urlpatterns = [
    path("", organise.question_list, name="list"),
    path("new/", organise.question_new, name="new"),
    path("<int:question_id>/", organise.question_edit, name="edit"),
    path("<int:question_id>/delete/", organise.question_delete, name="delete"),
]

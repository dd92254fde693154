"""The participants' networking pages, under the personal page (they take no registration id)."""

from django.urls import path

from . import views

app_name = "networking"

urlpatterns = [
    path("me/networking/", views.overview, name="overview"),
    path("me/networking/interests/", views.interests, name="interests"),
    path("me/networking/people/", views.people, name="people"),
    path("me/networking/ask/", views.ask, name="ask"),
    path("me/networking/requests/<int:pk>/", views.answer_request, name="answer_request"),
    path("me/networking/meetings/<int:pk>/", views.answer_meeting, name="answer_meeting"),
]

from django.urls import path

from . import views

app_name = "registration"

# The personal pages under me/ act for the registration in the browser session; none takes an id.
urlpatterns = [
    path("register/", views.register, name="register"),
    path("me/", views.me, name="me"),
    path("me/link/<str:token>/", views.link, name="link"),
    path("me/new-link/", views.request_link, name="request_link"),
    path("me/details/", views.details, name="details"),
    path("me/workshops/", views.workshops, name="workshops"),
    path("me/rounds/", views.rounds, name="rounds"),
    path("me/day/", views.day, name="day"),
    path("me/answers/", views.answers, name="answers"),
    path("me/data.json", views.data, name="data"),
    path("me/delete/", views.delete, name="delete"),
    path("me/deleted/", views.deleted, name="deleted"),
    path("me/cancel/", views.cancel, name="cancel"),
    path("me/register-again/", views.resume, name="resume"),
    path("me/logout/", views.logout, name="logout"),
]

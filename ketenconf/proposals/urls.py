"""Public pages of the call for sessions, under /<edition>/call/."""

from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.call, name="call"),
    path("link/<str:token>/", views.link, name="link"),
    path("request-link/", views.request_link, name="request_link"),
    path("proposals/", views.mine, name="mine"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("proposals/<int:pk>/invite/", views.invite, name="invite"),
    path("interest/", views.interest, name="interest"),
]

"""The organiser workspace, under /organise/: the editions, then each edition's parts."""

from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("", views.editions, name="editions"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
]

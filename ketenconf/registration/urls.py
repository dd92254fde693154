from django.urls import path

from . import views

app_name = "registration"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("me/", views.me, name="me"),
    path("me/link/<str:token>/", views.link, name="link"),
    path("me/new-link/", views.request_link, name="request_link"),
    path("me/cancel/", views.cancel, name="cancel"),
    path("me/logout/", views.logout, name="logout"),
]

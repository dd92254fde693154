"""Public pages of the information market, under /<edition>/market/."""

from django.urls import path

from . import views

app_name = "market"

urlpatterns = [
    path("", views.market, name="market"),
    path("stands/<int:pk>/", views.stand, name="stand"),
    path("stands/<int:pk>/save/", views.save, name="save"),
    path("apply/", views.apply, name="apply"),
    path("apply/<str:token>/", views.application, name="application"),
]

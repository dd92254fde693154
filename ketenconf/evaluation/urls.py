from django.urls import path

from . import views

app_name = "evaluation"

# Like the personal pages, these act for the registration in the browser session; no id in a URL.
urlpatterns = [
    path("", views.survey, name="survey"),
    path("thanks/", views.thanks, name="thanks"),
]

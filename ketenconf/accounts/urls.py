"""Organisers' own account: the second factor of signing in, and single sign-on."""

from django.urls import path

from . import oidc, views

app_name = "accounts"

urlpatterns = [
    path("", views.security, name="security"),
    path("two-factor/", views.verify, name="verify"),
    path("two-factor/setup/", views.setup, name="setup"),
    path("two-factor/key-added/", views.key_added, name="key_added"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("factors/<str:kind>/<int:pk>/remove/", views.remove, name="remove"),
    path("sso/", oidc.start, name="oidc_start"),
    path("sso/callback/", oidc.callback, name="oidc_callback"),
]

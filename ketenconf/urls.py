from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path

from ketenconf.accounts import views as account_views
from ketenconf.api.api import api
from ketenconf.events import views as event_views
from ketenconf.ops import views as ops_views
from ketenconf.programme import views as programme_views
from ketenconf.workspace import views as workspace_views

edition_patterns: list[URLPattern | URLResolver] = [
    path("", event_views.edition_detail, name="edition"),
    path("programme/", programme_views.programme, name="programme"),
    path("sessions/<int:pk>/", programme_views.session_detail, name="session"),
    path("organisers/", event_views.edition_organisers, name="organisers"),
    path("", include("ketenconf.registration.urls")),
    path("", include("ketenconf.networking.urls")),
    path("market/", include("ketenconf.market.urls")),
    path("call/", include("ketenconf.proposals.urls")),
    path("", include("ketenconf.exports.urls")),
    path("survey/", include("ketenconf.evaluation.urls")),
]

urlpatterns = [
    # The language switch of pages outside the language prefixes: sets the language cookie.
    path("i18n/", include("django.conf.urls.i18n")),
    # The organiser workspace: every part of an edition, under one access rule.
    path("organise/invitation/", include("ketenconf.team.urls")),
    # Organisers' own account (the second factor, single sign-on) before the workspace's
    # "<edition>/", and the security keys' endpoints (django-otp-webauthn) under it.
    path("organise/account/", include("ketenconf.accounts.urls")),
    path(
        "organise/account/two-factor/keys/registration/complete/",
        account_views.KeyRegistrationComplete.as_view(),
    ),
    path("organise/account/two-factor/keys/", include("django_otp_webauthn.urls")),
    path("organise/", include("ketenconf.workspace.urls")),
    path("organise/<slug:slug>/programme/", include("ketenconf.programme.organise_urls")),
    path("organise/<slug:slug>/call/", include("ketenconf.proposals.organise_urls")),
    path("organise/<slug:slug>/registrations/", include("ketenconf.registration.organise_urls")),
    path("organise/<slug:slug>/questions/", include("ketenconf.questions.organise_urls")),
    path("organise/<slug:slug>/assignment/", include("ketenconf.allocation.organise_urls")),
    # The day itself: door and room check-in, badges, live counts.
    path("organise/<slug:slug>/checkin/", include("ketenconf.checkin.organise_urls")),
    # The day's re-offers: seats of those who did not come go to those who are there.
    path("organise/<slug:slug>/day/", include("ketenconf.allocation.organise_day_urls")),
    path("organise/<slug:slug>/report/", include("ketenconf.evaluation.organise_urls")),
    path("organise/<slug:slug>/exports/", include("ketenconf.exports.organise_urls")),
    path("organise/<slug:slug>/imports/", include("ketenconf.imports.organise_urls")),
    path("organise/<slug:slug>/organisations/", include("ketenconf.events.organise_urls")),
    path("organise/<slug:slug>/messages/", include("ketenconf.messaging.organise_urls")),
    path("organise/<slug:slug>/api/", include("ketenconf.api.organise_urls")),
    path("organise/<slug:slug>/audit/", include("ketenconf.audit.organise_urls")),
    path("organise/<slug:slug>/team/", include("ketenconf.team.organise_urls")),
    path("organise/<slug:slug>/sessions/", include("ketenconf.team.sessions_urls")),
    path("organise/<slug:slug>/settings/", include("ketenconf.events.organise_settings_urls")),
    # Addresses from before the workspace, sent on to the same pages under /organise/.
    path("admin/assignment/", workspace_views.moved),
    re_path(
        r"^admin/assignment/(?P<edition_id>[0-9]+)/(?P<rest>.*)$",
        workspace_views.moved,
        {"part": "assignment"},
    ),
    path("admin/proposals/", workspace_views.moved),
    re_path(
        r"^admin/proposals/(?P<edition_id>[0-9]+)/(?P<rest>.*)$",
        workspace_views.moved,
        {"part": "proposals"},
    ),
    re_path(
        r"^admin/exports/(?P<edition_id>[0-9]+)/(?P<rest>.*)$",
        workspace_views.moved,
        {"part": "exports"},
    ),
    re_path(
        r"^admin/imports/(?P<edition_id>[0-9]+)/(?P<rest>.*)$",
        workspace_views.moved,
        {"part": "imports"},
    ),
    path("admin/report/", workspace_views.moved),
    re_path(
        r"^admin/report/(?P<slug>[-a-zA-Z0-9_]+)/(?P<rest>.*)$",
        workspace_views.moved,
        {"part": "report"},
    ),
    path("checkin/", workspace_views.moved),
    re_path(
        r"^checkin/(?P<slug>[-a-zA-Z0-9_]+)/(?P<rest>.*)$",
        workspace_views.moved,
        {"part": "checkin"},
    ),
    # The admin's login, with failed attempts throttled per address and per username.
    path("admin/login/", ops_views.admin_login),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    *i18n_patterns(
        path("", event_views.home, name="home"),
        path("<slug:slug>/", include(edition_patterns)),
        prefix_default_language=False,
    ),
]

# The database away: 503 with Retry-After instead of 500 (ketenconf.ops.views).
handler500 = "ketenconf.ops.views.server_error"

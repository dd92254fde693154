"""The one settings module of ketenconf, driven by environment variables.

Every setting an operator may change is read from a ``KETENCONF_*`` variable;
the defaults run the demo on SQLite under ``var/`` with nothing configured.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ketenconf.ops.log import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"KETENCONF_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))
DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """The configured key, or one generated once and kept in ``var/`` for a single machine."""
    configured = env("SECRET_KEY")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    # Second factors of organisers' sign-in: authenticator apps (TOTP), recovery codes
    # (static, single use) and security keys or passkeys (WebAuthn).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    # For the static files of the API's interactive docs (Swagger UI), served locally.
    "ninja",
    "ketenconf.core",
    "ketenconf.ops",
    "ketenconf.accounts",
    "ketenconf.events",
    "ketenconf.programme",
    "ketenconf.registration",
    "ketenconf.questions",
    "ketenconf.allocation",
    "ketenconf.networking",
    "ketenconf.market",
    "ketenconf.proposals",
    "ketenconf.mail",
    "ketenconf.exports",
    "ketenconf.imports",
    "ketenconf.checkin",
    "ketenconf.evaluation",
    "ketenconf.messaging",
    "ketenconf.api",
    "ketenconf.team",
    "ketenconf.demo",
    "ketenconf.workspace",
    "ketenconf.audit",
]

MIDDLEWARE = [
    # First: a request id for every log record, then the probes (/health, /ready), which
    # answer before the host check and the redirect to HTTPS.
    "ketenconf.ops.middleware.RequestIdMiddleware",
    "ketenconf.ops.middleware.ProbeMiddleware",
    # Each request starts without an edition's scope: a query on an edition's rows raises
    # until the view has resolved its edition (ketenconf.core.tenancy).
    "ketenconf.core.tenancy.EditionScopeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # The public programme page from the cache, before the per-visitor work below.
    "ketenconf.programme.middleware.ProgrammePageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ketenconf.core.middleware.VisitorLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The API reads JSON bodies only: no form or text/plain from another site's page.
    "ketenconf.api.body.JsonOnlyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who makes the request's changes, for the audit trail (its user, token or personal link).
    "ketenconf.audit.context.AuditSourceMiddleware",
    # request.user.is_verified(): whether this session passed a second factor; then an
    # organiser without one is led to it before any organisers' page (ketenconf.accounts).
    "django_otp.middleware.OTPMiddleware",
    "ketenconf.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ketenconf.urls"
WSGI_APPLICATION = "ketenconf.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "admin:login"
# Where a login goes when its ?next= is missing or points off the site (Django's default,
# /accounts/profile/, does not exist here).
LOGIN_REDIRECT_URL = "admin:index"
# Passwords are checked by ModelBackend, unless single sign-on turned password sign-in off
# for organisers (ketenconf.accounts.backends); security keys by django-otp-webauthn.
AUTHENTICATION_BACKENDS = [
    "ketenconf.accounts.backends.PasswordBackend",
    "ketenconf.accounts.backends.SingleSignOnBackend",
    "django_otp_webauthn.backends.WebAuthnBackend",
]

# --- Organisers' sign-in: the second factor and single sign-on ------------------------------
#
# KETENCONF_REQUIRE_2FA (default on): every account signs in with a password plus a second
# factor (an authenticator app, a security key or passkey, or a recovery code); one without
# a factor is led to set one up before any page of the workspace or the admin.
REQUIRE_2FA = env_bool("REQUIRE_2FA", True)
# The name authenticator apps and security keys show for this site.
OTP_TOTP_ISSUER = env("SITE_NAME", "ketenconf")
OTP_WEBAUTHN_RP_NAME = env("SITE_NAME", "ketenconf")
# The security key is a second factor here, never a sign-in on its own.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Security keys belong to the host the site is reached at (one of ALLOWED_HOSTS): a key
# registered for one host does not work on another.
OTP_WEBAUTHN_HELPER_CLASS = "ketenconf.accounts.two_factor.WebAuthnHelper"
OTP_WEBAUTHN_RP_ID_CALLABLE = "ketenconf.accounts.two_factor.webauthn_rp_id"
# Recovery codes handed out at a time.
RECOVERY_CODES = 10

# Single sign-on with OpenID Connect: on when an issuer is given. Accounts are made at the
# first sign-in for people whose organisation claim names a known organisation.
OIDC_ISSUER = env("OIDC_ISSUER").rstrip("/")
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET")
OIDC_SCOPES = env("OIDC_SCOPES", "openid email profile")
OIDC_ORGANISATION_CLAIM = env("OIDC_ORGANISATION_CLAIM", "organisation")
OIDC_ROLE_CLAIM = env("OIDC_ROLE_CLAIM", "groups")
OIDC_NAME = env("OIDC_NAME", "")  # the provider's name on the sign-in button
# Whether organisers may still sign in with a password when single sign-on is on.
OIDC_PASSWORD_LOGIN = env_bool("OIDC_PASSWORD_LOGIN", True)
# Whether a sign-in through the provider counts as two-factor: only when the provider says
# so in the ID token's "amr" claim, or always when KETENCONF_OIDC_TRUST_2FA is set (for a
# provider that requires a second factor of everyone).
OIDC_TRUST_2FA = env_bool("OIDC_TRUST_2FA", False)
OIDC_TIMEOUT = float(env("OIDC_TIMEOUT", "10"))
if OIDC_ISSUER and not (OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "KETENCONF_OIDC_ISSUER is set: give KETENCONF_OIDC_CLIENT_ID and "
        "KETENCONF_OIDC_CLIENT_SECRET too (from the provider's registration of this site)."
    )

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ketenconf.core.context_processors.language_switch",
                "ketenconf.workspace.navigation.workspace_context",
            ],
        },
    }
]

# Database: SQLite under var/ by default; PostgreSQL in production.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ketenconf.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers instead of failing with
    # "database is locked"; WAL lets readers go on while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests get their own file (not :memory:) so a live server thread sees the same data;
    # one per test run, so runs side by side do not clobber each other.
    DATABASES["default"]["TEST"] = {
        "NAME": env("TEST_SQLITE_NAME", str(VAR_DIR / f"test-{os.getpid()}.sqlite3"))
    }
else:
    # One test database per test run, so runs side by side (a developer and CI) do not collide.
    DATABASES["default"]["TEST"] = {
        "NAME": env("TEST_DATABASE_NAME", f"test_{DATABASES['default']['NAME']}_{os.getpid()}")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache: Redis when configured, shared by every app-server process and the worker (so
# sessions, rate limits and cached page fragments hold across them); else local memory, one
# per process, which is right for one process only.
_cache_url = env("CACHE_URL") or env("REDIS_URL")
if _cache_url and not _cache_url.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"KETENCONF_CACHE_URL={_cache_url!r}: give a Redis address such as "
        "redis://127.0.0.1:6379/0 (or rediss:// for TLS, unix:///path/redis.sock)."
    )
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "ketenconf"),
            # A Redis that is away makes a request fail within a second, not hang.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ketenconf"}
    )
}
# With a shared cache, sessions are read from it and written through to the database: fast,
# and not lost when the cache is emptied. A cache per process would hand out stale copies of
# a session another process changed, so without one sessions live in the database alone.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if _cache_url
    else "django.contrib.sessions.backends.db"
)

_email = dj_email_url.parse(env("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
DEFAULT_FROM_EMAIL = env("FROM_EMAIL", "ketenconf <noreply@localhost>")
# Background work (mail, scheduled jobs) is queued in the database and run by `ketenconf worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The address people reach the site at, for links in mails, calendar addresses and the
# schedule exports. Without it, this machine on the port the site is served on
# (KETENCONF_PORT, which `make demo PORT=...` and `make serve PORT=...` set).
BASE_URL = env("BASE_URL", f"http://127.0.0.1:{env('PORT', '8000')}").rstrip("/")


def env_rate(name: str, default: str) -> str | None:
    """A django-ratelimit rate such as "60/m", "1000/h", "10/5s"; None for "off" or "0"."""
    rate = env(name, default).strip().lower() or default
    if rate not in {"off", "0"} and not re.fullmatch(r"[1-9]\d*/\d*[smhd]", rate):
        raise ImproperlyConfigured(
            f'KETENCONF_{name}={rate!r}: give a number of requests per period such as "60/m"'
            ' (periods s, m, h, d), or "off".'
        )
    return None if rate in {"off", "0"} else rate


# Requests per client address to the public API. Counted in the default cache, so per
# server process unless that cache is shared (Redis).
RATELIMIT = env_rate("RATELIMIT", "60/m")
# Failed admin logins per client address and per username; past either the login answers
# 429 until the period is over.
ADMIN_LOGIN_RATELIMIT_ADDRESS = env_rate("ADMIN_LOGIN_RATELIMIT_ADDRESS", "30/15m")
ADMIN_LOGIN_RATELIMIT_USERNAME = env_rate("ADMIN_LOGIN_RATELIMIT_USERNAME", "10/15m")
# Wrong second-factor codes per account and per client address, counted as wrong passwords
# are; past either the form answers 429 until the period is over.
SECOND_FACTOR_RATELIMIT_ACCOUNT = env_rate("SECOND_FACTOR_RATELIMIT_ACCOUNT", "10/15m")
SECOND_FACTOR_RATELIMIT_ADDRESS = env_rate("SECOND_FACTOR_RATELIMIT_ADDRESS", "30/15m")
# Personal links mailed to one address (on "mail me a new link" and on registering an address
# that is registered already), and "mail me a new link" requests per client address: so
# nobody can flood someone's mailbox through us.
LINK_MAILS_PER_ADDRESS = env_rate("LINK_MAILS_PER_ADDRESS", "3/h")
LINK_REQUESTS_PER_CLIENT = env_rate("LINK_REQUESTS_PER_CLIENT", "20/h")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dutch first, English second.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "nl"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("nl", "en")
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# In production `ketenconf collectstatic` once per release and KETENCONF_STATIC_MANIFEST=true:
# hashed, compressed files that browsers may cache for a year. Otherwise serve from the apps'
# static folders too, so the demo and the tests need no collectstatic.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", False)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}

# A strict Content Security Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and env_bool("HTTPS", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
# KETENCONF_HTTPS=true: the site is reached over HTTPS only. Plain HTTP is redirected (but
# /health and /ready, see ketenconf.ops), browsers keep to HTTPS for a year (HSTS), and the
# cookies above go over HTTPS only.
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading into the browsers' HSTS list is the domain owner's call and hard to undo: the
# deploy check asks for it only when KETENCONF_HSTS_PRELOAD is set.
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    # Security keys' allowed origin is the request's own (ketenconf.accounts.two_factor),
    # whose host ALLOWED_HOSTS has checked, rather than a fixed list.
    "otp_webauthn.E030",
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
# Behind a reverse proxy that ends TLS: trust its X-Forwarded-Proto, and count rate limits per
# client by the X-Real-IP it sets rather than per proxy (see docs/deployment.md for nginx).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    RATELIMIT_IP_META_KEY = "ketenconf.ops.client.client_address"

# Processes that lay out a large batch of badges side by side (WeasyPrint uses one core each).
BADGE_PROCESSES = max(1, int(env("BADGE_PROCESSES", str(min(os.cpu_count() or 1, 4)))))

# Every record carries the request id; KETENCONF_LOG_FORMAT=json writes JSON lines.
# KETENCONF_ACCESS_LOG (``ketenconf serve`` sets "-"): a line per request, to stderr or a file.
LOGGING = logging_config(
    level=env("LOG_LEVEL", "INFO").upper(),
    json_lines=env("LOG_FORMAT").strip().lower() == "json",
    access_log=env("ACCESS_LOG", "off").strip() or "off",
)

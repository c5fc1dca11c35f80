"""Reflect settings: every value comes from the environment through small strict helpers.

The defaults make `make run` work with no configuration (SQLite in the project folder,
console email, DEBUG on). Production sets DEBUG=false and must provide SECRET_KEY.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    """Only "true" or "false" (any case): a typo such as DEBUG=flase must not pass silently."""
    value = os.getenv(name, default).strip().lower()
    if value not in ("true", "false"):
        raise ImproperlyConfigured(f"{name}={value!r}: use 'true' or 'false'")
    return value == "true"


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default).strip()
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: use a whole number") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def envdays(name: str, default: str, *, forever: bool = False) -> int | None:
    """Days to keep something: a whole number from 1 to 36500, or "forever" (None) where
    `forever` allows it. Anything else (30d, 0, -1, never) stops the app with a message."""
    value = os.getenv(name, default).strip().lower()
    if forever and value == "forever":
        return None
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= 36500):
        keep = " or 'forever'" if forever else ""
        raise ImproperlyConfigured(f"{name}={value!r}: use a number of days (1-36500){keep}")
    return int(value)


DEBUG = envbool("DEBUG", "true")

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# The address in links that leave the page (emails, invitation links). Required in production;
# in development without it, pages derive links from the request (reflect/teams/links.py) and
# emails sent without a request use the development server's address.
SITE_URL = os.getenv("SITE_URL", "").strip().rstrip("/")
if not SITE_URL and not DEBUG:
    raise ImproperlyConfigured(
        "SITE_URL must be set when DEBUG is false: the address people open Reflect at, "
        "e.g. https://reflect.example.com (links in emails and invitations use it)"
    )
SITE_URL_FROM_REQUEST = not SITE_URL
SITE_URL = SITE_URL or "http://127.0.0.1:8000"
# How many reverse proxies in front of the app append to X-Forwarded-For; the client address
# that login and mail limits count is read that many entries from the right. 0 trusts none.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")

INSTALLED_APPS = [
    # The admin, as operators use it: every action audited, no entry text (README, Operators).
    "reflect.audit.site.AuditedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "reflect.accounts",
    # Sign-in, verification, MFA, single sign-on and session list (README, "Sign-in").
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
    "django.contrib.humanize",  # allauth's passkey list
    "reflect.journal",
    "reflect.framing",
    "reflect.trends",
    "reflect.teams",
    "django_tasks_db",
    "reflect.background",
    "reflect.audit",
    "reflect.retention",
    "reflect.reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "reflect.middleware.RefuseUnusableInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "reflect.accounts.middleware.SessionLifetimeMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "reflect.accounts.middleware.NoStoreMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "reflect.accounts.middleware.UserTimezoneMiddleware",
    "reflect.journal.timeouts.StatementTimeoutMiddleware",
]

ROOT_URLCONF = "reflect.urls"
WSGI_APPLICATION = "reflect.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reflect.journal.context_processors.owner",
                "reflect.accounts.context_processors.sign_in",
                # Django's csrf_token (always first, built in), masked in a fifth of the time.
                "reflect.lib.csrf.csrf",
            ],
        },
    },
]

# SQLite in the project folder by default; PostgreSQL (psycopg 3) with DATABASE_URL.
# Persistent connections with health checks: reconnecting on every request costs 4-5x
# in throughput on PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", "600"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests (autosave plus a page load) write at once: wait, don't fail.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file too, not Django's in-memory default: with that, the browser tests' live
    # server shares the test's one connection among all its threads, and Chromium's requests
    # arrive at once; threads sharing a sqlite3 connection can deadlock (Django's docs warn of
    # it; a CI run hung that way). One file per test process, removed when the run ends.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"reflect-test-{os.getpid()}.sqlite3")
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No statement may hold a worker until gunicorn kills it (30 s by default): PostgreSQL
    # cancels it and the request answers 503 (reflect.journal.timeouts), text kept.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={envint('STATEMENT_TIMEOUT_MS', '10000')}"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "landing"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

# Sign-in is django-allauth's (README, "Sign-in"), with our adapter in front of its login for
# the throttle of reflect/accounts/throttle.py (rows, shared by every process).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "reflect.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "reflect.accounts.adapter.SocialAccountAdapter"
ACCOUNT_FORMS = {
    "login": "reflect.accounts.allauth_forms.LoginForm",
    "reset_password": "reflect.accounts.allauth_forms.ResetPasswordForm",
    "signup": "reflect.accounts.allauth_forms.SignupForm",
}
ACCOUNT_SIGNUP_FORM_CLASS = "reflect.accounts.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # no reset mail to addresses without an account
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Failed logins (password and two-factor codes) and mail are limited by
# reflect/accounts/throttle.py (database rows: every process shares the counts, and the
# owner's known browser is never locked out); allauth's own limits live in the cache and
# count per account only, so the ones ours replace are off. The rest stay on.
ACCOUNT_RATE_LIMITS = {
    "login": None,
    "login_failed": None,
    "reset_password": None,
    "confirm_email": None,
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_FORMS = {"authenticate": "reflect.accounts.allauth_forms.MfaAuthenticateForm"}
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Reflect"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # http://127.0.0.1 in development and tests
# Sessions are listed from their login: no write on every request to track "last seen".
USERSESSIONS_TRACK_ACTIVITY = False
# Single sign-on with any OpenID Connect provider, entirely from the environment.
OIDC_ISSUER = os.getenv("OIDC_ISSUER", "").rstrip("/")
OIDC_ALLOWED_DOMAINS = [d.lower() for d in envlist("OIDC_ALLOWED_DOMAINS", "")]
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True  # a provider login reaches the account of its address
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False


def sso_providers(issuer: str, client_id: str, secret: str, name: str) -> dict:
    """allauth's OpenID Connect provider "sso" for one issuer (none without an issuer)."""
    app = {
        "provider_id": "sso",
        "name": name,
        "client_id": client_id,
        "secret": secret,
        "settings": {"server_url": issuer},
    }
    return {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": [app] if issuer else []}}


def sso_form_action(issuer: str) -> str:
    """The provider's origin, which the strict CSP's form-action must allow: browsers apply
    it to the redirect that answers the sign-on button."""
    scheme, _, rest = issuer.partition("://")
    return f"{scheme}://{rest.split('/')[0]}"


SOCIALACCOUNT_PROVIDERS = sso_providers(
    OIDC_ISSUER,
    os.getenv("OIDC_CLIENT_ID", ""),
    os.getenv("OIDC_CLIENT_SECRET", ""),
    os.getenv("OIDC_NAME", "your organisation"),
)
# Who may create an account: open, invite (only through a team invitation) or sso.
SIGNUP_MODE = os.getenv("SIGNUP_MODE", "open").strip().lower()
if SIGNUP_MODE not in ("open", "invite", "sso"):
    raise ImproperlyConfigured(f"SIGNUP_MODE={SIGNUP_MODE!r}: use open, invite or sso")
# What a team member needs before they count towards any team's threshold: nothing more, a
# verified email address, or a sign-in through the organisation's provider (sso).
TEAM_COUNT_REQUIRES = os.getenv("TEAM_COUNT_REQUIRES", "none").strip().lower()
if TEAM_COUNT_REQUIRES not in ("none", "verified", "sso"):
    raise ImproperlyConfigured(
        f"TEAM_COUNT_REQUIRES={TEAM_COUNT_REQUIRES!r}: use none, verified or sso"
    )

SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
# A session ends after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after
# its login whatever happens (reflect/accounts/middleware.py).
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", str(60 * 24 * 14))
SESSION_MAX_HOURS = envint("SESSION_MAX_HOURS", str(24 * 30))
SESSION_COOKIE_HTTPONLY = True
# An autosave that gets no answer in this long is given up (the text stays on the device) and
# sent again: htmx has no timeout of its own, and one hung request held every later autosave.
AUTOSAVE_TIMEOUT_MS = envint("AUTOSAVE_TIMEOUT_MS", "20000")
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (entry images): never served from a public URL, only through a view that
# checks who asks (reflect/journal/images.py). The filesystem under MEDIA_ROOT by default; an
# S3-compatible bucket when S3_BUCKET is set (`pip install "django-storages[s3]"`; the
# credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY as boto3 reads them).
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", str(BASE_DIR / "media")))
_s3_bucket = os.getenv("S3_BUCKET", "")
_default_storage = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _s3_bucket,
            "endpoint_url": os.getenv("S3_ENDPOINT_URL") or None,
            "region_name": os.getenv("S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if _s3_bucket
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: console in development, SMTP in production (Django 6.1 MAILERS).
_email_host = os.getenv("EMAIL_HOST", "")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Reflect <reflect@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": envint("EMAIL_PORT", "587"),
                "username": os.getenv("EMAIL_HOST_USER", ""),
                "password": os.getenv("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", "true"),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# A strict Content Security Policy: no inline script or style anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
if OIDC_ISSUER:  # the sign-on button's form is answered by a redirect to the provider
    SECURE_CSP["form-action"].append(sso_form_action(OIDC_ISSUER))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Background work (weekly team summaries) through Django's tasks framework.
# Background work (README, "Background work"). Tasks are rows in the database (django-tasks-db)
# run by `make worker`. In development (DEBUG) they run in-process unless TASKS_IN_PROCESS=false,
# so `make run` stays one command; with DEBUG=false they always go to the worker by default.
TASKS_IN_PROCESS = envbool("TASKS_IN_PROCESS", "true" if DEBUG else "false")
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if TASKS_IN_PROCESS
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Product limits, shared by forms and views.
ENTRY_MAX_CHARS = 100_000
# Entry images: at most this size per file, this many per entry (reflect/journal/images.py).
IMAGE_MAX_BYTES = envint("IMAGE_MAX_BYTES", str(8 * 1024 * 1024))
IMAGES_PER_ENTRY = 10
# PDF exports embed these TrueType fonts (Debian's fonts-dejavu-core); ReportLab's own Vera
# fonts are the fallback (reflect/journal/pdf.py).
PDF_FONT_DIR = os.getenv("PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu")
# Retention (README, "Retention"): how many days each kind of record is kept, enforced by the
# daily `manage.py apply_retention` (reflect.retention) and shown to members on Sharing.
TRASH_DAYS = envdays("TRASH_DAYS", "30")
REVISION_DAYS = envdays("REVISION_DAYS", "forever", forever=True)
ACCESS_LOG_DAYS = envdays("ACCESS_LOG_DAYS", "365", forever=True)
AUDIT_LOG_DAYS = envdays("AUDIT_LOG_DAYS", "365", forever=True)
TASK_RESULT_DAYS = envdays("TASK_RESULT_DAYS", "14", forever=True)
HIGHLIGHT_REPORT_DAYS = envdays("HIGHLIGHT_REPORT_DAYS", "365", forever=True)
TEAM_DEFAULT_THRESHOLD = 5
CSRF_FAILURE_VIEW = "reflect.views.csrf_failure"

# A cache every process shares (README, "Trends"): the trends page keeps a person's charts
# there until their next analysis. Django's database cache, so nothing extra runs; its table
# is created by the trends app's migration (`make migrate` is enough). "default" stays the
# per-process memory Django uses when CACHES is unset.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "reflect_shared_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}

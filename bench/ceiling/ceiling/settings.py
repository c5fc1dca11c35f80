"""The ceiling for any logged-in page on Reflect's stack (bench/http_pages.py, make bench-http).

A minimal Django project with exactly Reflect's middleware, Django's context processors as
Reflect configures them, database settings (PostgreSQL, persistent connections with health
checks, the statement timeout) and production security settings, and one logged-in page
that loads the session, the user and runs one query. Reflect's pages are measured as a share
of this page's requests per second, served the same way (deploy/serve.sh: nginx in front of
gunicorn with deploy/gunicorn.conf.py). None of Reflect's own apps is installed (the
third-party ones are); its middleware classes import only Django and reflect.lib, so they
run here unchanged.
"""

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO))

from reflect import settings as reflect  # noqa: E402  (the same middleware and database rules)

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = reflect.ALLOWED_HOSTS
TRUSTED_PROXY_COUNT = reflect.TRUSTED_PROXY_COUNT

# Every app Reflect installs except its own (some of its middleware needs their models, as
# allauth's does), and this one.
INSTALLED_APPS = [app for app in reflect.INSTALLED_APPS if not app.startswith("reflect.")]
INSTALLED_APPS.append("ceiling")
MIDDLEWARE = reflect.MIDDLEWARE
# The session rules Reflect's middleware reads (idle and absolute lifetimes, ...).
globals().update({k: v for k, v in vars(reflect).items() if k.startswith("SESSION_")})
ROOT_URLCONF = "ceiling.urls"
WSGI_APPLICATION = "ceiling.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        # Django's and the third-party context processors Reflect uses; its own belong to
        # its pages' cost (some need its models).
        "OPTIONS": {"context_processors": [
            name for name in reflect.TEMPLATES[0]["OPTIONS"]["context_processors"]
            if not name.startswith("reflect.")
        ]},
    }
]
DATABASES = reflect.DATABASES
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "ceiling.User"
LOGIN_URL = "/login/"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = reflect.LANGUAGE_CODE
STATIC_URL = "static/"
STATIC_ROOT = Path(tempfile.gettempdir()) / "reflect-ceiling-static"
STORAGES = reflect.STORAGES
SECURE_CSP = reflect.SECURE_CSP
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = reflect.SECURE_REFERRER_POLICY
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = reflect.SESSION_COOKIE_AGE
SESSION_COOKIE_HTTPONLY = True
MAILERS = reflect.MAILERS
LOGGING = reflect.LOGGING

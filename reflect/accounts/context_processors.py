from django.conf import settings
from django.http import HttpRequest

from reflect.accounts.adapter import AccountAdapter


def sign_in(request: HttpRequest) -> dict:
    """How people sign in here: the organisation's provider (if any), and whether this
    visitor may sign up (SIGNUP_MODE; in invite mode, when following a team invitation)."""
    apps = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
    return {
        "SSO_NAME": apps[0]["name"] if apps else "",
        "SIGNUP_OPEN": AccountAdapter(request).is_open_for_signup(request),
    }

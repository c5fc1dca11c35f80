from django.conf import settings
from django.http import HttpRequest


def sign_in(request: HttpRequest) -> dict:
    """How people sign in here: the organisation's provider (if any) and the sign-up mode."""
    return {
        "SSO_NAME": settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["name"]
        if settings.OIDC_ISSUER
        else "",
        "SIGNUP_OPEN": settings.SIGNUP_MODE == "open",
    }

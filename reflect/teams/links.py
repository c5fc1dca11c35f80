"""Signed links in team emails, shared by the views that answer them and the tasks that send
them."""

from django.conf import settings
from django.core import signing

UNSUBSCRIBE_SALT = "reflect.teams.summary-email"


def unsubscribe_token(membership) -> str:
    return signing.dumps(membership.pk, salt=UNSUBSCRIBE_SALT)


def absolute(request, path: str) -> str:
    """A link for outside the page (an invitation to copy, an email): SITE_URL, or in
    development without SITE_URL, the address this request came to (so a link made on
    http://localhost:8001 points there, not to a dead 127.0.0.1:8000)."""
    if settings.SITE_URL_FROM_REQUEST:
        return request.build_absolute_uri(path)
    return settings.SITE_URL + path

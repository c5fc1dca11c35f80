"""Signed links in team emails, shared by the views that answer them and the tasks that send
them."""

from django.core import signing

UNSUBSCRIBE_SALT = "reflect.teams.summary-email"


def unsubscribe_token(membership) -> str:
    return signing.dumps(membership.pk, salt=UNSUBSCRIBE_SALT)

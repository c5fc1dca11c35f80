"""The account a browser's local copies and an open editor belong to.

The editor keeps unsent text in the browser (localStorage) and every editor page carries the
account that opened it. Both use this key, so a copy is never restored for, and an open page
never saves into, another account that later signs in on the same browser. It is an HMAC of
the account id under the site's secret: stable for one account, unguessable for another.
"""

from functools import lru_cache

from django.conf import settings
from django.utils.crypto import salted_hmac


@lru_cache(maxsize=4096)
def _owner_key(secret: str, user_pk: str) -> str:
    digest = salted_hmac("reflect.owner-key", user_pk, secret=secret, algorithm="sha256")
    return digest.hexdigest()[:24]


def owner_key(user_pk: int) -> str:
    """Every page of a signed-in person carries it (data-owner): kept per secret and account
    (a pure function of both) instead of an HMAC per page."""
    return _owner_key(settings.SECRET_KEY, str(user_pk))

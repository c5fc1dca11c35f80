"""The account a browser's local copies and an open editor belong to.

The editor keeps unsent text in the browser (localStorage) and every editor page carries the
account that opened it. Both use this key, so a copy is never restored for, and an open page
never saves into, another account that later signs in on the same browser. It is an HMAC of
the account id under the site's secret: stable for one account, unguessable for another.
"""

from django.utils.crypto import salted_hmac


def owner_key(user_pk: int) -> str:
    return salted_hmac("reflect.owner-key", str(user_pk), algorithm="sha256").hexdigest()[:24]

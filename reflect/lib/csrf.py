"""The page's CSRF token, as Django's csrf context processor gives it, masked faster.

Django masks the cookie's secret for every page that writes a token (BREACH): a fresh
random mask of 32 letters and digits, each drawn with ``secrets.choice`` (one urandom call
and a rejection loop per letter), then ``str.index`` per letter to add it to the secret:
about 45 µs of every page. ``get_token`` here does the same thing with one urandom call:
each byte below 248 (4 × 62) read modulo 62 is a letter drawn uniformly, as secrets.choice
draws it, and a dict gives each letter's place. Same token form (mask then cipher, 64
letters and digits, which Django's middleware unmasks), the same side effects on
request.META (the cookie renewed, or a new secret when there is none), the same
``csrf_token`` context value (lazy, 'NOTPROVIDED' without a token).
"""

import secrets

from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _add_new_csrf_cookie,
)
from django.utils.functional import SimpleLazyObject

_CHARS = CSRF_ALLOWED_CHARS
_COUNT = len(_CHARS)  # 62
_BELOW = 256 - 256 % _COUNT  # 248: bytes below it are uniform modulo 62
_PLACE = {char: place for place, char in enumerate(_CHARS)}


def _mask_places() -> list[int]:
    """CSRF_SECRET_LENGTH places in _CHARS, each uniform and independent (CSPRNG)."""
    places: list[int] = []
    while len(places) < CSRF_SECRET_LENGTH:
        # 40 bytes give 32 accepted ones but for about one draw in 100,000.
        places.extend(byte % _COUNT for byte in secrets.token_bytes(40) if byte < _BELOW)
    return places[:CSRF_SECRET_LENGTH]


def mask_cipher_secret(secret: str) -> str:
    """django.middleware.csrf._mask_cipher_secret: a random mask, then the secret shifted
    letter by letter by the mask (modulo 62)."""
    mask = _mask_places()
    chars, place, count = _CHARS, _PLACE, _COUNT
    return "".join([chars[m] for m in mask]) + "".join(
        [chars[(place[s] + m) % count] for s, m in zip(secret, mask, strict=True)]
    )


def get_token(request) -> str:
    """django.middleware.csrf.get_token, with mask_cipher_secret."""
    if "CSRF_COOKIE" in request.META:
        secret = request.META["CSRF_COOKIE"]
        # As Django: the cookie is used, so it is sent again to renew its expiry.
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    else:
        secret = _add_new_csrf_cookie(request)
    return mask_cipher_secret(secret)


def csrf(request) -> dict:
    """django.template.context_processors.csrf with this module's get_token; listed after
    Django's in TEMPLATES, so its value is the one pages read."""

    def _get_val():
        token = get_token(request)
        return "NOTPROVIDED" if token is None else token

    return {"csrf_token": SimpleLazyObject(_get_val)}

"""Limits on failed logins and on mail sent to an address, without a lockout for the owner.

Every limit is a sliding window over rows of `ThrottleEvent`, keyed by an HMAC of what is
counted (the typed email, the client's network, a device). Throttled attempts are refused
before any password is hashed, so a flood cannot occupy the Argon2 workers either.

Logins follow OWASP's "device cookies": a successful login leaves a signed, long-lived cookie
naming that account. An attempt from a device holding one for the typed account is limited
only per device; every other attempt is limited per typed account and per client network.
An attacker hammering alice's address therefore cannot stop alice logging in from her own
browser. Keys come from the typed email whether or not it has an account, so the limits
themselves never tell who is registered.
"""

import ipaddress
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from reflect.accounts.models import ThrottleEvent


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    window: timedelta


LOGIN_PER_ACCOUNT = Limit("login-account", 5, timedelta(minutes=15))
LOGIN_PER_CLIENT = Limit("login-client", 20, timedelta(minutes=15))
LOGIN_PER_DEVICE = Limit("login-device", 10, timedelta(minutes=15))
# Sign-up and reset mail together: one address receives at most 3 an hour.
MAIL_PER_ADDRESS = Limit("mail-address", 3, timedelta(hours=1))
MAIL_PER_CLIENT = Limit("mail-client", 10, timedelta(hours=1))

DEVICE_COOKIE = "reflect_device"
DEVICE_COOKIE_AGE = timedelta(days=365)
DEVICE_ACCOUNTS = 5  # a shared computer remembers the last few accounts, not only one
_DEVICE_SALT = "reflect.accounts.device"

Keys = list[tuple[Limit, str]]


def now() -> datetime:
    """The clock every limit reads (tests move it instead of sleeping)."""
    return timezone.now()


def hashed(kind: str, value: str) -> str:
    digest = salted_hmac("reflect.accounts.throttle", f"{kind}:{value}", algorithm="sha256")
    return digest.hexdigest()


def client_network(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the entry they
    appended to X-Forwarded-For (read from the right: anything further left is the client's
    own say). IPv6 counts per /64, the block one subscriber usually holds."""
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [part.strip() for part in forwarded if part.strip()]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def wait(keys: Keys, at: datetime | None = None) -> timedelta | None:
    """How long until every limit admits one more event; None if they do now."""
    at = at or now()
    longest = None
    for limit, key in keys:
        times = list(
            ThrottleEvent.objects.filter(scope=limit.scope, key=key, at__gt=at - limit.window)
            .order_by("at")
            .values_list("at", flat=True)
        )
        if len(times) >= limit.count:
            # The window admits one more once the event that keeps it full has left it.
            remaining = times[len(times) - limit.count] + limit.window - at
            longest = remaining if longest is None else max(longest, remaining)
    return longest


def record(keys: Keys, at: datetime | None = None) -> None:
    at = at or now()
    ThrottleEvent.objects.bulk_create(
        ThrottleEvent(scope=limit.scope, key=key, at=at) for limit, key in keys
    )
    for limit, _key in keys:  # keep the table as small as its longest window
        ThrottleEvent.objects.filter(scope=limit.scope, at__lt=at - limit.window).delete()


def in_minutes(remaining: timedelta) -> str:
    minutes = max(1, math.ceil(remaining.total_seconds() / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


# Logins


def _device(request: HttpRequest) -> dict | None:
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value:
        return None
    try:
        device = signing.loads(
            value, salt=_DEVICE_SALT, max_age=DEVICE_COOKIE_AGE.total_seconds()
        )
    except signing.BadSignature:
        return None
    if not isinstance(device, dict) or not isinstance(device.get("accounts"), list):
        return None
    return device


def login_keys(request: HttpRequest, email: str) -> Keys:
    email = email.strip().lower()
    device = _device(request)
    if device and hashed("account", email) in device["accounts"]:
        return [(LOGIN_PER_DEVICE, hashed("device", str(device.get("nonce"))))]
    return [
        (LOGIN_PER_ACCOUNT, hashed("account", email)),
        (LOGIN_PER_CLIENT, hashed("client", client_network(request))),
    ]


def remember_device(request: HttpRequest, response: HttpResponse, email: str) -> None:
    """After a successful login: this browser is now a known device for that account."""
    device = _device(request) or {"nonce": secrets.token_urlsafe(16), "accounts": []}
    account = hashed("account", email.strip().lower())
    accounts = [account] + [a for a in device["accounts"] if a != account]
    device["accounts"] = accounts[:DEVICE_ACCOUNTS]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(device, salt=_DEVICE_SALT, compress=True),
        max_age=int(DEVICE_COOKIE_AGE.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# Mail


def mail_keys(request: HttpRequest, email: str) -> Keys:
    return [
        (MAIL_PER_ADDRESS, hashed("address", email.strip().lower())),
        (MAIL_PER_CLIENT, hashed("client", client_network(request))),
    ]


def may_send_mail(request: HttpRequest, email: str) -> bool:
    """Count one mail to `email` if the limits allow it. Callers skip sending silently when
    they don't: the page says the same either way."""
    keys = mail_keys(request, email)
    if wait(keys) is not None:
        return False
    record(keys)
    return True

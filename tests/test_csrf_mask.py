"""reflect.lib.csrf masks the page's CSRF token as Django does, in one urandom call."""

import re
from collections import Counter

from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    _get_new_csrf_string,
    _unmask_cipher_token,
)
from django.test import RequestFactory
from django.urls import reverse

from reflect.lib.csrf import _mask_places, csrf, get_token, mask_cipher_secret


def test_a_masked_token_unmasks_to_its_secret_and_masks_differ():
    for _ in range(2000):
        secret = _get_new_csrf_string()
        token = mask_cipher_secret(secret)
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret
    secret = _get_new_csrf_string()
    assert len({mask_cipher_secret(secret)[:32] for _ in range(1000)}) == 1000


def test_the_mask_draws_every_letter_about_equally():
    counts = Counter(place for _ in range(6000) for place in _mask_places())
    assert set(counts) == set(range(62))
    expected = 6000 * 32 / 62  # 3,097; a standard deviation of about 55
    assert all(abs(n - expected) < 400 for n in counts.values())


def test_get_token_renews_the_cookie_or_makes_a_secret_as_django_does():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = secret = _get_new_csrf_string()
    assert _unmask_cipher_token(get_token(request)) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    fresh = RequestFactory().get("/")
    token = get_token(fresh)
    assert _unmask_cipher_token(token) == fresh.META["CSRF_COOKIE"]
    assert fresh.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_the_context_value_is_lazy_and_read_once():
    request = RequestFactory().get("/")
    value = csrf(request)["csrf_token"]
    assert "CSRF_COOKIE" not in request.META  # nothing until a page writes it
    assert str(value) == str(value)
    assert _unmask_cipher_token(str(value)) == request.META["CSRF_COOKIE"]


def test_a_pages_token_is_accepted_by_the_middleware(csrf_client):
    page = csrf_client.get(reverse("home")).content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert len(tokens) == 1
    token = tokens.pop()
    forged = token[:32] + mask_cipher_secret(_get_new_csrf_string())[32:]
    assert csrf_client.post(reverse("logout"), {"csrfmiddlewaretoken": forged}).status_code == 403
    response = csrf_client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302

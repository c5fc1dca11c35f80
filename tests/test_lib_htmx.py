"""reflect.lib.htmx writes exactly what django-htmx's {% htmx_script %} writes."""

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import set_script_prefix
from django.utils.csp import LazyNonce

from reflect.lib.htmx import htmx_script


def _tag(context: dict) -> str:
    return Template("{% load django_htmx %}{% htmx_script %}").render(Context(context))


NONCES = [None, "abc123", 'a"b<c>&d\'', LazyNonce()]


@pytest.mark.parametrize("nonce", NONCES, ids=["none", "plain", "html", "lazy"])
def test_it_writes_what_django_htmx_writes(nonce):
    context = {} if nonce is None else {"csp_nonce": nonce}
    assert htmx_script(context) == _tag(context)
    assert htmx_script(Context(context)) == _tag(context)


@pytest.mark.parametrize("nonce", NONCES, ids=["none", "plain", "html", "lazy"])
def test_it_writes_the_debug_script_as_django_htmx_does(nonce):
    context = {} if nonce is None else {"csp_nonce": nonce}
    with override_settings(DEBUG=True):
        assert "django-htmx" in htmx_script(context)
        assert htmx_script(context) == _tag(context)
    assert "django-htmx" not in htmx_script(context)


def test_it_keeps_the_static_address_of_the_settings_and_prefix():
    before = htmx_script({"csp_nonce": "n"})
    with override_settings(STATIC_URL="/assets/"):
        assert 'src="/assets/' in htmx_script({"csp_nonce": "n"})
        assert htmx_script({"csp_nonce": "n"}) == _tag({"csp_nonce": "n"})
    with override_settings(STATIC_URL="assets/"):
        set_script_prefix("/sub/")  # a relative STATIC_URL is under the site's prefix
        try:
            assert 'src="/sub/assets/' in htmx_script({"csp_nonce": "n"})
            assert htmx_script({"csp_nonce": "n"}) == _tag({"csp_nonce": "n"})
        finally:
            set_script_prefix("/")
    assert htmx_script({"csp_nonce": "n"}) == before

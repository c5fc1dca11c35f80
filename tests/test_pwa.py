"""On the phone: the manifest and the service worker's script are public and personal-free,
served with the types and headers browsers require; the offline editor holds no journal text."""

import json

from django.test import Client
from django.urls import reverse

from reflect.journal.models import Entry


def test_it_serves_the_manifest_to_anyone_as_a_web_app_manifest(db):
    response = Client().get(reverse("manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["short_name"] == "Reflect" and data["name"]
    assert data["start_url"] == reverse("entry_new")
    assert (data["scope"], data["display"]) == ("/", "standalone")
    assert data["theme_color"].startswith("#") and data["background_color"].startswith("#")
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_it_gives_everyone_the_same_manifest_with_nothing_personal(alice_client, alice):
    anonymous = Client().get(reverse("manifest")).content
    signed_in = alice_client.get(reverse("manifest")).content
    assert anonymous == signed_in
    assert b"alice" not in signed_in.lower()


def test_it_serves_the_service_worker_from_the_root_uncached(db):
    response = Client().get(reverse("service_worker"))
    assert reverse("service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    assert response["Service-Worker-Allowed"] == "/"
    script = response.content.decode()
    # The worker and static/js/pwa.js name the routes they serve: they must be these.
    assert f'"{reverse("entry_new")}"' in script and f'"{reverse("entry_offline")}"' in script


def test_it_answers_a_post_to_the_public_files_with_405(db):
    for name in ("manifest", "service_worker"):
        assert Client().post(reverse(name)).status_code == 405


def test_it_links_the_manifest_and_the_worker_script_from_every_page(db, alice_client):
    for client, url in ((Client(), reverse("landing")), (alice_client, reverse("home"))):
        html = client.get(url).content.decode()
        assert f'<link rel="manifest" href="{reverse("manifest")}">' in html
        assert "js/pwa.js" in html
        assert '<meta name="theme-color"' in html


def test_it_keeps_the_offline_editor_empty_even_with_a_draft_waiting(alice_client, alice):
    Entry.objects.create(author=alice, body="Secret draft words", written_on=alice.today(),
                         is_draft=True)
    # The real /write/ resumes the draft; the offline editor never holds it.
    assert alice_client.get(reverse("entry_new")).status_code == 302
    response = alice_client.get(reverse("entry_offline"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Secret draft words" not in html
    assert 'id="entry-form"' in html
    assert "no-store" in response["Cache-Control"]


def test_it_asks_for_a_login_before_the_offline_editor(db):
    response = Client().get(reverse("entry_offline"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

"""On the phone, like an app: the web app manifest and the service worker's script.

Both are public and hold nothing personal: the manifest names the app and its icons, the
worker's script is a static file (static/sw.js) served from the site's root so that its scope
covers every page. The worker keeps one account's empty editor and the static files it needs,
in caches named by that account's owner key (reflect.lib.owner); static/js/pwa.js fills them
and logout removes them (see the README, "On the phone").
"""

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

THEME_COLOUR = "#2f5d50"  # --accent in static/css/reflect.css
BACKGROUND_COLOUR = "#fbfaf7"  # --paper


def _worker_source() -> bytes:
    with open(finders.find("sw.js"), "rb") as f:
        return f.read()


@login_not_required
@require_GET
def manifest(_request: HttpRequest) -> HttpResponse:
    icons = [
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    data = {
        "id": "/",
        "name": "Reflect: a leadership journal",
        "short_name": "Reflect",
        "description": "A private journal for reflecting on how you lead.",
        "start_url": reverse("entry_new"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "lang": "en",
        "icons": icons,
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_not_required
@require_GET
def service_worker(_request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    # Browsers check for a new worker on every navigation: always ask this server.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response

from django.contrib import admin
from django.urls import include, path

from reflect import pwa, views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("", include("reflect.accounts.urls")),
    path("", include("reflect.journal.urls")),
    path("", include("reflect.framing.urls")),
    path("", include("reflect.trends.urls")),
    path("", include("reflect.teams.urls")),
    path("", include("reflect.reminders.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "reflect.views.page_not_found"
handler403 = "reflect.views.permission_denied"
handler500 = "reflect.views.server_error"

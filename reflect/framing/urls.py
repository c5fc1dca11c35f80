from django.urls import path

from reflect.framing import how, views

urlpatterns = [
    path("how-the-reading-works/", how.how_reading_works, name="how_reading_works"),
    path("entries/<int:pk>/framing/wrong/", views.report_highlight, name="report_highlight"),
    path("entries/<int:pk>/framing/counted/", views.entry_counted, name="entry_counted"),
]

from django.urls import path

from reflect.framing import views

urlpatterns = [
    path(
        "entries/<int:pk>/framing/<int:number>/wrong/",
        views.report_highlight,
        name="report_highlight",
    ),
]

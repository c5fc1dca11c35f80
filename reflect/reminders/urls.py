from django.urls import path

from reflect.reminders import views

urlpatterns = [
    path("account/reminders/", views.reminder_settings, name="reminders"),
    path("reminders/<str:token>/", views.reminder_link, name="reminder_link"),
]

from django.urls import path

from ceiling import views

urlpatterns = [path("page/", views.page, name="page")]

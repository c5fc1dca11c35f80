from django.urls import path

from reflect.trends import views

urlpatterns = [
    path("trends/", views.trends, name="trends"),
    path("trends/trends.csv", views.trends_csv, name="trends_csv"),
    path("trends/numbers/", views.trends_numbers, name="trends_numbers"),
    path("trends/<str:unit>/<str:day>/", views.trends_period, name="trends_period"),
]

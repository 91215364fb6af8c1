from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("forecasts/", views.ForecastListView.as_view(), name="forecast_list"),
    path("forecasts/<int:pk>/", views.ForecastDetailView.as_view(), name="forecast_detail"),
    path(
        "suppliers/<int:supplier_pk>/forecasts/new/",
        views.ForecastPublishView.as_view(),
        name="forecast_publish",
    ),
]

"""Portal pages of the demand outlook (in the portal namespace)."""

from django.urls import path

from . import forecast_views

urlpatterns = [
    path("forecasts/", forecast_views.PortalForecastListView.as_view(), name="forecasts"),
    path("forecasts/<int:pk>/", forecast_views.PortalForecastDetailView.as_view(), name="forecast_detail"),
]

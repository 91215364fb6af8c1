"""Portal pages for production records (in the portal namespace)."""

from django.urls import path

from . import production_views

urlpatterns = [
    path(
        "orders/<int:pk>/production/start/",
        production_views.PortalProductionStartView.as_view(),
        name="production_start",
    ),
    path(
        "orders/<int:pk>/production/",
        production_views.PortalProductionLogView.as_view(),
        name="production_log",
    ),
]

"""Portal pages of pricing (in the portal namespace)."""

from django.urls import path

from . import price_views

urlpatterns = [
    path("prices/", price_views.PortalPriceListView.as_view(), name="prices"),
    path("prices/change/", price_views.PortalPriceChangeRequestView.as_view(), name="price_change_request"),
    path(
        "prices/changes/<int:pk>/",
        price_views.PortalPriceChangeDetailView.as_view(),
        name="price_change_detail",
    ),
    path(
        "prices/cost-breakdowns/<int:pk>/",
        price_views.PortalCostBreakdownAnswerView.as_view(),
        name="cost_breakdown_answer",
    ),
]

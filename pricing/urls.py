"""Staff pages of pricing, under /pricing/."""

from django.urls import path

from . import views

app_name = "pricing"

urlpatterns = [
    path("", views.AgreementListView.as_view(), name="agreement_list"),
    path("new/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("changes/", views.PriceChangeListView.as_view(), name="change_list"),
    path("changes/<int:pk>/", views.PriceChangeDetailView.as_view(), name="change_detail"),
    path("cost-breakdowns/", views.BreakdownListView.as_view(), name="breakdown_list"),
    path("cost-breakdowns/new/", views.BreakdownCreateView.as_view(), name="breakdown_create"),
    path("cost-breakdowns/estimate/", views.BreakdownEstimateView.as_view(), name="breakdown_estimate"),
    path("cost-breakdowns/<int:pk>/", views.BreakdownDetailView.as_view(), name="breakdown_detail"),
]

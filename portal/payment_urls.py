"""Portal pages of the payments app (in the portal namespace)."""

from django.urls import path

from . import payment_views

urlpatterns = [
    path("invoices/", payment_views.PortalInvoiceListView.as_view(), name="invoices"),
    path("invoices/<int:pk>/", payment_views.PortalInvoiceDetailView.as_view(), name="invoice_detail"),
    path("orders/<int:pk>/invoice/", payment_views.PortalInvoiceSubmitView.as_view(), name="invoice_submit"),
    path("payment-terms/", payment_views.PortalTermChangeListView.as_view(), name="payment_terms"),
    path(
        "payment-terms/<int:pk>/",
        payment_views.PortalTermChangeAnswerView.as_view(),
        name="payment_terms_answer",
    ),
]

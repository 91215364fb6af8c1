from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("", views.InvoiceListView.as_view(), name="invoice_list"),
    path("due/", views.InvoiceDueView.as_view(), name="invoice_due"),
    path("payments/", views.PaymentListView.as_view(), name="payment_list"),
    path("invoices/new/", views.InvoiceCreateView.as_view(), name="invoice_create"),
    path("invoices/<int:pk>/", views.InvoiceDetailView.as_view(), name="invoice_detail"),
    path("invoices/<int:pk>/approve/", views.invoice_approve, name="invoice_approve"),
    path("invoices/<int:pk>/reject/", views.InvoiceRejectView.as_view(), name="invoice_reject"),
    path("invoices/<int:pk>/payments/", views.PaymentRecordView.as_view(), name="payment_record"),
    path(
        "discrepancies/<int:pk>/resolve/", views.DiscrepancyResolveView.as_view(), name="discrepancy_resolve"
    ),
    path("terms/", views.TermChangeListView.as_view(), name="term_change_list"),
    path("terms/new/", views.TermChangeCreateView.as_view(), name="term_change_create"),
    path("terms/<int:pk>/agree/", views.TermChangeAgreeView.as_view(), name="term_change_agree"),
    path("terms/<int:pk>/withdraw/", views.term_change_withdraw, name="term_change_withdraw"),
]

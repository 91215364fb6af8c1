from django.contrib import admin

from .models import (
    Invoice,
    InvoiceCharge,
    InvoiceDiscrepancy,
    InvoiceLine,
    Payment,
    PaymentReminder,
    PaymentTermChange,
)


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    fields = ["order_line", "quantity", "unit_price"]
    readonly_fields = fields  # lines are matched when the invoice is recorded (payments.services)
    can_delete = False


class InvoiceChargeInline(admin.TabularInline):
    model = InvoiceCharge
    extra = 0
    fields = ["kind", "amount", "reason"]
    readonly_fields = fields  # charges are matched when the invoice is recorded (payments.services)
    can_delete = False


@admin.register(InvoiceCharge)
class InvoiceChargeAdmin(admin.ModelAdmin):
    list_display = ["invoice", "kind", "amount", "reason"]
    list_filter = ["kind"]
    search_fields = ["invoice__number", "invoice__supplier__name", "reason"]
    list_select_related = ["invoice__supplier"]
    raw_id_fields = ["invoice"]
    readonly_fields = ["invoice", "kind", "amount"]  # the amount was matched; only the wording may be fixed


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    fields = ["paid_on", "amount", "reference", "recorded_by", "recorded_at"]
    readonly_fields = fields  # payments go through payment_record, which keeps the invoice's status right
    can_delete = False


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "supplier", "order", "invoice_date", "amount", "currency", "due_on", "status"]
    list_filter = ["status", "currency"]
    search_fields = ["number", "supplier__name", "order__number"]
    list_select_related = ["supplier", "order"]
    raw_id_fields = ["supplier", "order", "submitted_by", "decided_by"]
    readonly_fields = [
        "amount",
        "payment_terms_days",
        "terms_source",
        "due_on",
        "status",
        "paid_on",
        "submitted_at",
        "decided_at",
    ]
    inlines = [InvoiceLineInline, InvoiceChargeInline, PaymentInline]


@admin.register(InvoiceDiscrepancy)
class InvoiceDiscrepancyAdmin(admin.ModelAdmin):
    list_display = ["invoice", "supplier", "kind", "expected", "invoiced", "status", "resolved_at"]
    list_filter = ["kind", "status"]
    search_fields = ["invoice__number", "supplier__name"]
    list_select_related = ["invoice__supplier", "supplier"]
    raw_id_fields = ["invoice", "line", "charge", "supplier", "resolved_by"]


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["invoice", "supplier", "paid_on", "amount", "reference"]
    search_fields = ["invoice__number", "reference", "supplier__name"]
    list_select_related = ["invoice__supplier", "supplier"]
    raw_id_fields = ["invoice", "supplier", "recorded_by"]


@admin.register(PaymentTermChange)
class PaymentTermChangeAdmin(admin.ModelAdmin):
    list_display = [
        "supplier",
        "previous_terms_days",
        "new_terms_days",
        "effective_on",
        "status",
        "proposed_at",
    ]
    list_filter = ["status"]
    search_fields = ["supplier__name", "reason"]
    raw_id_fields = ["supplier", "proposed_by", "answered_by", "agreed_by", "withdrawn_by"]
    # The trail of a change of terms is written by the services (propose, accept, dispute, agree, withdraw).
    readonly_fields = [
        "status",
        "answered_by",
        "answered_at",
        "supplier_comment",
        "agreed_by",
        "agreed_at",
        "agreement_note",
        "withdrawn_by",
        "withdrawn_at",
    ]


@admin.register(PaymentReminder)
class PaymentReminderAdmin(admin.ModelAdmin):
    """Payment reminders and their outbox state: unsent ones show their attempts and last error."""

    list_display = ["invoice", "kind", "sent_at", "attempts", "claimed_by", "last_error"]
    list_filter = ["kind"]
    raw_id_fields = ["invoice"]
    readonly_fields = ["sent_at", "claimed_by", "claimed_at", "attempts", "last_error"]

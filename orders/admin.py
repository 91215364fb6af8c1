from django.contrib import admin

from .models import (
    DateProposal,
    Delivery,
    Disruption,
    OrderChange,
    OrderCharge,
    OrderLine,
    OrderNumberSequence,
    PilotProgram,
    PurchaseOrder,
    ReceiptLine,
)


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0


class OrderChargeInline(admin.TabularInline):
    model = OrderCharge
    extra = 0
    fields = ["kind", "amount_cap", "note", "created_by"]
    raw_id_fields = ["created_by"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = [
        "sequence",
        "promised_on",
        "quantity_planned",
        "shipped_on",
        "received_on",
        "quantity_received",
        "status",
    ]
    readonly_fields = fields  # deliveries change through the delivery services (receipt, shipment, proposals)
    can_delete = False


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(admin.ModelAdmin):
    list_display = ["number", "supplier", "ordered_on", "status", "pilot"]
    list_filter = ["status", "pilot"]
    search_fields = ["number", "supplier__name"]
    autocomplete_fields = ["supplier", "pilot_program"]
    inlines = [OrderLineInline, OrderChargeInline, DeliveryInline]
    readonly_fields = ["sent_at", "acknowledged_at", "acknowledged_by"]


class ReceiptLineInline(admin.TabularInline):
    model = ReceiptLine
    extra = 0
    raw_id_fields = ["line"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    inlines = [ReceiptLineInline]
    list_display = ["__str__", "supplier", "promised_on", "received_on", "status"]
    list_filter = ["status"]
    search_fields = ["order__number", "supplier__name"]
    list_select_related = ["order", "supplier"]
    raw_id_fields = ["order", "supplier", "received_by"]


@admin.register(DateProposal)
class DateProposalAdmin(admin.ModelAdmin):
    list_display = ["delivery", "proposed_on", "status", "proposed_at"]
    list_filter = ["status"]
    raw_id_fields = ["delivery"]


@admin.register(OrderChange)
class OrderChangeAdmin(admin.ModelAdmin):
    list_display = [
        "order",
        "kind",
        "side",
        "status",
        "old_value",
        "new_value",
        "counter_value",
        "days_before_required",
        "changed_by",
        "changed_at",
    ]
    list_filter = ["kind", "side", "status"]
    search_fields = ["order__number", "reason", "counter_reason"]
    raw_id_fields = ["order", "line", "supplier", "changed_by", "answered_by"]
    # Answers go through the services (they apply the change to the order); the admin only reads.
    readonly_fields = ["status", "counter_quantity", "counter_required_on", "answered_by", "answered_at"]


@admin.register(PilotProgram)
class PilotProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "supplier", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    search_fields = ["name", "supplier__name"]
    autocomplete_fields = ["supplier"]


@admin.register(OrderNumberSequence)
class OrderNumberSequenceAdmin(admin.ModelAdmin):
    """The per-year PO counters; raise one to skip numbers issued elsewhere."""

    list_display = ["year", "last_number"]


@admin.register(Disruption)
class DisruptionAdmin(admin.ModelAdmin):
    """Disruptions managers declared; the deliveries they excused point back at them."""

    list_display = ["title", "cause", "region", "starts_on", "ends_on", "declared_by"]
    list_filter = ["cause"]
    search_fields = ["title", "region"]
    filter_horizontal = ["suppliers"]
    readonly_fields = ["declared_at"]


from . import admin_production  # noqa: E402, F401  (production records, in their own module)

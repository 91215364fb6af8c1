from django.contrib import admin

from .models import (
    CostBreakdownRequest,
    PriceAgreement,
    PriceChangeDocument,
    PriceChangeItem,
    PriceChangeRequest,
)


@admin.register(PriceAgreement)
class PriceAgreementAdmin(admin.ModelAdmin):
    list_display = [
        "supplier",
        "sku",
        "version",
        "unit_price",
        "currency",
        "valid_from",
        "valid_to",
        "source",
    ]
    list_filter = ["source", "currency"]
    search_fields = ["sku", "supplier__name"]
    raw_id_fields = ["supplier", "previous", "price_change", "created_by"]


class PriceChangeItemInline(admin.TabularInline):
    model = PriceChangeItem
    extra = 0
    raw_id_fields = ["agreement", "new_agreement"]


class PriceChangeDocumentInline(admin.TabularInline):
    model = PriceChangeDocument
    extra = 0
    raw_id_fields = ["supplier", "uploaded_by"]


@admin.register(PriceChangeRequest)
class PriceChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["pk", "supplier", "status", "effective_on", "reason_category", "requested_at"]
    list_filter = ["status", "reason_category"]
    search_fields = ["supplier__name", "items__sku"]
    raw_id_fields = ["supplier", "requested_by", "decided_by", "answered_by"]
    inlines = [PriceChangeItemInline, PriceChangeDocumentInline]


@admin.register(CostBreakdownRequest)
class CostBreakdownRequestAdmin(admin.ModelAdmin):
    list_display = ["supplier", "sku", "status", "internal", "requested_at", "answered_at"]
    list_filter = ["status", "internal"]
    search_fields = ["sku", "supplier__name"]
    raw_id_fields = ["supplier", "requested_by", "answered_by", "assessed_by"]

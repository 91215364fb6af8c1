"""Admin of production records (registered from orders/admin.py): read-mostly, as the services write them."""

from django.contrib import admin

from .models import ProductionLog, ProductionLot, ProductionPlan


@admin.register(ProductionPlan)
class ProductionPlanAdmin(admin.ModelAdmin):
    list_display = ["order", "supplier", "started_on", "planned_finish_on"]
    list_select_related = ["order", "supplier"]
    search_fields = ["order__number", "supplier__name"]
    raw_id_fields = ["order", "supplier", "started_by"]


@admin.register(ProductionLot)
class ProductionLotAdmin(admin.ModelAdmin):
    list_display = ["number", "order", "line", "supplier", "created_at"]
    list_select_related = ["order", "line", "supplier"]
    search_fields = ["number", "order__number", "line__sku"]
    raw_id_fields = ["order", "line", "supplier"]


@admin.register(ProductionLog)
class ProductionLogAdmin(admin.ModelAdmin):
    list_display = ["produced_on", "order", "line", "quantity", "supplier"]
    list_select_related = ["order", "line", "supplier"]
    list_filter = ["produced_on"]
    search_fields = ["order__number", "line__sku", "lots__number"]
    raw_id_fields = ["order", "line", "supplier", "logged_by", "lots"]

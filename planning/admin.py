from django.contrib import admin

from .models import CapacityAnswer, Forecast, ForecastLine


class ForecastLineInline(admin.TabularInline):
    model = ForecastLine
    extra = 0
    readonly_fields = ["month", "sku", "category", "quantity", "unit", "confidence"]
    can_delete = False  # a published version is a record the factory planned on: publish a new one instead


class CapacityAnswerInline(admin.TabularInline):
    model = CapacityAnswer
    extra = 0
    readonly_fields = ["month", "status", "committed_quantity", "reason", "answered_by", "answered_at"]
    can_delete = False


@admin.register(Forecast)
class ForecastAdmin(admin.ModelAdmin):
    list_display = ["supplier", "version", "published_on", "published_by"]
    search_fields = ["supplier__name"]
    list_select_related = ["supplier", "published_by"]
    readonly_fields = ["supplier", "version", "published_on", "published_at", "published_by"]
    inlines = [ForecastLineInline, CapacityAnswerInline]

    def has_add_permission(self, request):
        return False  # published through the staff page or the API (forecast_publish numbers the versions)

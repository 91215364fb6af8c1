"""Admin registration of reference letters: their frozen figures are read-only (a letter never changes)."""

from django.contrib import admin

from .models import ReferenceLetter


@admin.register(ReferenceLetter)
class ReferenceLetterAdmin(admin.ModelAdmin):
    list_display = (
        "supplier_name",
        "period_start",
        "period_end",
        "issuer_name",
        "issued_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("below_target",)
    search_fields = ("supplier_name", "addressee")
    raw_id_fields = ("supplier", "issued_by", "revoked_by")
    readonly_fields = (
        "supplier",
        "supplier_name",
        "supplier_country",
        "period_start",
        "period_end",
        "figures",
        "below_target",
        "below_target_reason",
        "addressee",
        "text",
        "issued_by",
        "issuer_name",
        "issued_at",
        "expires_at",
    )

    def has_add_permission(self, request):
        return False  # letters are issued from the supplier's scorecard, where the rules are checked

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Activity,
    CapabilityClaim,
    CapacityAssessment,
    Certification,
    CertificationReminder,
    ClientReference,
    Contact,
    Contract,
    PortalInvitation,
    ProductCategory,
    StageChange,
    Supplier,
)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Supplier)
class SupplierAdmin(SimpleHistoryAdmin):
    list_display = ["name", "country", "stage", "segment", "owner", "updated_at"]
    list_filter = ["stage", "segment", "country", "categories"]
    search_fields = ["name", "legal_name", "registration_number", "city"]
    autocomplete_fields = ["owner", "project_manager", "qc_lead"]
    filter_horizontal = ["categories"]
    # The stage moves only through the stage service, which checks the gates and records why.
    readonly_fields = ["stage", "stage_changed_at", "created_at", "updated_at"]
    inlines = [ContactInline]


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["supplier", "standard", "number", "valid_from", "valid_until", "status"]
    list_filter = ["status", "standard"]
    search_fields = ["supplier__name", "number", "issuer"]
    autocomplete_fields = ["supplier", "replaces"]
    readonly_fields = ["submitted_by", "submitted_at", "verified_by", "verified_at"]


@admin.register(ClientReference)
class ClientReferenceAdmin(admin.ModelAdmin):
    list_display = ["supplier", "company", "checked_on", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["supplier__name", "company"]
    autocomplete_fields = ["supplier"]


@admin.register(CapacityAssessment)
class CapacityAssessmentAdmin(admin.ModelAdmin):
    list_display = ["supplier", "assessed_on", "headcount", "monthly_capacity", "financial_risk"]
    list_filter = ["financial_risk", "revenue_band"]
    search_fields = ["supplier__name"]
    autocomplete_fields = ["supplier"]


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["supplier", "title", "valid_from", "valid_until", "signed_on"]
    search_fields = ["supplier__name", "title", "reference"]
    autocomplete_fields = ["supplier"]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["supplier", "from_stage", "to_stage", "changed_by", "changed_at"]
    list_filter = ["to_stage"]
    search_fields = ["supplier__name", "reason"]

    # The stage history is a record: nobody edits or deletes it.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["supplier", "occurred_at", "text", "detail", "actor"]
    list_filter = ["kind"]
    search_fields = ["supplier__name", "verb", "detail"]
    list_select_related = ["supplier", "actor"]


@admin.register(CertificationReminder)
class CertificationReminderAdmin(admin.ModelAdmin):
    """Certificate reminders and their outbox state: unsent ones show their attempts and last error."""

    list_display = ["certification", "threshold", "sent_at", "attempts", "claimed_by", "last_error"]
    list_filter = ["threshold"]
    raw_id_fields = ["certification"]
    readonly_fields = ["sent_at", "claimed_by", "claimed_at", "attempts", "last_error"]


@admin.register(PortalInvitation)
class PortalInvitationAdmin(admin.ModelAdmin):
    """Invitations are sent, resent and revoked from the supplier's contacts tab; here they are read only."""

    list_display = [
        "email",
        "supplier",
        "contact",
        "status",
        "expires_at",
        "sent_at",
        "attempts",
        "created_at",
    ]
    list_filter = ["status", "language"]
    search_fields = ["email", "contact__name", "supplier__name"]
    readonly_fields = [f.name for f in PortalInvitation._meta.fields]

    def has_add_permission(self, request):
        return False


from . import registration_admin  # noqa: E402, F401  (factory registrations and bank details)


@admin.register(CapabilityClaim)
class CapabilityClaimAdmin(admin.ModelAdmin):
    """Claims are a history: corrected by a new claim (staff page or portal), not edited here."""

    list_display = ["supplier", "field", "category", "quantity", "unit", "source", "claimed_at"]
    list_filter = ["field", "source"]
    search_fields = ["supplier__name"]
    autocomplete_fields = ["supplier"]
    raw_id_fields = ["claimed_by"]

from django.contrib import admin

from .models import (
    Audit,
    AuditAnswer,
    BatchTest,
    CapabilityObservation,
    ChecklistQuestion,
    ChecklistSection,
    ChecklistTemplate,
    CorrectiveAction,
    CorrectiveActionEvidence,
    Finding,
    HoldProposal,
    InspectionSeverity,
    QCInspection,
    SeveritySwitch,
    VerificationPolicy,
    VisitCadence,
    VisitNote,
    VisitPerson,
)


@admin.register(QCInspection)
class QCInspectionAdmin(admin.ModelAdmin):
    list_display = ["supplier", "checkpoint", "inspected_on", "sample_size", "defective_units", "result"]
    list_filter = ["checkpoint", "result"]
    search_fields = ["supplier__name", "lot_number", "order__number"]
    raw_id_fields = ["supplier", "order", "delivery", "inspector"]


@admin.register(BatchTest)
class BatchTestAdmin(admin.ModelAdmin):
    list_display = ["supplier", "lot_number", "standard", "tested_on", "outcome", "review"]
    list_filter = ["outcome", "review"]
    raw_id_fields = ["supplier", "order", "uploaded_by", "reviewed_by"]


class ChecklistQuestionInline(admin.TabularInline):
    model = ChecklistQuestion
    extra = 1


@admin.register(ChecklistSection)
class ChecklistSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "template", "position"]
    inlines = [ChecklistQuestionInline]


class ChecklistSectionInline(admin.TabularInline):
    model = ChecklistSection
    extra = 0
    show_change_link = True


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    """Admins edit checklists here: sections, then each section's weighted questions."""

    list_display = ["name", "audit_type", "is_active"]
    inlines = [ChecklistSectionInline]


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    fields = ["severity", "clause", "description"]


class AuditAnswerInline(admin.TabularInline):
    model = AuditAnswer
    extra = 0
    raw_id_fields = ["question"]


@admin.register(Audit)
class AuditAdmin(admin.ModelAdmin):
    list_display = ["supplier", "audit_type", "announced", "planned_on", "performed_on", "status", "result"]
    list_filter = ["audit_type", "status", "result", "announced"]
    search_fields = ["supplier__name"]
    raw_id_fields = ["supplier", "lead_auditor", "follows_up"]
    filter_horizontal = ["auditors"]
    inlines = [AuditAnswerInline, FindingInline]


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(admin.ModelAdmin):
    list_display = ["title", "supplier", "due_on", "status"]
    list_filter = ["status"]
    search_fields = ["title", "supplier__name"]
    raw_id_fields = ["supplier", "finding", "inspection", "raised_by", "submitted_by", "verified_by"]


admin.site.register(CorrectiveActionEvidence, raw_id_fields=["action", "supplier", "uploaded_by"])
admin.site.register(
    HoldProposal,
    list_display=["supplier", "audit", "status", "created_at"],
    raw_id_fields=["supplier", "audit", "decided_by"],
)


@admin.register(CapabilityObservation)
class CapabilityObservationAdmin(admin.ModelAdmin):
    list_display = ["supplier", "audit", "field", "category", "quantity", "observed_on"]
    list_filter = ["field"]
    search_fields = ["supplier__name"]
    raw_id_fields = ["supplier", "audit", "observed_by", "finding"]


admin.site.register(VisitPerson, list_display=["audit", "role", "name"], raw_id_fields=["audit", "supplier"])
admin.site.register(
    VisitNote,
    list_display=["audit", "kind", "owner", "due_on", "shared"],
    list_filter=["kind", "shared"],
    raw_id_fields=["audit", "supplier", "added_by"],
)

admin.site.register(VisitCadence, list_display=["supplier", "every_months"], raw_id_fields=["supplier"])
admin.site.register(
    VerificationPolicy,
    list_display=[
        "category",
        "risk_tier",
        "audit_every_months",
        "capacity_every_months",
        "replacement_certificate",
        "replacement_months_on_target",
    ],
    list_filter=["risk_tier"],
)


class SeveritySwitchInline(admin.TabularInline):
    model = SeveritySwitch
    extra = 0
    can_delete = False
    fields = ["at", "from_severity", "to_severity", "rule", "lots", "reason", "inspection", "by"]
    readonly_fields = fields


@admin.register(InspectionSeverity)
class InspectionSeverityAdmin(admin.ModelAdmin):
    """Read-only: severities change by the switching rules or by hand through the staff page or the API, with a
    reason and a history row; an admin edit would leave neither."""

    list_display = ["supplier", "sku", "category", "severity", "rule", "since"]
    list_filter = ["severity", "rule"]
    search_fields = ["supplier__name", "sku"]
    inlines = [SeveritySwitchInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

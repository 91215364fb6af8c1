from django.contrib import admin

from .models import (
    ActionItem,
    CheckIn,
    CheckInSchedule,
    Closure,
    IssueEscalation,
    IssueMessage,
    Notification,
    SupplierIssue,
)


@admin.register(CheckInSchedule)
class CheckInScheduleAdmin(admin.ModelAdmin):
    list_display = ["supplier", "cadence", "weekday", "local_time", "channel", "is_active"]
    raw_id_fields = ["supplier", "created_by"]
    filter_horizontal = ["staff_participants", "contact_participants"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["supplier", "date", "scheduled_at", "status", "moved_reason"]
    list_filter = ["status"]
    raw_id_fields = ["schedule", "supplier", "recorded_by"]


admin.site.register(
    ActionItem,
    list_display=["description", "supplier", "owner_side", "due_on", "done_at"],
    raw_id_fields=["checkin", "supplier", "done_by"],
)
admin.site.register(
    Closure,
    list_display=["supplier", "starts_on", "ends_on", "reason"],
    raw_id_fields=["supplier", "declared_by"],
)


class IssueMessageInline(admin.TabularInline):
    model = IssueMessage
    extra = 0
    fields = ["side", "author_name", "body", "sent_at", "logged_on_behalf"]


@admin.register(SupplierIssue)
class SupplierIssueAdmin(admin.ModelAdmin):
    list_display = ["subject", "supplier", "raised_by_side", "raised_at", "first_response_at", "status"]
    list_filter = ["status", "category", "raised_by_side"]
    search_fields = ["subject", "supplier__name"]
    raw_id_fields = [
        "supplier",
        "order",
        "delivery",
        "inspection",
        "raised_by",
        "owner",
        "resolved_by",
        "corrective_action",
    ]
    inlines = [IssueMessageInline]


admin.site.register(IssueEscalation, list_display=["issue", "level", "escalated_at"], raw_id_fields=["issue"])
admin.site.register(
    Notification,
    list_display=["user", "title", "created_at", "read_at", "email"],
    list_filter=["email"],
    raw_id_fields=["user"],
)

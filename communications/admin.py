from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    ActionItem,
    CheckIn,
    CheckInSchedule,
    Closure,
    DailyDigest,
    IssueEscalation,
    IssueMessage,
    Notification,
    NotificationPreference,
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


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Notifications and their email outbox: a failed send shows its error and attempts, and can be sent again."""

    list_display = [
        "user",
        "title",
        "family",
        "created_at",
        "read_at",
        "email",
        "email_attempts",
        "short_error",
    ]
    list_filter = ["email", "family"]
    search_fields = ["title", "user__email"]
    raw_id_fields = ["user"]
    readonly_fields = [
        "message_key",
        "params",
        "email",
        "emailed_at",
        "email_attempts",
        "email_claimed_at",
        "email_claimed_by",
        "email_last_error",
    ]
    actions = ["email_again"]

    @admin.display(description=_("last email error"))
    def short_error(self, obj):
        return obj.email_last_error[:80]

    @admin.action(description=_("Send the email again (failed ones)"))
    def email_again(self, request, queryset):
        from core.queue import enqueue_on_commit

        from .tasks import notification_emails_task

        ids = list(queryset.filter(email=Notification.Email.FAILED).values_list("pk", flat=True))
        count = services.notifications_email_again(ids=ids)
        if ids:
            enqueue_on_commit(notification_emails_task, ids)
        self.message_user(request, _("%(n)s email(s) queued again.") % {"n": count})


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    """Each user's email timing per family (a family without a row follows the default)."""

    list_display = ["user", "family", "timing"]
    list_filter = ["family", "timing"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(DailyDigest)
class DailyDigestAdmin(admin.ModelAdmin):
    """The daily digests sent: one per user and local day; its email is the linked notification's."""

    list_display = ["user", "day", "notification", "created_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user", "notification"]
    readonly_fields = ["user", "day", "notification", "created_at"]

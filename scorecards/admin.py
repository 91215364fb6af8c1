from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ContractReview,
    CurrentKpi,
    DigestPreference,
    GeneralManagerCopy,
    KpiSnapshot,
    KpiTarget,
    PlaybookAction,
    RedFlag,
    RedFlagNote,
    RowContest,
    WeeklyDigest,
)


@admin.register(KpiTarget)
class KpiTargetAdmin(SimpleHistoryAdmin):
    """Admins set targets here: leave category and supplier empty for the default; history keeps every change."""

    list_display = ["kpi", "category", "supplier", "value", "updated_at"]
    list_filter = ["kpi", "category"]
    autocomplete_fields = ["supplier"]


@admin.register(KpiSnapshot)
class KpiSnapshotAdmin(admin.ModelAdmin):
    list_display = ["supplier", "kpi", "week_start", "value", "target", "met"]
    list_filter = ["kpi", "met"]
    raw_id_fields = ["supplier"]
    date_hierarchy = "week_start"


@admin.register(CurrentKpi)
class CurrentKpiAdmin(admin.ModelAdmin):
    """The stored figures the portfolio reads, to look at: the per-supplier check and the nightly pass write them
    (an admin save would write back the figures it loaded over newer ones, past the refresh's as_of guard)."""

    list_display = ["supplier", "period", "score", "misses_target", "as_of"]
    list_filter = ["period", "misses_target"]
    raw_id_fields = ["supplier"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RedFlagNoteInline(admin.TabularInline):
    model = RedFlagNote
    extra = 0
    raw_id_fields = ["author"]


@admin.register(RedFlag)
class RedFlagAdmin(admin.ModelAdmin):
    inlines = [RedFlagNoteInline]
    list_display = ["supplier", "rule", "period", "severity", "state", "owner", "raised_at"]
    list_filter = ["rule", "state", "severity", "escalated"]
    search_fields = ["supplier__name", "detail"]
    raw_id_fields = ["supplier", "owner", "acknowledged_by", "resolved_by"]


@admin.register(WeeklyDigest)
class WeeklyDigestAdmin(admin.ModelAdmin):
    """Digests and their outbox state; one that gave up after its retries can be sent again from here."""

    list_display = ["manager", "iso_week", "state", "attempts", "sent_at", "claimed_by"]
    list_filter = ["state", "iso_week"]
    raw_id_fields = ["manager"]
    readonly_fields = ["sent_at", "claimed_by", "claimed_at", "attempts", "error"]
    actions = ["send_again"]

    @admin.action(description=_("Send again (with a fresh set of attempts)"))
    def send_again(self, request, queryset):
        from .digest_outbox import digests_send_again

        count = digests_send_again(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(n)s digest(s) will be sent by the next hourly run.") % {"n": count})


admin.site.register(DigestPreference, raw_id_fields=["user", "owner"], filter_horizontal=["suppliers"])


@admin.register(RowContest)
class RowContestAdmin(admin.ModelAdmin):
    """Contests of scorecard rows, to look at: decide on the staff page, where the row is excused with them."""

    list_display = ["supplier", "kind", "status", "outcome", "opened_at", "decided_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["supplier", "delivery", "inspection", "issue", "opened_by", "decided_by"]
    readonly_fields = ["status", "outcome", "corrected_defective_units", "decided_by", "decided_at"]
    date_hierarchy = "opened_at"


@admin.register(PlaybookAction)
class PlaybookActionAdmin(admin.ModelAdmin):
    """Red-flag playbook actions and whether the KPI recovered (written by the flag page and the nightly pass)."""

    list_display = ["flag", "kind", "taken_by", "taken_on", "review_due_on", "outcome", "measured_value"]
    list_filter = ["kind", "outcome"]
    raw_id_fields = [
        "flag",
        "taken_by",
        "checkin",
        "corrective_action",
        "audit",
        "contact",
        "new_owner",
        "contract_review",
        "cost_breakdown",
    ]
    readonly_fields = ["measured_at"]


@admin.register(ContractReview)
class ContractReviewAdmin(admin.ModelAdmin):
    """Contract reviews opened by the consistent-miss playbook, with their outcome."""

    list_display = ["supplier", "opened_at", "outcome", "decided_at"]
    list_filter = ["outcome"]
    raw_id_fields = ["supplier", "opened_by", "decided_by"]


@admin.register(GeneralManagerCopy)
class GeneralManagerCopyAdmin(admin.ModelAdmin):
    """Copies of a contact change emailed to a factory's general manager: the send-once outbox, with any error."""

    list_display = ["action", "name", "email", "language", "created_at", "sent_at", "attempts"]
    list_filter = ["language"]
    search_fields = ["name", "email"]
    raw_id_fields = ["action", "contact"]
    readonly_fields = ["sent_at", "claimed_by", "claimed_at", "attempts", "last_error", "created_at"]


from .letters import admin as letter_admin  # noqa: E402, F401 - registers the reference letters' admin
